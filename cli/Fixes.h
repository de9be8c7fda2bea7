// Fix-its leaving the tool: a clang-apply-replacements YAML file (--export-fixes), or applied to
// the sources in place (--fix).
#ifndef FORK_HAZARD_CLI_FIXES_H
#define FORK_HAZARD_CLI_FIXES_H

#include "core/ResolvedFinding.h"
#include "llvm/ADT/ArrayRef.h"
#include <string>

namespace forkhazard::cli {

/// Returns "" or what went wrong.
std::string exportFixes(llvm::StringRef Path, llvm::ArrayRef<ResolvedFinding> Findings);
/// Applies every finding's fix-its; returns "" or what went wrong. Applied counts the findings
/// whose fix-its were applied.
std::string applyFixes(llvm::ArrayRef<ResolvedFinding> Findings, unsigned &Applied);

} // namespace forkhazard::cli

#endif
