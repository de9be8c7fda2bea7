// unsafe-call-in-child: in a program that creates threads, the child of fork() has only the
// thread that called fork; a lock another thread held at that moment (malloc's, stdio's, a
// mutex) stays locked forever in the child. Until it execs, the child may only call
// async-signal-safe functions (rules/async-signal-safe.def). Each distinct unsafe callee is
// reported once per fork site, at the call, with the thread evidence and, for calls through
// helpers of this file, the chain down to the unsafe call.
#include "plugin/Options.h"
#include "plugin/PathNotes.h"
#include "plugin/Rule.h"
#include "plugin/SignalSafety.h"
#include "plugin/ThreadEvidence.h"
#include "plugin/TranslationUnitIndex.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringSet.h"

using namespace clang;

namespace forkhazard {
namespace {

std::string calleeName(const Stmt *S) {
  if (const auto *Call = dyn_cast<CallExpr>(S))
    if (const FunctionDecl *Callee = Call->getDirectCallee())
      return Callee->getNameAsString();
  return "a function";
}

/// The construction inside a thrown expression (under casts, temporaries and cleanups).
const Stmt *thrownConstruction(const Expr *Object) {
  const Expr *E = Object->IgnoreImplicit()->IgnoreParens();
  if (const auto *Cast = dyn_cast<CXXFunctionalCastExpr>(E))
    E = Cast->getSubExpr()->IgnoreImplicit();
  return E;
}

class UnsafeCallInChildRule : public Rule {
public:
  void checkForkSite(const ForkSiteRoles &Site, RuleContext &Context) override {
    if (Site.site().IsVFork)
      return; // vfork-misuse reports every call in a vfork child
    if (!threadsExist(Context))
      return;
    if (!Safety)
      Safety.emplace(Context.Ctx, Context.Opts.UnknownCallsUnsafe);
    llvm::StringSet<> Reported;
    // The exception object a throw constructs is part of the throw's one report.
    llvm::SmallPtrSet<const Stmt *, 4> ThrownObjects;
    for (const RoleEvent &Execution : Site.executed())
      if (const auto *Throw = dyn_cast<CXXThrowExpr>(Execution.Where))
        if (const Expr *Object = Throw->getSubExpr())
          ThrownObjects.insert(thrownConstruction(Object));
    for (const RoleEvent &Execution : Site.executed()) {
      if (ThrownObjects.count(Execution.Where))
        continue;
      // Before exec only: after a failed exec the child's next step is _exit (perror there is
      // the common, tolerated idiom; see the docs).
      RoleSet Roles = Execution.Roles & ChildBeforeExec;
      if (!Roles)
        continue;
      UnsafeOperation Operation;
      std::vector<const CallExpr *> Chain;
      SignalSafety::Verdict Verdict = Safety->classify(Execution.Where, Operation, Chain);
      if (Verdict != SignalSafety::Verdict::Unsafe &&
          Verdict != SignalSafety::Verdict::ThroughHelper)
        continue;
      std::string Key = Verdict == SignalSafety::Verdict::ThroughHelper
                            ? calleeName(Execution.Where) + " -> " + Operation.Callee
                            : Operation.Callee;
      if (!Reported.insert(Key).second)
        continue;
      report(Site, Context, Execution, (Roles & Child) ? Child : ChildShared, Operation, Chain,
             Verdict == SignalSafety::Verdict::ThroughHelper);
    }
    for (const ObjectDestruction &Destruction : Site.destructions())
      checkDestruction(Site, Context, Destruction, Reported);
  }

private:
  std::optional<SignalSafety> Safety;

