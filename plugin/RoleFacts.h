// What one process knows at a point of a forking function, beyond which branch the fork's
// result sends it: which variables still hold that result, which local integer variables hold
// a known constant, and which local integers or pointers are known to be nonzero (non-null).
// The walk of each role keeps its own facts, so a flag set only in the child (`child = 1; ...
// while (!child)`, `forked++; ... if (forked) _exit(1);`) or a pid the child changes
// (`if (pid == 0) pid--;`) decides later branches for that role alone.
#ifndef FORK_HAZARD_ROLE_FACTS_H
#define FORK_HAZARD_ROLE_FACTS_H

#include "plugin/PidValues.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/Analysis/CFG.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace forkhazard {

/// The local variables whose value the facts may follow: integers (and enums, bools) and
/// pointers of one function used only by value, assigned, or incremented: no address taken, no
/// reference bound, no capture, not volatile, not static. Anything else may change behind the
/// walk's back. (A pointer is followed only as null or not: what it points to is not.)
class TrackedVariables {
public:
  explicit TrackedVariables(const clang::FunctionDecl *FD);
  bool contains(const clang::VarDecl *Var) const { return Tracked.count(Var) != 0; }
  bool empty() const { return Tracked.empty(); }

private:
  llvm::DenseSet<const clang::VarDecl *> Tracked;
};

/// Must-facts of one process at one point.
struct RoleFacts {
  PidVarSet Pids; // variables holding the fork's latest result
  llvm::SmallVector<std::pair<const clang::VarDecl *, int64_t>, 4> Constants;
  /// Variables known to be nonzero (or non-null) whose exact value is not known:
  /// `if (usermap && groupmap) { fork... }`, then `if (usermap)` is decided.
  llvm::SmallVector<const clang::VarDecl *, 4> NonZero;

  /// Keeps only what both know; returns whether *this changed.
  bool meet(const RoleFacts &Other);
  std::optional<int64_t> constantOf(const clang::VarDecl *Var) const;
  /// Whether Var is known to be nonzero (by a fact or a nonzero constant).
  bool isNonZero(const clang::VarDecl *Var) const;
  /// Sets Var's value (none: unknown); forgets that it was nonzero.
  void setConstant(const clang::VarDecl *Var, std::optional<int64_t> Value);
  /// Records that Var is nonzero, unless its constant is already known.
  void setNonZero(const clang::VarDecl *Var);
  /// Forgets every constant and nonzero fact (the bottom of the lattice for them).
  void forgetConstants() {
    Constants.clear();
    NonZero.clear();
  }
};

/// What the facts are about: the fork (null before any fork), the values its result has in the
/// process the facts belong to, and the variables that may be followed.
struct FactScope {
  const clang::CallExpr *ForkSite;
  PidRange Range;
  const TrackedVariables &Tracked;
  const clang::ASTContext &Ctx;
};

/// The value of E in a process with these facts, if they determine it.
std::optional<int64_t> evaluateWithFacts(const clang::Expr *E, const RoleFacts &Facts,
                                         const FactScope &Scope);

/// Whether the branch condition Cond is true in a process with these facts, if they decide it
/// (also where evaluateWithFacts cannot: `!p` or `p && q` for pointers known non-null).
std::optional<bool> truthWithFacts(const clang::Expr *Cond, const RoleFacts &Facts,
                                   const FactScope &Scope);

/// Updates the facts for one CFG statement: constants first (`pid--` needs to know that pid
/// held the fork's result), then the variables holding the fork's result.
void updateFacts(const clang::Stmt *S, RoleFacts &Facts, const FactScope &Scope);

/// What taking one edge of a two-way branch on Cond tells about tracked variables: the false
/// edge of `if (flag)` means flag == 0, the true edge means flag != 0, the true edge of
/// `x == 3` means x == 3, the true edge of `p && q` that neither is null.
void refineOnEdge(const clang::Expr *Cond, bool TrueEdge, RoleFacts &Facts,
                  const FactScope &Scope);

/// The condition of a two-way `if`/loop/`?:`/`&&`/`||` block (successor 0 taken when it is
/// true); null for switches and other terminators.
const clang::Expr *twoWayCondition(const clang::CFGBlock &Block);

/// Constants known at each block's entry on every execution of the function, forks ignored
/// (a conditional constant propagation that prunes edges its facts decide). Used as what each
/// process knows at the fork.
class EntryConstants {
public:
  EntryConstants(const clang::CFG &Cfg, const TrackedVariables &Tracked,
                 const clang::ASTContext &Ctx);
  /// The facts just before element Index of Block (empty when Block is never reached).
  RoleFacts before(const clang::CFGBlock &Block, unsigned Index) const;

private:
  const TrackedVariables &Tracked;
  const clang::ASTContext &Ctx;
  std::vector<std::optional<RoleFacts>> In;
};

} // namespace forkhazard

#endif
