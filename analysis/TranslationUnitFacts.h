// Facts about a whole translation unit that checks share beyond the role analysis, each
// computed once, on first use: how children are reaped, where threads are created, which
// functions are async-signal-safe, which fork wrappers return on failure. They live here, not in
// the checks, so that any check (and later the whole-program summary) reads the same answer.
#ifndef FORK_HAZARD_TRANSLATION_UNIT_FACTS_H
#define FORK_HAZARD_TRANSLATION_UNIT_FACTS_H

#include "llvm/ADT/DenseMap.h"
#include <map>
#include <memory>
#include <optional>
#include <utility>

namespace clang {
class ASTContext;
class FunctionDecl;
class Stmt;
} // namespace clang

namespace forkhazard {

class ChildReaping;
class SignalSafety;
class TranslationUnitIndex;

class TranslationUnitFacts {
public:
  TranslationUnitFacts(clang::ASTContext &Ctx, TranslationUnitIndex &Index);
  ~TranslationUnitFacts();

  /// SIGCHLD dispositions, reaper threads and the file's wait calls (analysis/ChildReaping.h).
  ChildReaping &childReaping();
  /// The first thread creation of the TU (analysis/ThreadEvidence.h), or null.
  const clang::Stmt *firstThreadCreation();
  /// Async-signal-safety summaries of the TU's functions, for one setting of the two options
  /// that change them (analysis/SignalSafety.h).
  SignalSafety &signalSafety(bool UnknownCallsUnsafe, bool ExitReportedElsewhere);
  /// Whether a fork wrapper of this TU can return to its caller when its fork fails (with -1,
  /// or whatever it returns then); one that ends the process or throws instead never does.
  bool wrapperMayReturnFailure(const clang::FunctionDecl *Wrapper);

private:
  clang::ASTContext &Ctx;
  TranslationUnitIndex &Index;
  std::unique_ptr<ChildReaping> Reaping;
  std::optional<const clang::Stmt *> ThreadCreation;
  std::map<std::pair<bool, bool>, std::unique_ptr<SignalSafety>> Safety;
  llvm::DenseMap<const clang::FunctionDecl *, bool> WrapperFails;
};

} // namespace forkhazard

#endif
