// The finding model every front end shares: a finding is plain data (check, location, message,
// notes, fix-its) built by a rule, and a sink is where a front end receives them. Suppression
// (NOLINT) and severity are the sink's policy, never the analysis'.
#ifndef FORK_HAZARD_FINDING_H
#define FORK_HAZARD_FINDING_H

#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/StringRef.h"
#include <string>
#include <vector>

namespace clang {
class SourceManager;
}

namespace forkhazard {

/// What users see and type: "fork-hazard-<check>" (diagnostics, NOLINT, SARIF rule ids).
inline std::string fullCheckName(llvm::StringRef Check) { return "fork-hazard-" + Check.str(); }

struct Finding {
  std::string Check; // without the fork-hazard- prefix; set from the registry, never by a rule
  clang::SourceLocation Location;
  std::string Message;
  std::vector<clang::FixItHint> FixIts;
  struct Note {
    clang::SourceLocation Location;
    std::string Message;
    std::vector<clang::FixItHint> FixIts;
  };
  /// The explanation in order: the fork, the branches taken, where the path ends.
  std::vector<Note> Notes;

  Finding &note(clang::SourceLocation Loc, std::string Text) {
    if (Loc.isValid())
      Notes.push_back({Loc, std::move(Text), {}});
    return *this;
  }
  std::string fullCheckName() const { return forkhazard::fullCheckName(Check); }
};

/// Where a front end receives the findings of a translation unit: each one once, in source
/// order, none in a system header.
class FindingSink {
public:
  virtual ~FindingSink() = default;
  virtual void report(const Finding &F, const clang::SourceManager &SM) = 0;
};

} // namespace forkhazard

#endif
