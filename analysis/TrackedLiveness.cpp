#include "analysis/TrackedLiveness.h"

#include "clang/AST/Expr.h"
#include "clang/AST/Stmt.h"
#include <deque>

using namespace clang;

namespace forkhazard {

static const VarDecl *referencedVar(const Expr *E) {
  const auto *Ref = dyn_cast_or_null<DeclRefExpr>(E ? E->IgnoreParens() : nullptr);
  return Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
}

TrackedLiveness::TrackedLiveness(const CFG &Cfg, const TrackedVariables &Tracked)
    : Tracked(Tracked) {
  for (const CFGBlock *Block : Cfg)
    for (const CFGElement &Element : *Block) {
      auto S = Element.getAs<CFGStmt>();
      if (!S)
        continue;
      if (const auto *Ref = dyn_cast<DeclRefExpr>(S->getStmt())) {
        if (const auto *Var = dyn_cast<VarDecl>(Ref->getDecl()))
          if (Tracked.contains(Var))
            Index.try_emplace(Var, Index.size());
      } else if (const auto *Assign = dyn_cast<BinaryOperator>(S->getStmt())) {
        if (Assign->getOpcode() == BO_Assign)
          if (const auto *Ref = dyn_cast<DeclRefExpr>(Assign->getLHS()->IgnoreParens()))
            AssignedOnly.insert(Ref);
      }
    }
  // Backward to a fixed point: a block is queued again when a successor's live-in grew.
  unsigned NumBlocks = Cfg.getNumBlockIDs();
  LiveOut.assign(NumBlocks, llvm::BitVector(Index.size()));
  LiveIn.assign(NumBlocks, llvm::BitVector(Index.size()));
  std::deque<const CFGBlock *> Work;
  std::vector<bool> Queued(NumBlocks, true);
  for (const CFGBlock *Block : Cfg)
    Work.push_back(Block);
  while (!Work.empty()) {
    const CFGBlock *Block = Work.front();
    Work.pop_front();
    unsigned ID = Block->getBlockID();
    Queued[ID] = false;
    llvm::BitVector Live(Index.size());
    for (const CFGBlock *Succ : Block->succs())
      if (Succ)
        Live |= LiveIn[Succ->getBlockID()];
    LiveOut[ID] = Live;
    for (unsigned I = Block->size(); I-- > 0;)
      transfer((*Block)[I], Live);
    if (Live == LiveIn[ID])
      continue;
    LiveIn[ID] = std::move(Live);
    for (const CFGBlock *Pred : Block->preds())
      if (Pred && !Queued[Pred->getBlockID()]) {
        Queued[Pred->getBlockID()] = true;
        Work.push_back(Pred);
      }
  }
}

int TrackedLiveness::indexOf(const VarDecl *Var) const {
  auto It = Index.find(Var);
  return It == Index.end() ? -1 : static_cast<int>(It->second);
}

void TrackedLiveness::transfer(const CFGElement &Element, llvm::BitVector &Live) const {
  auto S = Element.getAs<CFGStmt>();
  if (!S)
    return;
  const Stmt *Statement = S->getStmt();
  if (const auto *Assign = dyn_cast<BinaryOperator>(Statement)) {
    if (Assign->getOpcode() == BO_Assign) {
      int I = indexOf(referencedVar(Assign->getLHS()));
      if (I >= 0)
        Live.reset(I);
    }
  } else if (const auto *Decl = dyn_cast<DeclStmt>(Statement)) {
    for (const clang::Decl *D : Decl->decls())
      if (const auto *Var = dyn_cast<VarDecl>(D)) {
        int I = indexOf(Var);
        if (I >= 0)
          Live.reset(I);
      }
  } else if (const auto *Ref = dyn_cast<DeclRefExpr>(Statement)) {
    if (!AssignedOnly.count(Ref)) {
      int I = indexOf(dyn_cast<VarDecl>(Ref->getDecl()));
      if (I >= 0)
        Live.set(I);
    }
  }
}

llvm::BitVector TrackedLiveness::liveAfter(const CFGBlock &Block, unsigned Index) const {
  llvm::BitVector Live = LiveOut[Block.getBlockID()];
  for (unsigned I = Block.size(); I-- > Index + 1;)
    transfer(Block[I], Live);
  return Live;
}

bool TrackedLiveness::isLive(const llvm::BitVector &Live, const VarDecl *Var) const {
  if (!Tracked.contains(Var))
    return true;
  int I = indexOf(Var);
  return I >= 0 && Live.test(I);
}

} // namespace forkhazard
