// --diff=<file> and --changed-lines-from=<ref>: report only the findings whose location, or the
// location of one of their notes, is on a line the change added or modified (as
// clang-tidy-diff.py does), or whose path the change runs through (a deleted _exit), so a CI
// step on a pull request reports what the pull request did.
#ifndef FORK_HAZARD_CLI_CHANGED_LINES_H
#define FORK_HAZARD_CLI_CHANGED_LINES_H

#include "core/ResolvedFinding.h"
#include "llvm/ADT/StringRef.h"
#include <map>
#include <set>
#include <string>
#include <vector>

namespace forkhazard::cli {

/// The new side's added or changed lines, and the lines now where lines were deleted, by
/// absolute path.
using ChangedLines = std::map<std::string, std::set<unsigned>>;

/// Reads a unified diff (`git diff`, `diff -u`; any context size). Paths are relative to
/// BaseDirectory, after git's "a/" and "b/" prefixes. Returns "" or one error sentence.
std::string readUnifiedDiff(llvm::StringRef Text, llvm::StringRef BaseDirectory,
                            ChangedLines &Out);
/// The diff file Path ("-": standard input), paths relative to the current directory.
std::string readDiffFile(llvm::StringRef Path, ChangedLines &Out);
/// `git diff -U0 <Ref>` of the working tree of the git repository around the current directory.
std::string changedLinesFromGit(llvm::StringRef Ref, ChangedLines &Out);

/// Keeps the findings with their location or a note's on a changed line, or a changed line
/// between the first and last line of their path in their file; returns how many were removed.
unsigned keepChangedFindings(std::vector<ResolvedFinding> &Findings, const ChangedLines &Lines);

} // namespace forkhazard::cli

#endif
