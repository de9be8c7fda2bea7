// fork-in-loop: the child of a fork inside a loop goes back around the loop and reaches the
// same fork again, so every child creates children of its own (runaway processes).
#include "analysis/PathNotes.h"
#include "rules/Rule.h"

using namespace clang;

namespace forkhazard {
namespace {

class ForkInLoopRule : public Rule {
public:
  void checkForkSite(const ForkSiteRoles &Site, RuleContext &Context) override {
    const ForkSite &Fork = Site.site();
    for (const RoleEvent &Event : Site.events()) {
      if (Event.Kind != EventKind::ReachesFork || Event.Where != Fork.Call ||
          !(Event.Roles & ChildBeforeExec))
        continue; // a child that failed to exec is unchecked-exec's finding
      RoleBit Role = (Event.Roles & Child) ? Child : ChildShared;
      std::vector<PathStep> Path = Site.pathTo(Event, Role);
      Finding F;
      F.Location = Fork.Call->getBeginLoc();
      F.Message = "the child process goes back around the loop and calls '" + forkName(Fork) +
                  "' again, so every child creates children of its own";
      addBranchNotes(F, Site, Path, Role);
      if (const Stmt *Loop = firstLoopBackEdge(Path))
        F.note(Loop->getBeginLoc(), "the child process continues this loop instead of exiting");
      Context.Report.add(std::move(F));
    }
  }
};

} // namespace

std::unique_ptr<Rule> createForkInLoopRule() { return std::make_unique<ForkInLoopRule>(); }

} // namespace forkhazard
