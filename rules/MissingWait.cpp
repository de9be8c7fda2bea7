// missing-wait: a child that nothing ever reaps stays a zombie (its pid and exit status keep a
// process-table slot) until the parent exits; a long-running parent that forks per request
// fills the table and fork() starts failing.
//
// Reported at the fork when the parent goes on running (returns, loops, forks again) and on its
// way reaches no wait call, and the pid does not escape to code that may reap it: returned,
// stored outside a local variable, passed to a function, put in an object. Not reported when the
// TU handles SIGCHLD or reaps any child somewhere, when the parent ends right away (it hands the
// child to init, as a daemonizing parent or the middle process of a double fork does), or when
// the forking function calls daemon().
#include "plugin/ChildReaping.h"
#include "plugin/LibcFunctions.h"
#include "plugin/PathNotes.h"
#include "plugin/Rule.h"
#include "plugin/TranslationUnitIndex.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace clang;

namespace forkhazard {
namespace {

/// Library functions that use a pid without keeping it: passing the pid to them is no escape.
const llvm::StringRef PidUsersThatDoNotKeepIt[] = {
    "kill",    "killpg",   "setpgid",  "getpgid", "tcsetpgrp",   "setpriority",
    "printf",  "fprintf",  "dprintf",  "sprintf", "snprintf",    "syslog",
    "sched_setaffinity",   "sched_setscheduler",  "prlimit",     "getpriority",
};

class MissingWaitRule : public Rule {
public:
  void checkForkSite(const ForkSiteRoles &Site, RuleContext &Context) override {
    if (!Reaping)
      Reaping = ChildReaping::of(Context.Index, Context.Ctx);
    if (Reaping->SigchldSetup || Reaping->AnyChildReaper)
      return;
    if (callsDaemon(Site, Context.Index))
      return;
    const RoleEvent *GoesOn = nullptr;
    for (const RoleEvent &Event : Site.events()) {
      if (!(Event.Roles & Parent))
        continue;
      if (Event.Kind == EventKind::Waits)
        return;
      if (Event.Kind == EventKind::Returns && Event.ReturnsPid) {
        reportDroppingCallers(Site, Context); // one step up: who drops the returned pid
        return;
      }
      bool Outlives = Event.Kind == EventKind::Returns || Event.Kind == EventKind::Throws ||
                      Event.Kind == EventKind::FallsOffEnd ||
                      Event.Kind == EventKind::ReachesFork;
      if (Outlives && !GoesOn)
        GoesOn = &Event;
    }
    if (!GoesOn || pidEscapes(Site))
      return;

    const ForkSite &Fork = Site.site();
    Finding F;
    F.Check = "missing-wait";
    F.Location = Fork.Call->getBeginLoc();
    F.Message = "the child created by '" + forkName(Fork) +
                "' is never waited for; it stays a zombie until this process exits";
    if (Fork.ViaWrapper)
      F.note(Fork.Callee->getLocation(),
             "'" + forkName(Fork) + "' forks and returns the child's pid, which is dropped here");
    std::vector<PathStep> Path = Site.pathTo(*GoesOn, Parent);
    addBranchNotes(F, Site, Path, Parent);
    const Stmt *Loop = GoesOn->Kind == EventKind::ReachesFork ? firstLoopBackEdge(Path) : nullptr;
    if (Loop)
      F.note(Loop->getBeginLoc(),
             "the parent process goes round this loop and forks again without waiting");
    else
      F.note(eventLocation(*GoesOn, Site), parentGoesOn(*GoesOn, Site));
    Context.Report.add(std::move(F));
  }

private:
  std::optional<ChildReaping> Reaping;

  /// The forking function returns the pid to its caller; callers in this TU that throw the
  /// result away leave the child unreaped.
  static void reportDroppingCallers(const ForkSiteRoles &Site, RuleContext &Context) {
    const FunctionDecl *Helper = Site.function().decl();
    if (Helper->isMain())
      return;
    for (const CallExpr *Call : Context.Index.discardedCallsTo(Helper)) {
      Finding F;
      F.Check = "missing-wait";
      F.Location = Call->getBeginLoc();
      F.Message = "the child created by '" + Helper->getNameAsString() +
                  "' is never waited for: the pid it returns is dropped here, so the child "
                  "stays a zombie until this process exits";
      addForkNote(F, Site, "the child process is created here");
      Context.Report.add(std::move(F));
    }
  }

  static std::string parentGoesOn(const RoleEvent &Event, const ForkSiteRoles &Site) {
    switch (Event.Kind) {
    case EventKind::ReachesFork:
      return "the parent process forks again here without having waited for the child";
    case EventKind::Returns:
    case EventKind::FallsOffEnd:
    case EventKind::Throws:
      return "the parent process " + escapeDescription(Event, Site) +
             " here without waiting for the child";
    default:
      return "the parent process goes on here without waiting for the child";
    }
  }

  static bool callsDaemon(const ForkSiteRoles &Site, const TranslationUnitIndex &Index) {
    for (const CallExpr *Call : Index.callsTo("daemon"))
      if (Site.function().locate(Call))
        return true;
    return false;
  }

