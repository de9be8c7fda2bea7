// Shared tails (ProcessRoles.h): a parent that goes on past a later fork with nothing of its own
// fork left to follow is, from there on, one of that fork's parent-side processes. Its walk
// links to that fork's walk instead of walking the rest of the function again, so N forks in
// a row cost one walk of the code after each instead of N.
#include "analysis/ProcessRoles.h"

using namespace clang;

namespace forkhazard {

const TrackedLiveness *FunctionRoles::liveness() const {
  if (Sites.size() < 2)
    return nullptr;
  if (!Liveness)
    Liveness = std::make_unique<TrackedLiveness>(*Cfg, *Tracked);
  return Liveness.get();
}

llvm::ArrayRef<const CFGBlock *> FunctionRoles::blocksUsingCall(const CallExpr *Call) const {
  auto Known = UsingCall.find(Call);
  if (Known != UsingCall.end())
    return Known->second;
  if (!Parents)
    Parents = std::make_unique<ParentMap>(FD->getBody());
  auto Home = locate(Call);
  llvm::SmallVector<const CFGBlock *, 2> Blocks;
  for (const Stmt *S = Parents->getParent(Call); S && isa<Expr>(S); S = Parents->getParent(S))
    if (auto Where = locate(S))
      if ((!Home || Where->first != Home->first) && !llvm::is_contained(Blocks, Where->first))
        Blocks.push_back(Where->first);
  return UsingCall[Call] = std::move(Blocks);
}

const llvm::BitVector &FunctionRoles::liveAfterFork(const CallExpr *Call) const {
  auto It = LiveAfterFork.find(Call);
  if (It != LiveAfterFork.end())
    return It->second;
  auto Where = locate(Call);
  return LiveAfterFork.try_emplace(Call, liveness()->liveAfter(*Where->first, Where->second))
      .first->second;
}

/// Whether a walk starting from Start knows at least what Facts says of every live variable.
static bool knowsAtLeast(const RoleFacts &Start, const RoleFacts &Facts,
                         const TrackedLiveness &Liveness, const llvm::BitVector &Live) {
  for (const auto &Value : Facts.Values)
    if (Liveness.isLive(Live, Value.first) &&
        !Value.second.contains(Start.rangeOf(Value.first)))
      return false;
  return true;
}

bool FunctionRoles::continuesAsParentOf(const CallExpr *Later, const RoleFacts &Facts,
                                        const ForkSiteRoles &Walking) const {
  // Later's walk must exist (or come: sites are walked in order, and a linked one is kept).
  const ForkSite *LaterSite = forkSiteFor(Later);
  if (!LaterSite || SkippedCalls.count(Later) || Facts.Pids.hasFields())
    return false; // a pid kept in a field outlives any variable
  const llvm::BitVector &Live = liveAfterFork(Later);
  for (const VarDecl *Var : Facts.Pids.variables())
    if (Liveness->isLive(Live, Var))
      return false; // this fork's pid is still read: the process is not just Later's parent
  // Later's walk starts from what every process knows there: the sites walked so far, and
  // what the one walking now has recorded there (checked again by linksHold()).
  auto &Base = StartFactsCache[Later];
  if (Base.first != BuiltSites + 1)
    Base = {BuiltSites + 1, startFacts(*LaterSite, knownAtFork(*LaterSite))};
  if (knowsAtLeast(Base.second, Facts, *Liveness, Live))
    return true;
  const RoleFacts *Recorded = Walking.factsAtFork(Later);
  if (!Recorded || !forkDominates(Walking, Later) || onCycle(locate(Later)->first))
    return false;
  RoleFacts Start = Base.second;
  return Start.narrowBy(*Recorded) && knowsAtLeast(Start, Facts, *Liveness, Live);
}

bool FunctionRoles::linksHold(const ForkSiteRoles &Site) const {
  for (const auto &Link : Site.Links) {
    const ForkSite *Later = forkSiteFor(Link.At);
    RoleFacts Start = startFacts(*Later, knownAtFork(*Later));
    if (!knowsAtLeast(Start, Link.Facts, *Liveness, liveAfterFork(Link.At)))
      return false;
  }
  return true;
}

bool FunctionRoles::factsComplete(const ForkSiteRoles &Earlier, const CallExpr *Later) const {
  if (Earlier.Links.empty())
    return true;
  for (const auto &Link : Earlier.Links)
    if (Link.At != Later)
      return false;
  return !onCycle(locate(Later)->first);
}

bool FunctionRoles::onCycle(const CFGBlock *Block) const {
  if (OnCycle.empty()) { // Tarjan's strongly connected components, once, without recursion
    unsigned N = Cfg->getNumBlockIDs(), Counter = 0;
    OnCycle.assign(N, false);
    std::vector<int> Order(N, -1), Low(N, 0);
    std::vector<bool> OnStack(N, false);
    std::vector<unsigned> Stack;
    std::vector<std::pair<const CFGBlock *, unsigned>> Calls; // block, next successor
    for (const CFGBlock *Root : *Cfg) {
      if (Order[Root->getBlockID()] >= 0)
        continue;
      Calls.push_back({Root, 0});
      while (!Calls.empty()) {
        const CFGBlock *B = Calls.back().first;
        unsigned ID = B->getBlockID();
        if (Calls.back().second == 0 && Order[ID] < 0) {
          Order[ID] = Low[ID] = Counter++;
          Stack.push_back(ID);
          OnStack[ID] = true;
        }
        if (Calls.back().second < B->succ_size()) {
          const CFGBlock *Succ = *(B->succ_begin() + Calls.back().second++);
          if (!Succ)
            continue;
          unsigned S = Succ->getBlockID();
          if (S == ID)
            OnCycle[ID] = true; // a loop onto itself
          if (Order[S] < 0)
            Calls.push_back({Succ, 0});
          else if (OnStack[S])
            Low[ID] = std::min(Low[ID], Order[S]);
          continue;
        }
        Calls.pop_back();
        if (!Calls.empty()) {
          unsigned Parent = Calls.back().first->getBlockID();
          Low[Parent] = std::min(Low[Parent], Low[ID]);
        }
        if (Low[ID] == Order[ID]) { // the root of a component: pop it
          bool Cycle = Stack.back() != ID; // more than one block
          unsigned Member;
          do {
            Member = Stack.back();
            Stack.pop_back();
            OnStack[Member] = false;
            OnCycle[Member] = OnCycle[Member] || Cycle;
          } while (Member != ID);
        }
      }
    }
  }
  return OnCycle[Block->getBlockID()];
}

void FunctionRoles::linkTails() {
  for (ForkSiteRoles &Site : SiteRoles)
    Site.addTailEvents();
  for (ForkSiteRoles &Site : SiteRoles)
    Site.finishEvents();
}

bool ForkSiteRoles::childMeetsTail() const {
  // Searched backward from the blocks a child role enters (few, and near the fork) for a link,
  // never through this fork's call: a tail that gets there has split anew.
  const unsigned StartBlock = Function.cfg().getNumBlockIDs();
  llvm::DenseSet<unsigned> LinkBlocks;
  bool LinkAfterCall = false; // in the fork's own block, after the call
  for (const ForkLink &Link : Links) {
    unsigned BlockIndex = Link.Node / NumRoleBits;
    LinkAfterCall |= BlockIndex == StartBlock;
    LinkBlocks.insert(BlockIndex);
  }
  std::vector<const CFGBlock *> Work;
  llvm::DenseSet<const CFGBlock *> Seen;
  for (const auto &Node : Arrival) {
    unsigned ID = Node.first / NumRoleBits;
    if (ID != StartBlock && (roleBit(Node.first % NumRoleBits) & ChildRoles) &&
        Seen.insert(Function.block(ID)).second)
      Work.push_back(Function.block(ID));
  }
  while (!Work.empty()) {
    const CFGBlock *Block = Work.back();
    Work.pop_back();
    if (LinkBlocks.count(Block->getBlockID()))
      return true;
    for (const CFGBlock *Pred : Block->preds()) {
      if (Pred == SiteBlock) {
        if (LinkAfterCall)
          return true;
        continue;
      }
      if (Pred && Seen.insert(Pred).second)
        Work.push_back(Pred);
    }
  }
  return false;
}

/// For each parent role that took a link, the sites its tail runs through (breadth first, each
/// once per role: a hop), and their own parent-side events as this site's.
void ForkSiteRoles::addTailEvents() {
  Hops.clear();
  EventHits.clear();
  if (Links.empty())
    return;
  const auto &Sites = Function.sites();
  for (RoleBit Root : {Parent, ForkFailed}) {
    std::vector<bool> Seen(Sites.size());
    int Self = Function.siteIndexOf(Site.Call);
    if (Self >= 0)
      Seen[Self] = true; // its own events are there already; reaching its call is a loop
    size_t First = Hops.size();
    auto Follow = [&](const std::vector<ForkLink> &From, int Prev) {
      for (unsigned L = 0; L < From.size(); ++L) {
        if (Prev < 0 && From[L].Role != Root)
          continue;
        int Target = Function.siteIndexOf(From[L].At);
        if (Target < 0 || Seen[Target])
          continue;
        Seen[Target] = true;
        Hops.push_back({static_cast<unsigned>(Target), Prev, L, Root});
      }
    };
    Follow(Links, -1);
    for (size_t H = First; H < Hops.size(); ++H) {
      const ForkSiteRoles &Tail = Sites[Hops[H].Site];
      for (size_t E = 0; E < Tail.OwnEvents; ++E) {
        const RoleEvent &Theirs = Tail.Events[E];
        if (!(Theirs.Roles & ParentRoles))
          continue;
        auto Key = std::make_pair(static_cast<unsigned>(Theirs.Kind), Theirs.Where);
        auto Found = EventIndex.find(Key);
        unsigned Index;
        if (Found == EventIndex.end()) {
          Index = Events.size();
          EventIndex[Key] = Index;
          RoleEvent Copy = Theirs;
          Copy.Roles = 0;
          Copy.FirstHit.fill(-1);
          Copy.TellsProcessesApart = false;
          Events.push_back(Copy);
        } else {
          Index = Found->second;
        }
        RoleEvent &Ours = Events[Index];
        if (Ours.Kind == EventKind::Returns)
          Ours.ReturnsPid = false; // no variable of this fork's result is alive in a tail
        if (Ours.Roles & Root)
          continue;
        Ours.Roles |= Root;
        RoleBit TheirRole = (Theirs.Roles & Parent) ? Parent : ForkFailed;
        EventHits[Index * NumRoleBits + bitIndex(Root)] = {static_cast<unsigned>(H),
                                                           Theirs.FirstHit[bitIndex(TheirRole)]};
      }
      Follow(Tail.Links, static_cast<int>(H));
    }
  }
}

void ForkSiteRoles::forEachTailExecution(
    llvm::function_ref<void(const RoleEvent &, RoleBit)> Visit) const {
  for (const TailHop &Hop : Hops) {
    StatementRecord Theirs;
    Function.sites()[Hop.Site].replayOwnStatements(Theirs);
    for (const RoleEvent &Execution : Theirs.Executed)
      if (Execution.Roles & ParentRoles)
        Visit(Execution, Hop.Root);
  }
}

const ForkSiteRoles::LinkedHit *ForkSiteRoles::linkedHit(const RoleEvent &Event,
                                                         RoleBit Role) const {
  if (Events.empty() || &Event < Events.data() || &Event >= Events.data() + Events.size())
    return nullptr;
  auto It = EventHits.find(static_cast<unsigned>(&Event - Events.data()) * NumRoleBits +
                           bitIndex(Role));
  return It == EventHits.end() ? nullptr : &It->second;
}

std::vector<PathStep> ForkSiteRoles::pathTo(const RoleEvent &Event, RoleBit Role) const {
  const LinkedHit *Hit = linkedHit(Event, Role);
  if (!Hit)
    return pathFromNode(Event.FirstHit[bitIndex(Role)]);
  // This site's path to its link, then each hop's site from its start to the next link, then
  // the last one's path to the event; each site's first step (the fork's own block, after the
  // call) is the block the previous path ended in.
  std::vector<unsigned> Chain;
  for (int H = Hit->Hop; H >= 0; H = Hops[H].Prev)
    Chain.push_back(H);
  std::reverse(Chain.begin(), Chain.end());
  const auto &Sites = Function.sites();
  std::vector<PathStep> Path = pathFromNode(Links[Hops[Chain.front()].Link].Node);
  auto Append = [&](std::vector<PathStep> More) {
    for (size_t I = 1; I < More.size(); ++I) {
      More[I].RoleOnEntry = Role; // the process is this fork's parent (or failed fork) all along
      More[I].StartsAfterFork = false;
      Path.push_back(More[I]);
    }
  };
  for (size_t I = 1; I < Chain.size(); ++I) {
    const ForkSiteRoles &Prev = Sites[Hops[Chain[I - 1]].Site];
    Append(Prev.pathFromNode(Prev.Links[Hops[Chain[I]].Link].Node));
  }
  Append(Sites[Hops[Chain.back()].Site].pathFromNode(Hit->Node));
  return Path;
}

} // namespace forkhazard
