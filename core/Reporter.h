// Collects a translation unit's findings from the rules: one per check and location, none in a
// system header; flush() hands them to a sink in source order.
#ifndef FORK_HAZARD_REPORTER_H
#define FORK_HAZARD_REPORTER_H

#include "core/Finding.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringRef.h"
#include <string>
#include <vector>

namespace forkhazard {

class Reporter {
public:
  explicit Reporter(const clang::SourceManager &SM) : SM(SM) {}
  /// The check whose findings add() receives next (its name is the registry's, never a rule's).
  void setCheck(llvm::StringRef Check) { CurrentCheck = Check.str(); }
  /// Queues a finding of the current check; duplicates (same check and location) and
  /// system-header ones are dropped.
  void add(Finding F);
  /// Hands the queued findings to Sink in source order (findings at one place keep the order
  /// the rules reported them in); returns how many.
  unsigned flush(FindingSink &Sink);

private:
  const clang::SourceManager &SM;
  std::string CurrentCheck;
  std::vector<Finding> Pending;
  llvm::DenseSet<std::pair<unsigned, unsigned>> Seen; // (check hash, raw location)
};

} // namespace forkhazard

#endif
