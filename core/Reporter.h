// Turns findings into clang diagnostics: the `[fork-hazard-<check>]` suffix, notes, fix-its,
// no reports in system headers, one report per check and location.
#ifndef FORK_HAZARD_REPORTER_H
#define FORK_HAZARD_REPORTER_H

#include "analysis/SourceText.h"
#include "clang/AST/ASTContext.h"
#include "clang/Basic/Diagnostic.h"
#include "llvm/ADT/DenseSet.h"
#include <string>
#include <vector>

namespace forkhazard {

struct Finding {
  std::string Check; // without the fork-hazard- prefix; set by Reporter::add
  clang::SourceLocation Location;
  std::string Message;
  std::vector<clang::FixItHint> FixIts;
  struct Note {
    clang::SourceLocation Location;
    std::string Message;
    std::vector<clang::FixItHint> FixIts;
  };
  std::vector<Note> Notes;

  Finding &note(clang::SourceLocation Loc, std::string Text) {
    if (Loc.isValid())
      Notes.push_back({Loc, std::move(Text), {}});
    return *this;
  }
};

class Reporter {
public:
  /// AsErrors: -fplugin-arg-fork-hazard-werror (our findings are errors whatever -w says).
  Reporter(clang::ASTContext &Ctx, bool AsErrors) : Ctx(Ctx), AsErrors(AsErrors) {}
  /// The check whose findings add() receives next (its name is the registry's, never a rule's).
  void setCheck(llvm::StringRef Check) { CurrentCheck = Check.str(); }
  /// Queues a finding of the current check; duplicates (same check and location) and
  /// system-header ones are dropped.
  void add(Finding F);
  /// Emits the queued findings in source order, at the level clang's own warnings would have
  /// (custom diagnostics ignore -Werror and -w), minus those a NOLINT comment suppresses.
  void flush();
  unsigned emitted() const { return Emitted; }
  unsigned suppressed() const { return Suppressed; }

private:
  clang::ASTContext &Ctx;
  bool AsErrors;
  std::string CurrentCheck;
  std::vector<Finding> Pending;
  llvm::DenseSet<std::pair<unsigned, unsigned>> Seen; // (check hash, raw location)
  unsigned Emitted = 0;
  unsigned Suppressed = 0;
};

} // namespace forkhazard

#endif
