// missing-wait: a child that nothing ever reaps stays a zombie (its pid and exit status keep a
// process-table slot) until the parent exits; a long-running parent that forks per request
// fills the table and fork() starts failing.
//
// Reported at the fork when the parent goes on running (returns, loops to fork again) and on its
// way reaches no wait for this child or for any child (directly or in a function of this file it
// calls), and the pid does not escape to code that may reap it later (analysis/PidEscape.h).
// Not reported when something reaps in the background (SIGCHLD ignored, SA_NOCLDWAIT, a SIGCHLD
// handler that waits, a reaper thread), when the parent leaves the function and the file waits
// for any child elsewhere, when the parent ends right away (a daemonizing parent, the middle
// process of a double fork), or when the forking function calls daemon(). One step up: a
// function that returns the pid is reported at each call in this file that drops it.
#include "analysis/ChildReaping.h"
#include "analysis/Compat.h"
#include "analysis/LibcFunctions.h"
#include "analysis/ParentReaping.h"
#include "analysis/PathNotes.h"
#include "analysis/PidEscape.h"
#include "analysis/ProgramFacts.h"
#include "analysis/Recognizers.h"
#include "analysis/TranslationUnitFacts.h"
#include "analysis/TranslationUnitIndex.h"
#include "rules/Rule.h"

using namespace clang;

namespace forkhazard {
namespace {

class MissingWaitRule : public Rule {
public:
  /// One step up across TUs: a function of another TU hands this caller its child's pid, and
  /// the caller drops it (the same rules as for a caller in the forking function's own file).
  void checkCallHandedAChild(const CallExpr *Call, const FunctionDecl *Caller,
                             const ProgramFunction &Callee, RuleContext &Context) override {
    ChildReaping &Reaping = Context.Facts.childReaping();
    const FunctionDecl *Helper = directCallee(Call);
    if (!Caller || Reaping.hasBackgroundReaper(Caller) || Reaping.anyChildWaitOutside(Helper) ||
        Reaping.waitsUnder(Caller))
      return;
    std::optional<DroppedPid> Dropped = droppedResult(Call, Caller, &Context.Index);
    if (!Dropped)
      return;
    Finding F = droppedPidFinding(Call, Callee.Name, *Dropped);
    F.note(Call->getBeginLoc(), "'" + Callee.Name + "' is defined in " +
                                    Context.Index.programFacts()->describe(Callee.Where) +
                                    " and creates the child at " +
                                    Context.Index.programFacts()->describe(Callee.ChildCreation));
    Context.Report.add(std::move(F));
  }

  void checkForkSite(const ForkSiteRoles &Site, RuleContext &Context) override {
    if (Site.site().ViaRoleTellingCall)
      return; // no pid reaches this parent: the fork inside the callee is checked for it
    ParentPath Parents = parentPath(Site);
    const RoleEvent *GoesOn = Parents.GoesOn;
    const bool LeavesFunction = Parents.LeavesFunction;
    if (!GoesOn)
      return; // every path of the parent ends the process: the child is handed to init

    PidFlow Flow(Site, &Context.Index);
    for (const RoleEvent *Wait : Parents.Waits)
      if (waitMayReap(cast<CallExpr>(Wait->Where), Flow, Context.Index, Context.Ctx))
        return;
    if (Flow.parentReturnsPid()) {
      reportDroppingCallers(Site, Context); // one step up: who drops the returned pid
      return;
    }
    if (Flow.escape() || callsDaemon(Site))
      return;
    ChildReaping &Reaping = Context.Facts.childReaping();
    if (Reaping.hasBackgroundReaper(Site.function().decl()) ||
        parentCallsAnyChildReaper(Site, Reaping))
      return;
    // The parent returns to a caller; a wait for any child elsewhere in the file is probably
    // where its children are reaped.
    if (LeavesFunction && (Reaping.anyChildWaitOutside(Site.function().decl()) ||
                           waitsBeforeTheFork(Site, Reaping)))
      return;

    const ForkSite &Fork = Site.site();
    Finding F;
    F.Location = Fork.Call->getBeginLoc();
    F.Message = "the child created by '" + forkName(Fork) +
                "' is never waited for; it stays a zombie until this process exits";
    std::vector<PathStep> Path = Site.pathTo(*GoesOn, Parent);
    if (GoesOn->Kind == EventKind::FallsOffEnd) // the last edge, into the exit, may be a branch
      Path.push_back({&Site.function().cfg().getExit(), Parent, false});
    addBranchNotes(F, Site, Path, Parent);
    const Stmt *Loop = GoesOn->Kind == EventKind::ReachesFork ? firstLoopBackEdge(Path) : nullptr;
    if (Loop)
      F.note(Loop->getBeginLoc(),
             "the parent process goes round this loop and forks again without waiting");
    else
      F.note(eventLocation(*GoesOn, Site), parentGoesOn(*GoesOn, Site));
    if (Fork.ViaWrapper)
      F.note(Fork.Callee->getLocation(),
             "'" + forkName(Fork) + "' returns the pid of the child it creates");
    if (const CallExpr *User = Flow.handedToUserOnly())
      F.note(User->getBeginLoc(), userOnlyNote(User, Context));
    Context.Report.add(std::move(F));
  }

private:
  /// The parent hands the pid to a function that only tests or prints it.
  static std::string userOnlyNote(const CallExpr *User, RuleContext &Context) {
    const FunctionDecl *Callee = directCallee(User);
    std::string Note = "'" + Callee->getNameAsString() +
                       "' only tests or prints the pid it is passed; it does not keep it";
    if (const ProgramFunction *Elsewhere = Context.Index.programFunction(Callee))
      Note += " (defined in " + Context.Index.programFacts()->describe(Elsewhere->Where) + ")";
    return Note;
  }

