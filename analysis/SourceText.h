// Quoting code in messages; shared by the analysis, the rules and every front end.
#ifndef FORK_HAZARD_SOURCE_TEXT_H
#define FORK_HAZARD_SOURCE_TEXT_H

#include "clang/AST/ASTContext.h"
#include <string>

namespace forkhazard {

/// Source text of a range on one line (whitespace collapsed); empty when the range has no text
/// of its own (inside a macro).
std::string sourceText(const clang::ASTContext &Ctx, clang::SourceRange Range);

} // namespace forkhazard

#endif
