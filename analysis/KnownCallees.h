// Calls through a function pointer whose target is known without tracking values: a local
// variable initialized from a function name (`void (*cb)(void) = log_and_cleanup;`, `= &f`) and
// then only read -- never assigned, its address never taken, never bound to a reference -- can
// only call that function. Parameters and globals can point anywhere: no target for those.
#ifndef FORK_HAZARD_KNOWN_CALLEES_H
#define FORK_HAZARD_KNOWN_CALLEES_H

#include "clang/AST/Expr.h"
#include "llvm/ADT/DenseMap.h"
#include <optional>

namespace forkhazard {

struct KnownCallee {
  const clang::FunctionDecl *Callee;
  const clang::VarDecl *Pointer; // the local the call goes through
};

class KnownCallees {
public:
  /// The function `cb()` or `(*cb)()` calls, if cb is such a local of the function the call is in.
  std::optional<KnownCallee> of(const clang::CallExpr *Call);

private:
  /// Per variable: its only target, or null (memoized: each scan reads the whole function).
  llvm::DenseMap<const clang::VarDecl *, const clang::FunctionDecl *> Targets;
};

} // namespace forkhazard

#endif
