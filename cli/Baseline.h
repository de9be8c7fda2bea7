// --baseline=<old.sarif or old.json>: report only the findings that are not in an earlier run's
// output, matched by fingerprint (core/Fingerprints.h), never by line number: moved code and
// reworded messages stay matched, and a finding of a renamed file is matched by its code when
// the baseline's file no longer exists.
#ifndef FORK_HAZARD_CLI_BASELINE_H
#define FORK_HAZARD_CLI_BASELINE_H

#include "core/ResolvedFinding.h"
#include "llvm/ADT/StringRef.h"
#include <string>
#include <vector>

namespace forkhazard::cli {

struct BaselineEntry {
  std::string Line, Code; // the two fingerprints
  std::string File;       // absolute, or as the log wrote it
};

/// Reads a SARIF log or a JSON output of fork-hazard-check; returns "" or one error sentence.
std::string readBaseline(llvm::StringRef Path, std::vector<BaselineEntry> &Out);

/// Removes from Findings (sorted, as the run reports them) those the baseline has; returns how
/// many were removed. Paths are taken below SourceRoot, as in the run's output.
unsigned removeBaselineFindings(std::vector<ResolvedFinding> &Findings,
                                std::vector<BaselineEntry> Baseline, llvm::StringRef SourceRoot);

} // namespace forkhazard::cli

#endif