  /// Whether the parent hands the pid to code that may reap it. The variables that may hold it
  /// are collected first (a may-analysis, unlike the must-set that splits roles: here a missed
  /// copy would be a false report).
  static bool pidEscapes(const ForkSiteRoles &Site) {
    const CallExpr *ForkCall = Site.site().Call;
    llvm::SmallPtrSet<const VarDecl *, 8> Holders;
    auto HoldsPid = [&](const Expr *E, const Stmt *At) {
      if (!E)
        return false;
      E = E->IgnoreParenCasts();
      if (const auto *Ref = dyn_cast<DeclRefExpr>(E))
        if (const auto *Var = dyn_cast<VarDecl>(Ref->getDecl()))
          if (Holders.count(Var))
            return true;
      return isPidValue(E, ForkCall, Site.pidVarsBefore(At));
    };
    auto ParentRuns = [](const RoleEvent &Execution) {
      return (Execution.Roles & Parent) != 0;
    };

    // Copies, to a fixed point (a copy of a copy); declarations count wherever they are.
    for (bool Changed = true; Changed;) {
      Changed = false;
      for (const RoleEvent &Execution : Site.executed()) {
        const Stmt *S = Execution.Where;
        if (const auto *Decl = dyn_cast<DeclStmt>(S)) {
          for (const clang::Decl *D : Decl->decls())
            if (const auto *Var = dyn_cast<VarDecl>(D))
              if (HoldsPid(Var->getInit(), S))
                Changed |= Holders.insert(Var).second;
        } else if (const auto *Assign = dyn_cast<BinaryOperator>(S)) {
          if (Assign->getOpcode() == BO_Assign && HoldsPid(Assign->getRHS(), S))
            if (const auto *Ref = dyn_cast<DeclRefExpr>(Assign->getLHS()->IgnoreParenCasts()))
              if (const auto *Var = dyn_cast<VarDecl>(Ref->getDecl()))
                Changed |= Holders.insert(Var).second;
        }
      }
    }
    for (const VarDecl *Var : Holders)
      if (!Var->hasLocalStorage())
        return true; // a global or static keeps it for later

    for (const RoleEvent &Execution : Site.executed()) {
      if (!ParentRuns(Execution))
        continue;
      const Stmt *S = Execution.Where;
      if (const auto *Return = dyn_cast<ReturnStmt>(S)) {
        if (HoldsPid(Return->getRetValue(), S))
          return true;
      } else if (const auto *Call = dyn_cast<CallExpr>(S)) {
        if (keepsArguments(Call))
          for (const Expr *Arg : Call->arguments())
            if (HoldsPid(Arg, S) || takesAddressOfHolder(Arg, Holders))
              return true;
      } else if (const auto *Construct = dyn_cast<CXXConstructExpr>(S)) {
        for (const Expr *Arg : Construct->arguments())
          if (HoldsPid(Arg, S) || takesAddressOfHolder(Arg, Holders))
            return true;
      } else if (const auto *Init = dyn_cast<InitListExpr>(S)) {
        for (const Expr *Element : Init->inits())
          if (HoldsPid(Element, S))
            return true; // into a struct or an array
      } else if (const auto *Assign = dyn_cast<BinaryOperator>(S)) {
        if (Assign->getOpcode() == BO_Assign && HoldsPid(Assign->getRHS(), S) &&
            !isa<DeclRefExpr>(Assign->getLHS()->IgnoreParenCasts()))
          return true; // a field, an array element, through a pointer
      } else if (const auto *Lambda = dyn_cast<LambdaExpr>(S)) {
        for (const LambdaCapture &Capture : Lambda->captures())
          if (Capture.capturesVariable())
            if (const auto *Var = dyn_cast<VarDecl>(Capture.getCapturedVar()))
              if (Holders.count(Var))
                return true;
      } else if (const auto *Unary = dyn_cast<UnaryOperator>(S)) {
        if (Unary->getOpcode() == UO_AddrOf && takesAddressOfHolder(Unary, Holders))
          return true;
      }
    }
    return false;
  }

  static bool takesAddressOfHolder(const Expr *E, const llvm::SmallPtrSetImpl<const VarDecl *> &Holders) {
    const auto *AddressOf = dyn_cast<UnaryOperator>(E->IgnoreParenCasts());
    if (!AddressOf || AddressOf->getOpcode() != UO_AddrOf)
      return false;
    const auto *Ref = dyn_cast<DeclRefExpr>(AddressOf->getSubExpr()->IgnoreParenCasts());
    const auto *Var = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
    return Var && Holders.count(Var);
  }

  /// Whether a call may keep what it is given (anything but the known pid users).
  static bool keepsArguments(const CallExpr *Call) {
    llvm::StringRef Name = libcName(directCallee(Call));
    return Name.empty() || !llvm::is_contained(PidUsersThatDoNotKeepIt, Name);
  }
};

} // namespace

std::unique_ptr<Rule> createMissingWaitRule() { return std::make_unique<MissingWaitRule>(); }

} // namespace forkhazard
