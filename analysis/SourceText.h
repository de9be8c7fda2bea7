// Reading code as written: its text (quoted in messages) and its integer constants; shared by
// the analysis, the rules and every front end.
#ifndef FORK_HAZARD_SOURCE_TEXT_H
#define FORK_HAZARD_SOURCE_TEXT_H

#include "clang/AST/ASTContext.h"
#include <optional>
#include <string>

namespace forkhazard {

/// Source text of a range on one line (whitespace collapsed); empty when the range has no text
/// of its own (inside a macro).
std::string sourceText(const clang::ASTContext &Ctx, clang::SourceRange Range);

/// The value of E when it is an integer constant expression (SIGPIPE, SIG_BLOCK, -1).
std::optional<int64_t> integerConstant(const clang::Expr *E, const clang::ASTContext &Ctx);

} // namespace forkhazard

#endif
