// Everything the rules need to know about one translation unit: which functions call a
// fork-like function, which of its functions always end the process or return fork's result,
// and the process-role analysis of each forking function (computed once, on demand).
#ifndef FORK_HAZARD_TRANSLATION_UNIT_INDEX_H
#define FORK_HAZARD_TRANSLATION_UNIT_INDEX_H

#include "analysis/AnalysisOptions.h"
#include "analysis/Exceptions.h"
#include "analysis/ProcessRoles.h"
#include "analysis/ProgramKeys.h"
#include "analysis/Recognizers.h"
#include "analysis/RoleTellingCalls.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Sema/Sema.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include <memory>
#include <optional>
#include <vector>

namespace forkhazard {

class ProgramFacts;
struct ProgramFunction;

/// Cheap test run before anything else: whether the TU references a fork-family function, or
/// spells the name of one of the project's ForkFunctions (fork-functions).
/// With Sema, the declarations come from its identifier chains (a few pointer hops per name).
bool mayCallFork(clang::ASTContext &Ctx, clang::Sema *S = nullptr,
                 llvm::ArrayRef<std::string> ForkFunctions = {});

class TranslationUnitIndex : public CallEffects {
public:
  explicit TranslationUnitIndex(clang::ASTContext &Ctx);
  ~TranslationUnitIndex() override;

  /// Functions the project says fork / end the process / reap the pid they are passed
  /// (the options fork-functions, exit-functions, wait-functions): plain or
  /// qualified names. Call before build().
  void setProjectFunctions(const AnalysisOptions &Opts);

  /// The facts of the whole program (the CLI's merged summaries, the plugin's facts file):
  /// a call of a function defined in another TU is judged by them. Call before build().
  void setProgramFacts(const ProgramFacts *Facts) { Program = Facts; }
  const ProgramFacts *programFacts() const { return Program; }
  /// What the program's facts say of FD, when FD is defined in no file of this TU and another
  /// TU defines it; null otherwise (and always without program facts).
  const ProgramFunction *programFunction(const clang::FunctionDecl *FD) const;
  /// Whether FD is a fork wrapper defined in another TU (by the program's facts).
  bool isProgramForkWrapper(const clang::FunctionDecl *FD) const;
  FunctionKeys &keys() const { return *Keys; }
  const std::string &keyOf(const clang::FunctionDecl *FD) const { return Keys->keyOf(FD); }

  /// Finds the functions outside system headers that call a fork-like function.
  void build();

  /// The analyses of every function that forks, in source order.
  std::vector<const FunctionRoles *> forkingFunctions();

  CallEffect effectOf(const clang::CallExpr *Call) override;
  /// How Definition (a function of this TU) ends the process on every path; none if it may
  /// return.
  std::optional<CallEffect> endingEffectOf(const clang::FunctionDecl *Definition);
  ThrowOutcome throwFrom(const FunctionRoles &Fn, const clang::CallExpr *Call) override;

  /// The exceptions that may leave Definition (a function of this TU), first the first; null
  /// when none does.
  const std::vector<ThrownException> *exceptionsLeaving(const clang::FunctionDecl *Definition);

  /// Whether FD (defined in this TU) returns the result of a fork-like call to its caller.
  bool isForkWrapper(const clang::FunctionDecl *FD);
  /// What FD (defined in this TU, not a fork wrapper) returns to the processes of its fork,
  /// when that tells them apart (analysis/RoleTellingCalls.h).
  std::optional<RoleTellingValues> roleTellingValues(const clang::FunctionDecl *FD);

  unsigned functionsAnalyzed() const { return Analyzed.size(); }
  /// The library functions whose calls the index records (outside system headers), so that
  /// rules can ask about the whole TU without walking it again: thread creation, the calls
  /// that change signal dispositions and the mask (analysis/SignalState.h), the calls that create
  /// descriptors (analysis/Descriptors.h). (SIGCHLD
  /// dispositions for reaping are analysis/ChildReaping's own walk, done only for missing-wait.)
  static llvm::ArrayRef<llvm::StringRef> recordedLibraryCalls();
  /// The recorded calls to one of them, in source order.
  llvm::ArrayRef<const clang::CallExpr *> callsTo(llvm::StringRef LibraryFunction) const;

  /// The function whose body makes Call, a recorded library call (callsTo) or a call of a
  /// function of this TU; null for other calls. (No parent map: that costs a walk of the TU.)
  const clang::FunctionDecl *ownerOf(const clang::CallExpr *Call) const;

  /// The calls (outside system headers) of FD, a function defined in this TU, in the order of
  /// the functions that make them.
  std::vector<const clang::CallExpr *> callsOfLocalFunction(const clang::FunctionDecl *FD) const;

  /// Constructions of std::thread, std::jthread, boost::thread outside system headers.
  llvm::ArrayRef<const clang::CXXConstructExpr *> threadConstructions() const {
    return ThreadConstructions;
  }

  /// Calls of functions defined in no file of this TU (outside system headers), with the
  /// function that makes each: the program's facts may know them.
  struct ElsewhereCall {
    const clang::CallExpr *Call;
    const clang::FunctionDecl *Caller;
  };
  llvm::ArrayRef<ElsewhereCall> callsOfFunctionsElsewhere() const { return ElsewhereCalls; }

