// A finding outside its translation unit: locations as file, line and column (no SourceManager
// needed), so findings of many TUs can be merged, deduplicated, sorted and written as JSON,
// SARIF or LSP by a front end.
#ifndef FORK_HAZARD_RESOLVED_FINDING_H
#define FORK_HAZARD_RESOLVED_FINDING_H

#include "core/Finding.h"
#include <string>
#include <tuple>
#include <vector>

namespace clang {
class LangOptions;
}

namespace forkhazard {

struct ResolvedLocation {
  std::string File; // absolute, as the TU named it
  unsigned Line = 0, Column = 0; // 1-based; columns in bytes, as clang counts them
  unsigned Offset = 0;           // in the file
  bool isValid() const { return Line != 0; }
};

struct ResolvedFixIt {
  ResolvedLocation Begin, End; // the replaced range: [Begin, End)
  std::string Replacement;
};

struct ResolvedNote {
  ResolvedLocation Location;
  std::string Message;
};

struct ResolvedFinding {
  std::string Check; // without the fork-hazard- prefix
  bool IsError = false;
  ResolvedLocation Location;
  std::string Message;
  std::vector<ResolvedNote> Notes;
  std::vector<ResolvedFixIt> FixIts;
  /// The finding's source line without its indentation, for fingerprints that survive
  /// unrelated edits above it.
  std::string LineText;
  /// How the clang-diagnostics sink renders it (text output); may be empty.
  std::string RenderedText;

  std::string fullCheckName() const { return forkhazard::fullCheckName(Check); }
  /// Identity across TUs: a header's finding reached from two TUs is one finding.
  auto key() const {
    return std::tie(Location.File, Location.Line, Location.Column, Check, Message);
  }
};

/// File's path below Directory ("src/a.c" for "/p/src/a.c" below "/p" or "/p/"); "" when File
/// is not below it (or Directory is "").
llvm::StringRef pathBelow(llvm::StringRef File, llvm::StringRef Directory);

/// Where Loc's expansion is (a finding in a macro is placed where the macro is used).
ResolvedLocation resolveLocation(clang::SourceLocation Loc, const clang::SourceManager &SM);
ResolvedFinding resolveFinding(const Finding &F, const clang::SourceManager &SM,
                               const clang::LangOptions &LangOpts, bool IsError);

/// Sorts by file, line and column (ties keep their order) and drops repeats (same key()).
void sortAndMerge(std::vector<ResolvedFinding> &Findings);

} // namespace forkhazard

#endif