  /// A local object whose destructor runs in the child at the end of its scope.
  void checkDestruction(const ForkSiteRoles &Site, RuleContext &Context,
                        const ObjectDestruction &Destruction, llvm::StringSet<> &Reported) {
    RoleSet Roles = Destruction.Event.Roles & ChildBeforeExec;
    if (!Roles)
      return;
    UnsafeOperation Operation;
    std::vector<const CallExpr *> Chain;
    SignalSafety::Verdict Verdict = Safety->classifyDestruction(Destruction.Object, Operation, Chain);
    if (Verdict != SignalSafety::Verdict::Unsafe &&
        Verdict != SignalSafety::Verdict::ThroughHelper)
      return;
    // Its construction, if the child made it, is the same problem: one report per type.
    std::string Type = Destruction.Object->getType().getUnqualifiedType().getAsString(
        PrintingPolicy(Context.Ctx.getLangOpts()));
    if (!Reported.insert(Type).second)
      return;
    const Stmt *Trigger = Destruction.Event.Where;
    SourceLocation End = Trigger->getEndLoc();
    Finding F;
    F.Check = "unsafe-call-in-child";
    F.Location = End;
    F.Message = "destroying '" + Destruction.Object->getNameAsString() + "' (a '" + Type +
                "') at the end of its scope is not async-signal-safe; in a multithreaded "
                "program the child of fork() can deadlock here if another thread held " +
                Operation.Resource;
    addForkNote(F, Site, "the child process is created here");
    RoleBit Role = (Roles & Child) ? Child : ChildShared;
    addBranchNotes(F, Site, Site.pathTo(Destruction.Event, Role), Role);
    F.note(Destruction.Object->getLocation(), "'" + Destruction.Object->getNameAsString() +
                                                   "' is declared here");
    if (Verdict == SignalSafety::Verdict::ThroughHelper && Operation.Where)
      F.note(Operation.Where->getBeginLoc(),
             "its destructor calls '" + Operation.Callee + "', not async-signal-safe");
    addThreadNote(F, Site);
    Context.Report.add(std::move(F));
  }

  void addThreadNote(Finding &F, const ForkSiteRoles &Site) {
    if (ThreadCreation && *ThreadCreation)
      F.note((*ThreadCreation)->getBeginLoc(), "threads are created here");
    else
      F.note(Site.site().Call->getBeginLoc(),
             "the program creates threads (-fplugin-arg-fork-hazard-threads=yes)");
  }
  std::optional<const Stmt *> ThreadCreation; // computed once per TU

  bool threadsExist(RuleContext &Context) {
    if (Context.Opts.Threads == Options::ThreadsMode::No)
      return false;
    if (!ThreadCreation)
      ThreadCreation = firstThreadCreation(Context.Index, Context.Ctx.getSourceManager());
    return Context.Opts.Threads == Options::ThreadsMode::Yes || *ThreadCreation;
  }

  void report(const ForkSiteRoles &Site, RuleContext &Context, const RoleEvent &Execution,
              RoleBit Role, const UnsafeOperation &Operation,
              llvm::ArrayRef<const CallExpr *> Chain, bool ThroughHelper) {
    const Stmt *At = Execution.Where;
    std::string What = Operation.Callee == "new" || Operation.Callee == "delete"
                           ? "'" + Operation.Callee + "' allocates and"
                       : Operation.Callee == "throw" ? "throwing an exception allocates it and"
                       : isa<CXXConstructExpr>(Operation.Where)
                           ? "constructing a '" + Operation.Callee + "' allocates and"
                           : "'" + Operation.Callee + "'";
    Finding F;
    F.Check = "unsafe-call-in-child";
    F.Location = At->getBeginLoc();
    if (ThroughHelper)
      F.Message = "'" + calleeName(At) + "' calls '" + Operation.Callee +
                  "', which is not async-signal-safe; in a multithreaded program the child of "
                  "fork() can deadlock here if another thread held " + Operation.Resource;
    else
      F.Message = What + " is not async-signal-safe; in a multithreaded program the child of "
                  "fork() can deadlock here if another thread held " + Operation.Resource;
    addForkNote(F, Site, "the child process is created here");
    addBranchNotes(F, Site, Site.pathTo(Execution, Role), Role);
    if (ThroughHelper) {
      // The chain: each helper's call to the next, down to the unsafe operation.
      for (const CallExpr *Call : Chain)
        F.note(Call->getBeginLoc(), "'" + calleeName(Call) + "' is called here");
      F.note(Operation.Where->getBeginLoc(),
             "'" + Operation.Callee + "' is called here, not async-signal-safe");
    }
    addThreadNote(F, Site);
    Context.Report.add(std::move(F));
  }
};

} // namespace

std::unique_ptr<Rule> createUnsafeCallInChildRule() {
  return std::make_unique<UnsafeCallInChildRule>();
}

} // namespace forkhazard
