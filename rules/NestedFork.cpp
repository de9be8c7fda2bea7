// nested-fork: a later fork is reached by both the parent and the child of an earlier one, so
// it runs in two processes (`fork(); fork();` makes four processes, not three).
#include "analysis/PathNotes.h"
#include "rules/Rule.h"

using namespace clang;

namespace forkhazard {
namespace {

class NestedForkRule : public Rule {
public:
  void checkForkSite(const ForkSiteRoles &Site, RuleContext &Context) override {
    const ForkSite &Earlier = Site.site();
    for (const RoleEvent &Event : Site.events()) {
      if (!Site.reachesAnotherFork(Event))
        continue;
      // Only the child (double-fork daemon) or only the parent (spawning in turn) is fine.
      if (!(Event.Roles & ParentRoles) || !(Event.Roles & ChildBeforeExec))
        continue;
      const auto *Later = cast<CallExpr>(Event.Where);
      const ForkSite *LaterSite = Site.function().forkSiteFor(Later);
      std::string LaterName = LaterSite ? forkName(*LaterSite) : std::string("fork");
      RoleBit Role = (Event.Roles & Child) ? Child : ChildShared;
      std::vector<PathStep> Path = Site.pathTo(Event, Role);
      Finding F;
      F.Location = Later->getBeginLoc();
      F.Message = "this '" + LaterName + "' runs in both the parent and the child of an earlier '" +
                  forkName(Earlier) + "', so it creates two processes instead of one";
      addForkNote(F, Site, "the earlier fork is here; its child does not exit before the later one");
      addBranchNotes(F, Site, Path, Role);
      if (auto Shared = sharedCodeEntryOnPath(Path))
        if (const Stmt *First = firstStatementAlong(Path, *Shared))
          F.note(First->getBeginLoc(), "the child falls through into code the parent also runs");
      Context.Report.add(std::move(F));
    }
  }
};

} // namespace

std::unique_ptr<Rule> createNestedForkRule() { return std::make_unique<NestedForkRule>(); }

} // namespace forkhazard
