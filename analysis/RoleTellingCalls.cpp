#include "analysis/RoleTellingCalls.h"

using namespace clang;

namespace forkhazard {

/// What a process in Role returns at Event, a Returns or FallsOffEnd event of Site.
static ValueRange returnedBy(const RoleEvent &Event, RoleBit Role, const ForkSiteRoles &Site) {
  if (Event.Kind == EventKind::FallsOffEnd)
    return ValueRange::unknown(); // no value at all
  if (Event.ReturnsPid) {
    PidRange Value = Site.site().valueIn(Role);
    return ValueRange::between(Value.Low, Value.High);
  }
  if (Event.ReturnedConstant)
    return ValueRange::exactly(*Event.ReturnedConstant);
  return ValueRange::unknown();
}

std::optional<RoleTellingValues> valuesTellingProcessesApart(const FunctionRoles &Fn) {
  const FunctionDecl *FD = Fn.decl();
  if (FD->isMain() || !FD->getReturnType()->isIntegerType() || Fn.sites().size() != 1 ||
      Fn.skippedSites())
    return std::nullopt; // two forks make more than two kinds of process
  const ForkSiteRoles &Site = Fn.sites().front();
  if (Site.site().IsVFork)
    return std::nullopt; // a vfork child must not return at all (vfork-misuse)
  // The hull of what each kind of process returns: the child's in every state (a child after
  // a failed exec returns into the caller too), the parent's, the failed fork's.
  std::optional<ValueRange> ChildHull, ParentHull, FailedHull;
  bool ChildReturnsBeforeExec = false;
  for (const RoleEvent &Event : Site.events()) {
    if (Event.Kind != EventKind::Returns && Event.Kind != EventKind::FallsOffEnd)
      continue;
    for (unsigned I = 0; I < NumRoleBits; ++I) {
      RoleBit Role = roleBit(I);
      if (!(Event.Roles & Role))
        continue;
      std::optional<ValueRange> &Hull =
          (Role & ChildRoles) ? ChildHull : Role == Parent ? ParentHull : FailedHull;
      ValueRange Value = returnedBy(Event, Role, Site);
      Hull = Hull ? Hull->hull(Value) : Value;
      ChildReturnsBeforeExec |= (Role & ChildBeforeExec) != 0;
    }
  }
  // A parent that never returns hands the program over to the child (daemonize): no split.
  if (!ChildReturnsBeforeExec || !ParentHull)
    return std::nullopt;
  auto Apart = [&](const std::optional<ValueRange> &Other) {
    return !Other || ChildHull->intersect(*Other).isEmpty();
  };
  if (!Apart(ParentHull) || !Apart(FailedHull))
    return std::nullopt;
  RoleTellingValues Values{{ChildHull->Low, ChildHull->High},
                           {ParentHull->Low, ParentHull->High},
                           std::nullopt};
  if (FailedHull)
    Values.Failed = PidRange{FailedHull->Low, FailedHull->High};
  return Values;
}

ForkSite roleTellingSite(const CallExpr *Call, const FunctionDecl *Callee,
                         const RoleTellingValues &Values) {
  ForkSite Site;
  Site.Call = Call;
  Site.Callee = Callee;
  Site.ViaRoleTellingCall = true;
  Site.ChildValue = Values.Child;
  Site.ParentValue = Values.Parent;
  Site.FailedValue = Values.Failed;
  return Site;
}

} // namespace forkhazard