  /// Calls to FD (outside system headers) whose result is thrown away.
  std::vector<const clang::CallExpr *> discardedCallsTo(const clang::FunctionDecl *FD) const;
  /// All calls (outside system headers) whose result is thrown away, in source order.
  llvm::ArrayRef<const clang::CallExpr *> discardedCalls() const { return DiscardedCalls; }
  /// What FD (defined in another TU) returns to the processes of its fork, by the program's
  /// facts, when that tells them apart.
  std::optional<RoleTellingValues> programRoleTellingValues(const clang::FunctionDecl *FD) const;
  /// A call in another TU that throws away the value FD (defined here, role-telling) returns,
  /// by the program's facts; null when there is none (or no facts).
  const ProgramFunction *resultDiscardedElsewhere(const clang::FunctionDecl *FD) const;

  /// Whether FD is one of the project's wait functions (it reaps the pid it is passed).
  bool isProjectWaitFunction(const clang::FunctionDecl *FD) const;

private:
  struct FunctionInfo {
    const clang::FunctionDecl *Decl;
    std::vector<const clang::CallExpr *> ForkCalls;  // fork, vfork, ..., fork-functions
    std::vector<const clang::CallExpr *> LocalCalls; // calls to functions defined in this TU
  };
  struct EndSummary {
    enum State { Unknown, InProgress, Returns, Ends } Status = Unknown;
    EndKind Kind = EndKind::HelperImmediate;
    const clang::CallExpr *EndingCall = nullptr; // the exit() for HelperExits, for notes
  };

  /// What a function of this TU may throw out (see throwSummary).
  struct ThrowSummary {
    bool Done = false; // false while it is computed: recursive calls count as not throwing
    std::vector<ThrownException> Escaping; // distinct kinds, at most MaxThrownKinds
    bool ReturnsNormally = false;
  };
  static constexpr size_t MaxThrownKinds = 8;

  const FunctionRoles *analyze(const FunctionInfo &Info);
  std::vector<ForkSite> forkSitesOf(const FunctionInfo &Info);
  const EndSummary &endSummary(const clang::FunctionDecl *FD);
  std::optional<CallEffect> projectExitEffect(const clang::FunctionDecl *Callee) const;
  std::optional<CallEffect> helperEndEffect(const clang::FunctionDecl *Callee);
  const FunctionInfo *infoFor(const clang::FunctionDecl *FD) const;
  /// Null when FD never lets an exception out.
  const ThrowSummary *throwSummary(const clang::FunctionDecl *FD);
  const ThrowSummary *thrownByCall(const clang::CallExpr *Call);
  const ThrowSummary *thrownElsewhere(const clang::FunctionDecl *Callee);
  void summarizeThrows(const clang::FunctionDecl *FD, const TryNesting &Nesting,
                       ThrowSummary &Summary);
  const TryNesting &nestingOf(const clang::FunctionDecl *FD);
  bool escapesFrom(const FunctionRoles &Fn, llvm::ArrayRef<const clang::CXXTryStmt *> Tries,
                   const ThrownException &E, ThrowOutcome &Outcome);
  bool handlerEnds(const FunctionRoles &Fn, const clang::CXXCatchStmt *Handler);

  clang::ASTContext &Ctx;
  const ProgramFacts *Program = nullptr;
  std::unique_ptr<FunctionKeys> Keys;
  llvm::StringSet<> ProjectForkFunctions, ProjectWaitFunctions;
  /// exit-functions, and those of them that end through exit() (`name:exit`).
  llvm::StringSet<> ProjectExitFunctions, ProjectExitsThroughExit;
  llvm::StringMap<std::vector<const clang::CallExpr *>> LibraryCalls;
  llvm::DenseMap<const clang::CallExpr *, const clang::FunctionDecl *> CallOwners;
  std::vector<const clang::CallExpr *> DiscardedCalls;
  std::vector<ElsewhereCall> ElsewhereCalls;
  std::vector<const clang::CXXConstructExpr *> ThreadConstructions;
  std::vector<FunctionInfo> Functions;
  llvm::DenseMap<const clang::FunctionDecl *, unsigned> FunctionIndex;
  llvm::DenseMap<const clang::FunctionDecl *, std::unique_ptr<FunctionRoles>> Analyzed;
  llvm::DenseMap<const clang::FunctionDecl *, EndSummary> EndSummaries;
  llvm::DenseMap<const clang::FunctionDecl *, int> WrapperState; // 0 in progress, 1 yes, 2 no
  /// Memoized roleTellingValues (none while computed: recursion tells nothing apart).
  llvm::DenseMap<const clang::FunctionDecl *, std::optional<RoleTellingValues>> RoleTelling;
  llvm::DenseMap<const clang::FunctionDecl *, std::unique_ptr<ThrowSummary>> ThrowSummaries;
  llvm::DenseMap<const clang::FunctionDecl *, std::unique_ptr<TryNesting>> Nestings;
  llvm::DenseMap<const clang::CXXCatchStmt *, bool> HandlerEnds;
  /// Summaries call each other down call chains; past this depth a callee is assumed to return
  /// (and not to fork), so generated code with very long chains cannot exhaust the stack.
  RecursionBudget SummaryBudget;
};

} // namespace forkhazard

#endif
