// What a translation unit does about its children as a whole, for missing-wait: whether it
// handles SIGCHLD (ignores it, sets SA_NOCLDWAIT, or installs a handler, which reaps), or reaps
// any child somewhere (wait(), waitpid(-1, ...)). Read from the index's recorded library calls,
// once per TU.
#ifndef FORK_HAZARD_CHILD_REAPING_H
#define FORK_HAZARD_CHILD_REAPING_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"

namespace forkhazard {

class TranslationUnitIndex;

struct ChildReaping {
  /// A signal()/sigaction() call that sets SIGCHLD's disposition, or null.
  const clang::CallExpr *SigchldSetup = nullptr;
  /// A call that reaps any child (wait, wait3, waitpid/wait4 with pid <= 0, waitid(P_ALL)).
  const clang::CallExpr *AnyChildReaper = nullptr;

  static ChildReaping of(const TranslationUnitIndex &Index, clang::ASTContext &Ctx);
};

} // namespace forkhazard

#endif
