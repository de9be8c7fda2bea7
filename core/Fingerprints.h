// Fingerprints of a run's findings that survive unrelated edits: neither the line number nor the
// message is in them, so moved code and reworded messages keep their fingerprint. SARIF writes
// them as partialFingerprints, JSON as "fingerprints"; the CLI's --baseline matches by them.
#ifndef FORK_HAZARD_FINGERPRINTS_H
#define FORK_HAZARD_FINGERPRINTS_H

#include "core/ResolvedFinding.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <string>
#include <vector>

namespace forkhazard {

struct FindingFingerprints {
  /// The check, the file (below the source root) and the finding's line text, and how many
  /// earlier findings of the run share all three (SARIF's "forkHazardLine/v1").
  std::string Line;
  /// The same without the file, so that a finding of a renamed file can still be recognized
  /// ("forkHazardCode/v1").
  std::string Code;
};

/// The fingerprints of Findings (in their order, which must be the run's sorted order), with
/// file paths taken below SourceRoot when they are ("" = absolute paths).
std::vector<FindingFingerprints> fingerprintsOf(llvm::ArrayRef<ResolvedFinding> Findings,
                                                llvm::StringRef SourceRoot);

/// SARIF's names for the two fingerprints.
constexpr const char *LineFingerprintName = "forkHazardLine/v1";
constexpr const char *CodeFingerprintName = "forkHazardCode/v1";

} // namespace forkhazard

#endif
