#include "analysis/ParentReaping.h"

#include "analysis/ChildReaping.h"
#include "analysis/Compat.h"
#include "analysis/LibcFunctions.h"
#include "analysis/Recognizers.h"
#include "analysis/TranslationUnitIndex.h"

using namespace clang;

namespace forkhazard {

ParentPath parentPath(const ForkSiteRoles &Site) {
  ParentPath Path;
  for (const RoleEvent &Event : Site.events()) {
    if (!(Event.Roles & Parent))
      continue;
    switch (Event.Kind) {
    case EventKind::Waits:
      Path.Waits.push_back(&Event);
      break;
    case EventKind::Returns:
    case EventKind::Throws:
    case EventKind::FallsOffEnd:
      Path.LeavesFunction = true;
      if (!Path.GoesOn)
        Path.GoesOn = &Event;
      break;
    case EventKind::ReachesFork:
      // This fork again: the loop goes round without a wait. Past another fork the parent
      // goes on as that fork's parent (the walk follows it), and may still end there.
      if (!Path.GoesOn && !Site.reachesAnotherFork(Event))
        Path.GoesOn = &Event;
      break;
    default:
      break;
    }
  }
  return Path;
}

bool waitMayReap(const CallExpr *Wait, const PidFlow &Flow, const TranslationUnitIndex &Index,
                 const ASTContext &Ctx) {
  if (ChildReaping::waitsForAnyChild(Wait, Index, Ctx))
    return true;
  auto MayBeThisPid = [&](const Expr *Arg) {
    if (Flow.holdsPid(Arg))
      return true;
    if (compat::integerConstant(Arg, Ctx))
      return false;
    const Expr *Bare = addressOperand(Arg); // &status
    const VarDecl *Var = referencedVariable(Bare ? Bare : Arg);
    return !(Var && Var->hasLocalStorage());
  };
  WaitFamily Family = waitFamilyOf(directCallee(Wait));
  if (Family == WaitFamily::ByPid)
    return Wait->getNumArgs() == 0 || MayBeThisPid(Wait->getArg(0));
  if (Family == WaitFamily::ById) // waitid(P_PID, pid, ...); for P_PIDFD and others, cannot tell
    return Wait->getNumArgs() < 2 || MayBeThisPid(Wait->getArg(1));
  // A project wait function (wait-functions): any argument may be the pid.
  for (const Expr *Arg : Wait->arguments())
    if (MayBeThisPid(Arg))
      return true;
  return Wait->getNumArgs() == 0;
}

bool handsChildToCaller(const ForkSiteRoles &Site, const TranslationUnitIndex &Index,
                        const ASTContext &Ctx) {
  if (Site.site().ViaRoleTellingCall)
    return false; // no pid reaches this parent
  ParentPath Path = parentPath(Site);
  if (!Path.GoesOn)
    return false;
  PidFlow Flow(Site, &Index);
  for (const RoleEvent *Wait : Path.Waits)
    if (waitMayReap(cast<CallExpr>(Wait->Where), Flow, Index, Ctx))
      return false;
  return Flow.parentReturnsPid() != nullptr;
}

} // namespace forkhazard
