// How the parent of one fork site treats its child: where it first goes on without ending, the
// waits it reaches and whether one may reap this child, and whether it hands the child's pid to
// its caller. missing-wait judges a site by it, and a TU's summary records the functions whose
// callers (in any TU) must reap the child they are handed.
#ifndef FORK_HAZARD_PARENT_REAPING_H
#define FORK_HAZARD_PARENT_REAPING_H

#include "analysis/PidEscape.h"
#include "analysis/ProcessRoles.h"
#include <vector>

namespace forkhazard {

class TranslationUnitIndex;

struct ParentPath {
  std::vector<const RoleEvent *> Waits; // the wait calls the parent reaches
  /// The first place the parent goes on: returns, throws, falls off the end, or reaches this
  /// fork again; null when every path of the parent ends the process.
  const RoleEvent *GoesOn = nullptr;
  bool LeavesFunction = false; // the parent returns, throws or falls off the end somewhere
};
ParentPath parentPath(const ForkSiteRoles &Site);

/// Whether a wait call the parent reaches can reap this child: it waits for any child, for this
/// pid, or for a value the analysis cannot tell apart from it (`children[i]`). A wait for a local
/// variable that never held this pid, or for a constant, is for another child.
bool waitMayReap(const clang::CallExpr *Wait, const PidFlow &Flow,
                 const TranslationUnitIndex &Index, const clang::ASTContext &Ctx);

/// Whether the parent goes on, reaches no wait that may reap this child, and returns the pid:
/// then the caller of the forking function must reap it (missing-wait, one step up).
bool handsChildToCaller(const ForkSiteRoles &Site, const TranslationUnitIndex &Index,
                        const clang::ASTContext &Ctx);

} // namespace forkhazard

#endif