  /// A wait for any child in the forking function that no process runs after the fork (util-linux
  /// fsck's wait_one: `wait4(-1, ...)`, then a helper fork): the next call reaps this child.
  static bool waitsBeforeTheFork(const ForkSiteRoles &Site, ChildReaping &Reaping) {
    for (const CallExpr *Wait : Reaping.anyChildWaitsIn(Site.function().decl()))
      if (!Site.executionOf(Wait))
        return true;
    return false;
  }

  /// Whether the parent calls a function of this file that waits for any child (also after
  /// later forks, in its shared tails).
  static bool parentCallsAnyChildReaper(const ForkSiteRoles &Site, ChildReaping &Reaping) {
    auto Reaps = [&](const RoleEvent &Execution) {
      const auto *Call = dyn_cast<CallExpr>(Execution.Where);
      const FunctionDecl *Callee = Call ? directCallee(Call) : nullptr;
      return Callee && Reaping.anyChildWaitUnder(Callee);
    };
    for (const RoleEvent &Execution : Site.executed())
      if ((Execution.Roles & Parent) && Reaps(Execution))
        return true;
    bool InTail = false;
    Site.forEachTailExecution([&](const RoleEvent &Execution, RoleBit Role) {
      InTail = InTail || (Role == Parent && Reaps(Execution));
    });
    return InTail;
  }

  /// After daemon() the forking process is itself a detached daemon. The whole function is
  /// looked at: daemon() before the fork is not among what runs after it.
  static bool callsDaemon(const ForkSiteRoles &Site) {
    for (const CFGBlock *Block : Site.function().cfg())
      for (const CFGElement &Element : *Block)
        if (auto S = Element.getAs<CFGStmt>())
          if (const auto *Call = dyn_cast<CallExpr>(S->getStmt()))
            if (libcName(directCallee(Call)) == "daemon")
              return true;
    return false;
  }

  /// The forking function returns the pid to its caller; each call in this file that drops
  /// the value (throws it away, or keeps it in a variable it only tests or prints) leaves the
  /// child unreaped. A fork wrapper's calls are fork sites of their own, checked as such.
  void reportDroppingCallers(const ForkSiteRoles &Site, RuleContext &Context) {
    const FunctionDecl *Helper = Site.function().decl();
    if (Helper->isMain() || Context.Index.isForkWrapper(Helper))
      return;
    ChildReaping &Reaping = Context.Facts.childReaping();
    if (Reaping.hasBackgroundReaper(Helper) || Reaping.anyChildWaitOutside(Helper))
      return;
    for (const LocalCall &Use : Reaping.callsOf(Helper)) {
      if (Reaping.waitsUnder(Use.Caller))
        continue; // it waits for something; do not second-guess which child
      std::optional<DroppedPid> Dropped = droppedResult(Use.Call, Use.Caller, &Context.Index);
      if (!Dropped)
        continue;
      std::string Name = Helper->getNameAsString();
      Finding F = droppedPidFinding(Use.Call, Name, *Dropped);
      addForkNote(F, Site, "the child process is created here, in '" + Name + "'");
      Context.Report.add(std::move(F));
    }
  }

  static Finding droppedPidFinding(const CallExpr *Call, const std::string &Helper,
                                   const DroppedPid &Dropped) {
    Finding F;
    F.Location = Call->getBeginLoc();
    F.Message = "the child created by '" + Helper + "' is never waited for: the pid it returns ";
    if (Dropped.KeptIn)
      F.Message += "is kept in '" + Dropped.KeptIn->getNameAsString() +
                   "' but never waited for or passed on";
    else
      F.Message += "is dropped here";
    F.Message += ", so the child stays a zombie until this process exits";
    return F;
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
};

} // namespace

std::unique_ptr<Rule> createMissingWaitRule() { return std::make_unique<MissingWaitRule>(); }

} // namespace forkhazard
