// Which tracked variables (RoleFacts.h) may still be read after a point of a function: a
// backward liveness over the analysis CFG. A process whose pid variables are all dead past a
// later fork behaves from there like every other process that goes on past that fork as its
// parent (ProcessRoles.h, shared tails), and what it knows of dead variables cannot matter.
#ifndef FORK_HAZARD_TRACKED_LIVENESS_H
#define FORK_HAZARD_TRACKED_LIVENESS_H

#include "analysis/RoleFacts.h"
#include "clang/Analysis/CFG.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include <vector>

namespace forkhazard {

class TrackedLiveness {
public:
  TrackedLiveness(const clang::CFG &Cfg, const TrackedVariables &Tracked);
  /// The variables that may be read after element Index of Block runs (by this or a later
  /// element, on some path), as a set that isLive() reads.
  llvm::BitVector liveAfter(const clang::CFGBlock &Block, unsigned Index) const;
  /// The variables that may be read from the start of Block on.
  const llvm::BitVector &liveIn(const clang::CFGBlock &Block) const {
    return LiveIn[Block.getBlockID()];
  }
  /// Whether Var is in Live, a result of liveAfter(). Untracked variables are always live.
  bool isLive(const llvm::BitVector &Live, const clang::VarDecl *Var) const;
  /// Forgets what Facts knows of the variables not in Live (what is never read again cannot
  /// matter).
  void forgetDead(RoleFacts &Facts, const llvm::BitVector &Live) const {
    llvm::erase_if(Facts.Values, [&](const auto &Value) { return !isLive(Live, Value.first); });
  }

private:
  void transfer(const clang::CFGElement &Element, llvm::BitVector &Live) const;
  int indexOf(const clang::VarDecl *Var) const;
  const TrackedVariables &Tracked;
  llvm::DenseMap<const clang::VarDecl *, unsigned> Index;
  llvm::DenseSet<const clang::DeclRefExpr *> AssignedOnly; // `v = ...`: writes v, reads nothing
  std::vector<llvm::BitVector> LiveIn, LiveOut;             // per block ID
};

} // namespace forkhazard

#endif
