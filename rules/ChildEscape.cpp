// child-escape: the child of a fork leaves the code written for it without ending: it returns
// from the forking function (not main), throws out of it, or falls through into code that the
// parent also runs. From there it executes the parent's code as a second copy of the program.
#include "analysis/PathNotes.h"
#include "analysis/ProgramFacts.h"
#include "analysis/TranslationUnitIndex.h"
#include "rules/Rule.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace clang;

namespace forkhazard {
namespace {

/// Events where a child in its own branch has left the function.
bool leavesFunction(const RoleEvent &Event) {
  return (Event.Kind == EventKind::Returns && !Event.ReturnsPid) ||
         Event.Kind == EventKind::Throws || Event.Kind == EventKind::FallsOffEnd;
}

/// A return that tells the caller it is the child (`return 0;` where the parent returns 1, as
/// sshd's privsep_preauth does) hands the child over by design, unless a caller throws the
/// value away: one in this translation unit, or one the program's facts know.
bool handsChildToCaller(const RoleEvent &Event, const ForkSiteRoles &Site,
                        const TranslationUnitIndex &Index) {
  const FunctionDecl *FD = Site.function().decl();
  return Event.Kind == EventKind::Returns && Event.TellsProcessesApart &&
         Index.discardedCallsTo(FD).empty() && !Index.resultDiscardedElsewhere(FD);
}

/// For a child's return that would tell its caller apart: the caller that throws it away.
void addDiscardingCallerNote(Finding &F, const RoleEvent &Event, const ForkSiteRoles &Site,
                             const TranslationUnitIndex &Index) {
  if (!Event.TellsProcessesApart)
    return;
  const FunctionDecl *FD = Site.function().decl();
  const std::string Name = "'" + FD->getNameAsString() + "'";
  std::vector<const CallExpr *> Here = Index.discardedCallsTo(FD);
  if (!Here.empty())
    F.note(Here.front()->getBeginLoc(),
           Name + " is called here and its result, which tells the child from the parent, "
                  "is thrown away");
  else if (const ProgramFunction *Elsewhere = Index.resultDiscardedElsewhere(FD))
    F.note(Event.Where ? Event.Where->getBeginLoc() : F.Location,
           "'" + Elsewhere->ResultDiscardedBy + "' calls " + Name + " in " +
               Index.programFacts()->describe(Elsewhere->ResultDiscarded) +
               " and throws away its result, which tells the child from the parent");
}

/// Events that show a child in shared code is running the parent's code. Reaching a fork is
/// left to fork-in-loop and nested-fork; returning the pid makes the function a fork wrapper.
bool showsParentCode(const RoleEvent &Event) {
  return leavesFunction(Event) || Event.Kind == EventKind::EndsProcess ||
         Event.Kind == EventKind::Waits || Event.Kind == EventKind::Exec;
}

/// Whether S is (part of) Leaving, the return or throw statement; for the end of the function
/// (no statement), whether nothing runs in between.
bool isPartOf(const Stmt *S, const Stmt *Leaving, const SourceManager &SM) {
  if (!S || !Leaving)
    return !S;
  return SM.isPointWithin(SM.getExpansionLoc(S->getBeginLoc()),
                          SM.getExpansionLoc(Leaving->getBeginLoc()),
                          SM.getExpansionLoc(Leaving->getEndLoc()));
}

class ChildEscapeRule : public Rule {
public:
  void checkForkSite(const ForkSiteRoles &Site, RuleContext &Context) override {
    // A child that falls through into shared code and then forks is fork-in-loop's or
    // nested-fork's finding: one problem, one diagnostic.
    llvm::SmallPtrSet<const CFGBlock *, 4> ForkingEntries;
    for (const RoleEvent &Event : Site.events())
      if (Event.Kind == EventKind::ReachesFork && (Event.Roles & ChildShared)) {
        std::vector<PathStep> Path = Site.pathTo(Event, ChildShared);
        if (auto Entry = sharedCodeEntryOnPath(Path))
          ForkingEntries.insert(Path[*Entry].Block);
      }
    const bool ParentLeaves = parentLeaves(Site);
    for (const RoleEvent &Event : Site.events()) {
      if ((Event.Roles & Child) && leavesFunction(Event)) {
        // When the parent never leaves the function (it exits, execs or serves forever), the
        // child is the process meant to go on: daemonize(), an accept loop that returns in the
        // child.
        if (ParentLeaves && !handsChildToCaller(Event, Site, Context.Index))
          reportLeaving(Site, Event, Child, Context);
      }
      else if ((Event.Roles & ChildShared) && showsParentCode(Event))
        reportSharedCode(Site, Event, ForkingEntries, Context);
    }
  }

private:
  static bool parentLeaves(const ForkSiteRoles &Site) {
    for (const RoleEvent &Event : Site.events())
      if ((Event.Roles & Parent) &&
          (Event.Kind == EventKind::Returns || Event.Kind == EventKind::FallsOffEnd ||
           Event.Kind == EventKind::Throws))
        return true;
    return false;
  }

  void reportLeaving(const ForkSiteRoles &Site, const RoleEvent &Event, RoleBit Role,
                     RuleContext &Context) {
    Finding F;
    F.Location = eventLocation(Event, Site);
    F.Message = "the child process " + escapeDescription(Event, Site) +
                " and goes on running code meant for the parent";
    addForkNote(F, Site, "the child process is created here");
    addBranchNotes(F, Site, Site.pathTo(Event, Role), Role);
    addThrowNotes(F, Event);
    addDiscardingCallerNote(F, Event, Site, Context.Index);
    Context.Report.add(std::move(F));
  }

  void reportSharedCode(const ForkSiteRoles &Site, const RoleEvent &Event,
                        const llvm::SmallPtrSetImpl<const CFGBlock *> &ForkingEntries,
                        RuleContext &Context) {
    std::vector<PathStep> Path = Site.pathTo(Event, ChildShared);
    auto Entry = sharedCodeEntryOnPath(Path);
    if (Entry && ForkingEntries.count(Path[*Entry].Block))
      return;
    // Joining the parent in the very block that leaves (`return pid == 0 ? 1 : 0;`, a failed
    // `pid == 0 && ready` before a return) is plainly leaving the function.
    const Stmt *First = Entry ? firstStatementAlong(Path, *Entry) : nullptr;
    // (Empty blocks, a `break` target, may come between.)
    if (Entry && leavesFunction(Event) &&
        isPartOf(First, Event.Where, Context.Ctx.getSourceManager())) {
      if (handsChildToCaller(Event, Site, Context.Index))
        return; // the child and a failed fork share the child's value (gnulib savewd)
      return reportLeaving(Site, Event, ChildShared, Context);
    }
    Finding F;
    F.Location = First ? First->getBeginLoc() : eventLocation(Event, Site);
    F.Message = "the child process falls through into code that the parent also runs";
    addForkNote(F, Site, "the child process is created here");
    addBranchNotes(F, Site, Path, ChildShared);
    F.note(eventLocation(Event, Site),
           "the child process then " + escapeDescription(Event, Site));
    addThrowNotes(F, Event);
    Context.Report.add(std::move(F));
  }
};

} // namespace

std::unique_ptr<Rule> createChildEscapeRule() { return std::make_unique<ChildEscapeRule>(); }

} // namespace forkhazard
