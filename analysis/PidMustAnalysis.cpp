// The must-analysis of ProcessRoles.h: which variables hold one fork's result at each block
// boundary (docs/design.md, "Which variables hold the pid").
#include "analysis/ProcessRoles.h"

#include <deque>

using namespace clang;

namespace forkhazard {

std::vector<bool> reachableFrom(const CFG &Cfg, std::vector<const CFGBlock *> Work) {
  std::vector<bool> Reached(Cfg.getNumBlockIDs());
  while (!Work.empty()) {
    const CFGBlock *Block = Work.back();
    Work.pop_back();
    if (!Block || Reached[Block->getBlockID()])
      continue;
    Reached[Block->getBlockID()] = true;
    Work.insert(Work.end(), Block->succ_begin(), Block->succ_end());
  }
  return Reached;
}

/// updatePidVars for any element: statements and constructors' member initializers.
static void updatePidVarsFor(const CFGElement &Element, const CallExpr *Site, PidVarSet &Vars) {
  if (auto S = Element.getAs<CFGStmt>())
    updatePidVars(S->getStmt(), Site, Vars);
  else if (auto Init = Element.getAs<CFGInitializer>())
    updatePidVarsForInitializer(Init->getInitializer(), Site, Vars);
}

static PidVarSet pidVarsThrough(const CFGBlock &Block, unsigned From, const CallExpr *Site,
                                PidVarSet Vars) {
  for (unsigned I = From, E = Block.size(); I < E; ++I)
    updatePidVarsFor(Block[I], Site, Vars);
  return Vars;
}

bool ForkSiteRoles::reachedAfterFork(const CFGBlock &Block) {
  if (AfterFork.empty()) // on first use
    AfterFork = reachableFrom(Function.cfg(), {SiteBlock->succ_begin(), SiteBlock->succ_end()});
  return AfterFork[Block.getBlockID()];
}

uint32_t ForkSiteRoles::meetOfPredecessors(const CFGBlock &Block) {
  uint32_t Index = 0;
  std::optional<PidVarSet> Meet; // built only when two predecessors differ
  for (const CFGBlock *Pred : Block.preds()) {
    uint32_t Theirs = Pred ? Function.Scratch.PidOut[Pred->getBlockID()] : 0;
    // An unvisited predecessor is either out of the fork's reach, or after a block where no
    // variable held the pid any more.
    if (Theirs == 0 && Pred && Pred != SiteBlock && reachedAfterFork(*Pred))
      Theirs = 1;
    if (Theirs == 0 || Theirs == Index)
      continue;
    if (Index == 0) {
      Index = Theirs;
      continue;
    }
    if (!Meet)
      Meet = PidSets[Index];
    Meet->intersectWith(PidSets[Theirs]);
  }
  if (!Meet)
    return Index;
  if (Meet->empty())
    return 1;
  PidSets.push_back(std::move(*Meet));
  return static_cast<uint32_t>(PidSets.size() - 1);
}

void ForkSiteRoles::computePidSets() {
  const FunctionRoles &Fn = Function;
  unsigned NumBlocks = Fn.cfg().getNumBlockIDs();
  // Must-analysis: which variables hold the fork's result at each block boundary. Each block
  // has an index into PidSets (0: unreached, 1: none); a set that passes a block or a join
  // unchanged keeps its index, so the code after a fork shares one set. With several forks, a
  // variable is dropped where it is no longer read (what it held cannot matter after that).
  PidSets.assign(2, PidVarSet::unreached());
  PidSets[1].clear();
  // (In the function's scratch while it runs, then kept for the blocks it visited.)
  FunctionRoles::WalkScratch &Scr = Fn.Scratch;
  if (Scr.PidOut.size() < NumBlocks) {
    Scr.PidIn.assign(NumBlocks, 0);
    Scr.PidOut.assign(NumBlocks, 0);
  }
  auto SetOut = [&](unsigned ID, uint32_t Index) {
    if (!Scr.PidOut[ID] && !Scr.PidIn[ID])
      Scr.TouchedBlocks.push_back(ID);
    Scr.PidOut[ID] = Index;
  };
  auto Store = [&](PidVarSet Set) -> uint32_t {
    if (Set.isUnreached())
      return 0;
    if (Set.empty())
      return 1;
    PidSets.push_back(std::move(Set));
    return static_cast<uint32_t>(PidSets.size() - 1);
  };
  PidVarSet AtFork;
  AtFork.clear();
  SetOut(SiteBlock->getBlockID(), Store(pidVarsThrough(*SiteBlock, SiteIndex, Site.Call, AtFork)));
  const TrackedLiveness *Liveness = Fn.liveness();
  llvm::ArrayRef<const CFGBlock *> UsingCall = Fn.blocksUsingCall(Site.Call);
  // A block is queued at most once at a time: a join with thousands of predecessors (a big
  // switch) would otherwise be re-queued, and re-intersected, once per predecessor.
  std::deque<const CFGBlock *> Work;
  std::vector<bool> Queued(NumBlocks);
  auto Enqueue = [&](const CFGBlock *Block) {
    if (Block && Block != SiteBlock && !Queued[Block->getBlockID()]) {
      Queued[Block->getBlockID()] = true;
      Work.push_back(Block);
    }
  };
  for (const CFGBlock *Succ : SiteBlock->succs())
    Enqueue(Succ);
  for (const CFGBlock *Block : UsingCall)
    Enqueue(Block);
  while (!Work.empty()) {
    const CFGBlock *Block = Work.front();
    Work.pop_front();
    unsigned ID = Block->getBlockID();
    Queued[ID] = false;
    uint32_t In = meetOfPredecessors(*Block);
    if (In == 0)
      continue;
    if (Liveness && In > 1) {
      const llvm::BitVector &Live = Liveness->liveIn(*Block);
      auto IsLive = [&](const VarDecl *Var) { return Liveness->isLive(Live, Var); };
      if (!llvm::all_of(PidSets[In].variables(), IsLive)) {
        PidVarSet Pruned = PidSets[In];
        Pruned.keepVariables(IsLive);
        In = Store(std::move(Pruned));
      }
    }
    if (!Scr.PidOut[ID] && !Scr.PidIn[ID])
      Scr.TouchedBlocks.push_back(ID);
    Scr.PidIn[ID] = In;
    uint32_t Out = In;
    if (In > 1 || llvm::is_contained(UsingCall, Block)) { // else nothing can become the pid
      PidVarSet Through = pidVarsThrough(*Block, 0, Site.Call, PidSets[In]);
      if (!Through.sameAs(PidSets[In]))
        Out = Store(std::move(Through));
    }
    uint32_t Before = Scr.PidOut[ID];
    if (Before != 0 && (Before == Out || PidSets[Out].sameAs(PidSets[Before])))
      continue;
    SetOut(ID, Out);
    // Past a block no variable leaves with, nothing holds the pid any more: the blocks after it
    // stay unvisited (meetOfPredecessors counts them as holding none) unless they were visited.
    for (const CFGBlock *Succ : Block->succs())
      if (Out != 1 || (Succ && Scr.PidOut[Succ->getBlockID()] != 0))
        Enqueue(Succ);
  }
  std::vector<bool>().swap(AfterFork);
  PidIn.reserve(Scr.TouchedBlocks.size());
  PidOut.reserve(Scr.TouchedBlocks.size());
  for (unsigned ID : Scr.TouchedBlocks) {
    if (Scr.PidIn[ID])
      PidIn[ID] = Scr.PidIn[ID];
    if (Scr.PidOut[ID])
      PidOut[ID] = Scr.PidOut[ID];
    Scr.PidIn[ID] = Scr.PidOut[ID] = 0;
  }
  Scr.TouchedBlocks.clear();
}

const PidVarSet &ForkSiteRoles::pidVarsAtEnd(const CFGBlock *Block) const {
  // Not visited: no path from the fork, or only paths where no variable holds the pid.
  uint32_t Index = PidOut.lookup(Block->getBlockID());
  return PidSets[Index ? Index : 1];
}

PidVarSet ForkSiteRoles::pidVarsBefore(const Stmt *S) const {
  PidVarSet Vars;
  Vars.clear();
  auto Where = Function.locate(S);
  if (!Where || !SiteBlock)
    return Vars;
  const CFGBlock &Block = *Where->first;
  unsigned From = 0;
  if (&Block == SiteBlock && Where->second > SiteIndex)
    From = SiteIndex; // just after the fork in its own block
  else if (uint32_t In = PidIn.lookup(Block.getBlockID()))
    Vars = PidSets[In];
  for (unsigned I = From; I < Where->second; ++I)
    updatePidVarsFor(Block[I], Site.Call, Vars);
  return Vars;
}

} // namespace forkhazard
