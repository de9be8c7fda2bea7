// What one process knows at a point of a forking function, beyond which branch the fork's
// result sends it: which variables still hold that result, which local integer variables hold
// a known constant, and which local integers or pointers are known to be nonzero (non-null).
// The walk of each role keeps its own facts, so a flag set only in the child (`child = 1; ...
// while (!child)`, `forked++; ... if (forked) _exit(1);`) or a pid the child changes
// (`if (pid == 0) pid--;`) decides later branches for that role alone.
#ifndef FORK_HAZARD_ROLE_FACTS_H
#define FORK_HAZARD_ROLE_FACTS_H

#include "analysis/PidValues.h"
#include "analysis/ValueRange.h"
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

class TrackedLiveness;

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
  /// What is known of tracked variables' values; a variable not listed may hold anything its
  /// type allows (`flag = 1`, `if (p)`, `shard >= 0`, `i` counting up from 0).
  llvm::SmallVector<std::pair<const clang::VarDecl *, ValueRange>, 4> Values;

  /// Keeps only what both know (the hull of each value); returns whether *this changed. With
  /// Widen, a bound that moves goes to the end of the type's range (see ValueRange::widen).
  bool meet(const RoleFacts &Other, bool Widen = false);
  /// What Var may hold: the known range, or what its type allows.
  ValueRange rangeOf(const clang::VarDecl *Var) const;
  std::optional<int64_t> constantOf(const clang::VarDecl *Var) const {
    return rangeOf(Var).constant();
  }
  /// Whether Var is known to be nonzero (by a fact or a nonzero constant).
  bool isNonZero(const clang::VarDecl *Var) const { return rangeOf(Var).excludesZero(); }
  /// Sets what Var holds (an assignment).
  void setRange(const clang::VarDecl *Var, ValueRange Range);
  void setConstant(const clang::VarDecl *Var, std::optional<int64_t> Value) {
    setRange(Var, Value ? ValueRange::exactly(*Value) : ValueRange::unknown());
  }
  /// Narrows what Var holds (a test's edge); false when nothing is left (the edge cannot be
  /// taken).
  bool narrow(const clang::VarDecl *Var, const ValueRange &Range);
  /// Narrows every value by what Other knows (both hold at once); false on a contradiction.
  bool narrowBy(const RoleFacts &Other);
  /// Forgets every value (the bottom of the lattice for them).
  void forgetConstants() { Values.clear(); }
};

/// How often a node's facts may change before the fixed point stops waiting for it: after
/// After changes, moving bounds jump to the ends of their type's range (widening); after
/// Forget changes (only Pids and nonzero flags can still change then) every value is
/// forgotten, which bounds the work on pathological loops.
struct FactWidening {
  static constexpr unsigned After = 2;
  static constexpr unsigned Forget = 16;
};

/// What the facts are about: the fork (null before any fork), the values its result has in the
/// process the facts belong to, and the variables that may be followed.
struct FactScope {
  const clang::CallExpr *ForkSite;
  PidRange Range;
  const TrackedVariables &Tracked;
  const clang::ASTContext &Ctx;
  /// The function's other fork sites: a process that runs one goes on as its parent (or as
  /// the parent whose fork failed), so the call returns what it returns there (-1 or a pid,
  /// never 0, for fork itself). Null before any fork (EntryConstants), where forks are ignored.
  const llvm::DenseMap<const clang::CallExpr *, ValueRange> *OtherForks = nullptr;
};

/// What E may evaluate to in a process with these facts.
ValueRange rangeWithFacts(const clang::Expr *E, const RoleFacts &Facts, const FactScope &Scope);

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
/// `x == 3` means x == 3, of `x >= 0` that x is not negative, of `p && q` that neither is null.
/// False when the facts leave no value for a variable: no process takes that edge.
bool refineOnEdge(const clang::Expr *Cond, bool TrueEdge, RoleFacts &Facts,
                  const FactScope &Scope);

/// The condition a two-way block branches on: its last element, when that is an expression.
/// (CFGBlock::getLastCondition casts blindly, which `asm goto` blocks break.)
const clang::Expr *branchCondition(const clang::CFGBlock *Block);

/// The condition of a two-way `if`/loop/`?:`/`&&`/`||` block (successor 0 taken when it is
/// true); null for switches and other terminators.
const clang::Expr *twoWayCondition(const clang::CFGBlock &Block);

/// Constants known at each block's entry on every execution of the function, forks ignored
/// (a conditional constant propagation that prunes edges its facts decide). Used as what each
/// process knows at the fork.
class EntryConstants {
public:
  /// With Liveness, what is known of a variable is dropped where it is no longer read (a
  /// function with hundreds of forks has a pid variable each: keeping them all made the facts
  /// as large as the function).
  EntryConstants(const clang::CFG &Cfg, const TrackedVariables &Tracked,
                 const clang::ASTContext &Ctx, const TrackedLiveness *Liveness = nullptr);
  /// The facts just before element Index of Block (empty when Block is never reached).
  RoleFacts before(const clang::CFGBlock &Block, unsigned Index) const;

private:
  const TrackedVariables &Tracked;
  const clang::ASTContext &Ctx;
  std::vector<std::optional<RoleFacts>> In;
};

} // namespace forkhazard

#endif
