// Machine-readable output of resolved findings: fork-hazard's own JSON (one object per finding)
// and SARIF 2.1.0 for code-scanning services; both derive their check metadata from the
// registry (rules/checks.def) and the docs pages.
#ifndef FORK_HAZARD_JSON_OUTPUT_H
#define FORK_HAZARD_JSON_OUTPUT_H

#include "core/ResolvedFinding.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/raw_ostream.h"

namespace forkhazard {

/// A JSON array, one object per finding: check, level, file, line, column, message, notes and
/// fix-its (each with file, line, column; fix-its with their end, offset, length, replacement),
/// and the fingerprints (core/Fingerprints.h; their paths below SourceRoot).
void writeJson(llvm::raw_ostream &OS, llvm::ArrayRef<ResolvedFinding> Findings,
               llvm::StringRef SourceRoot);

/// GitLab's code quality report (a subset of Code Climate's issue format): one issue per finding
/// with its check, message, severity (warnings "major", errors "critical"), the line fingerprint,
/// and its path relative to SourceRoot, as GitLab requires to place it in merge requests.
void writeCodeQuality(llvm::raw_ostream &OS, llvm::ArrayRef<ResolvedFinding> Findings,
                      llvm::StringRef SourceRoot);

struct SarifRun {
  std::string ToolVersion;
  /// Files under this directory get URIs relative to it (uriBaseId SRCROOT); "" = absolute.
  std::string SourceRoot;
};

/// One SARIF 2.1.0 log with one run: every check as a rule (id, descriptions, help, helpUri),
/// every finding as a result with its notes as related locations and as a thread flow, its
/// fix-its as fixes, and a fingerprint that does not change when unrelated lines move.
void writeSarif(llvm::raw_ostream &OS, llvm::ArrayRef<ResolvedFinding> Findings,
                const SarifRun &Run);

} // namespace forkhazard

#endif
