// A function that forks and tells its caller which process it is in by what it returns, like
// fork itself: openssh's privsep_preauth returns 0 in the child and 1 in the parent. A call of
// it that the caller branches on is a fork site of the caller (ForkSite::ViaRoleTellingCall),
// with these constants as the per-role values instead of fork's 0 / pid / -1.
#ifndef FORK_HAZARD_ROLE_TELLING_CALLS_H
#define FORK_HAZARD_ROLE_TELLING_CALLS_H

#include "analysis/ProcessRoles.h"
#include <optional>

namespace forkhazard {

/// RoleTellingValues (analysis/ValueRange.h): what it returns to each process.

/// The values Fn returns to the processes of its one fork, when the child's values are
/// constants that neither the parent nor a failed fork can return: every return of a process
/// gives a constant, or passes on the value of a fork site (a wrapper of such a function), and
/// both the child (before exec) and the parent return. None otherwise, in particular when a
/// failed fork may return the child's value (gnulib savewd: then the caller's "child" branch
/// also runs in the parent).
std::optional<RoleTellingValues> valuesTellingProcessesApart(const FunctionRoles &Fn);

/// A call of a function with those values, as a fork site of its caller.
ForkSite roleTellingSite(const clang::CallExpr *Call, const clang::FunctionDecl *Callee,
                         const RoleTellingValues &Values);

} // namespace forkhazard

#endif
