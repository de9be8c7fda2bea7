#include "analysis/ProcessRoles.h"

#include "analysis/LibcFunctions.h"
#include "analysis/RoleFacts.h"

#include "analysis/Compat.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include <deque>

using namespace clang;

namespace forkhazard {

PidRange ForkSite::valueIn(RoleBit Role) const {
  if (Role == Parent)
    return ParentValue;
  if (Role == ForkFailed)
    return FailedValue ? *FailedValue : ParentValue; // no such process: never asked
  return ChildValue;
}

ValueRange ForkSite::parentSideValue() const {
  ValueRange Value = ValueRange::between(ParentValue.Low, ParentValue.High);
  if (FailedValue)
    Value = Value.hull(ValueRange::between(FailedValue->Low, FailedValue->High));
  return Value;
}

bool runsExitHooks(EndKind Kind) {
  return Kind == EndKind::ExitCall || Kind == EndKind::HelperExits ||
         Kind == EndKind::ReturnFromMain || Kind == EndKind::FallOffMain;
}

static RoleBit afterExec(RoleBit Role) {
  if (Role == Child)
    return ChildAfterExec;
  if (Role == ChildShared)
    return ChildSharedAfterExec;
  return Role;
}

static RoleBit intoSharedCode(RoleBit Role) {
  if (Role == Child)
    return ChildShared;
  if (Role == ChildAfterExec)
    return ChildSharedAfterExec;
  return Role;
}

static RoleBit backInOwnBranch(RoleBit Role) {
  if (Role == ChildShared)
    return Child;
  if (Role == ChildSharedAfterExec)
    return ChildAfterExec;
  return Role;
}

std::unique_ptr<CFG> buildAnalysisCFG(const FunctionDecl *FD, ASTContext &Ctx) {
  if (!FD || !FD->hasBody() || FD->isInvalidDecl() || FD->isDependentContext())
    return nullptr;
  CFG::BuildOptions Options;
  Options.PruneTriviallyFalseEdges = true;
  Options.AddImplicitDtors = true;
  Options.AddInitializers = true;
  Options.setAllAlwaysAdd();
  return CFG::buildCFG(FD, FD->getBody(), &Ctx, Options);
}

static std::optional<int64_t> integerValue(const Expr *E, const ASTContext &Ctx) {
  if (!E)
    return std::nullopt;
  auto Value = compat::integerConstant(E->IgnoreParenImpCasts(), Ctx);
  if (!Value || !(Value->isSigned() ? Value->isSignedIntN(64) : Value->isIntN(63)))
    return std::nullopt;
  return Value->getExtValue();
}

static bool allSuccessorsAreExit(const CFGBlock &Block, const CFG &Cfg) {
  for (const CFGBlock *Succ : Block.succs())
    if (Succ && Succ != &Cfg.getExit())
      return false;
  return true;
}

//===----------------------------------------------------------------------------------------===//
// The walk: nodes are (block, role on entry); the fork's own block is entered by a start node
// that begins just after the call.
//===----------------------------------------------------------------------------------------===//

class RoleWalk {
public:
  RoleWalk(ForkSiteRoles &Result, const llvm::DenseSet<const CFGBlock *> &SharedEntries)
      : R(Result), Fn(Result.Function), Cfg(Fn.cfg()), SharedEntries(SharedEntries),
        StartBlock(Cfg.getNumBlockIDs()), InMain(isProgramEntry(Fn.decl())), Scr(Fn.Scratch),
        Slot(Scr.Slot), Pool(Scr.Pool), Queued(Scr.Queued), Walked(Scr.Walked), Changes(Scr.Changes) {}

  /// Records every statement each role runs (executed(), destructions()) by replaying the
  /// element loop of the last walk's nodes in the order they were first walked: what a node
  /// runs does not depend on its facts (they decide only which successors it takes), and a
  /// node walked again runs the same statements, so this gives what a whole walk with facts
  /// recorded, at the cost of one pass over the blocks reached.
  void replayStatements(ForkSiteRoles::StatementRecord &Into) {
    StatementsOnly = true;
    Out = &Into;
    Into.Executed.reserve(Into.Executed.size() + R.VisitOrder.size());
    for (int Node : R.VisitOrder)
      walk(Node);
  }

  /// EdgeRoles (keyed by FunctionRoles::edgeIndex): the roles that cross each CFG edge.
  void run(llvm::DenseMap<unsigned, RoleSet> *EdgeRoles) {
    Edges = EdgeRoles;
    StatementsOnly = false;
    R.Events.clear();
    R.EventIndex.clear();
    R.FactsAtOtherForks.clear();
    R.VisitOrder.clear();
    R.Links.clear();
    R.LinkedAt.clear();
    // The scratch is sized once per function and reset after each walk for the nodes it
    // reached: a walk costs what it reaches, not the size of the function.
    unsigned Nodes = (StartBlock + 1) * NumRoleBits;
    R.Arrival.clear();
    if (Slot.size() < Nodes) {
      Slot.assign(Nodes, -1);
      Queued.assign(Nodes, false);
      Walked.assign(Nodes, false);
      Changes.assign(Nodes, 0);
      Scr.Arrival.assign(Nodes, -2);
      Scr.EdgeRoles.assign(Fn.numEdges(), 0);
    }
    Scr.Used = 0;
    // What every process knows at the fork: the constants of the code before it.
    RoleFacts AtFork = Fn.startFacts(R.Site, R.Known);
    for (RoleBit Role : {Parent, ForkFailed, Child})
      if (Role != ForkFailed || R.Site.FailedValue) // a callee may never return a failed fork
        reach(StartBlock, Role, -1, AtFork);
    while (!Queue.empty()) {
      int Node = Queue.front();
      Queue.pop_front();
      walk(Node);
    }
    // Every node reached was walked: VisitOrder lists them.
    R.Arrival.reserve(R.VisitOrder.size());
    for (int Node : R.VisitOrder) {
      R.Arrival[Node] = Scr.Arrival[Node];
      Scr.Arrival[Node] = -2;
      Slot[Node] = -1;
      Walked[Node] = false;
      Changes[Node] = 0;
    }
    for (unsigned Edge : Scr.TouchedEdges) {
      if (Edges)
        (*Edges)[Edge] = Scr.EdgeRoles[Edge];
      Scr.EdgeRoles[Edge] = 0;
    }
    Scr.TouchedEdges.clear();
    R.WalkSteps += Steps;
  }

private:
  ForkSiteRoles &R;
  const FunctionRoles &Fn;
  const CFG &Cfg;
  const llvm::DenseSet<const CFGBlock *> &SharedEntries;
  const unsigned StartBlock;
  const bool InMain;
  std::deque<int> Queue;
  // Per node: the facts of the processes that arrive there (met over every arrival; Slot
  // indexes Pool, -1 before the first arrival: only the nodes reached hold facts), whether it
  // waits in the queue, and how often its facts shrank.
  FunctionRoles::WalkScratch &Scr;
  std::vector<int> &Slot;
  std::vector<RoleFacts> &Pool;
  std::vector<bool> &Queued, &Walked;
  std::vector<uint8_t> &Changes;
  llvm::DenseMap<unsigned, RoleSet> *Edges = nullptr;
  bool StatementsOnly = false;
  ForkSiteRoles::StatementRecord *Out = nullptr; // where replayStatements() records
  size_t Steps = 0; // elements walked
  RoleEvent Scratch;

  void recordEdge(unsigned Edge, RoleBit Role) {
    if (!Scr.EdgeRoles[Edge])
      Scr.TouchedEdges.push_back(Edge);
    Scr.EdgeRoles[Edge] |= Role;
  }

  int nodeId(unsigned BlockIndex, RoleBit Role) const {
    return static_cast<int>(BlockIndex * NumRoleBits + bitIndex(Role));
  }

  /// Role arrives at the block with Facts: the first arrival is the one paths are drawn
  /// from; a later one that teaches the node less than it knew walks the block again.
  void reach(unsigned BlockIndex, RoleBit Role, int From, const RoleFacts &Facts) {
    int Node = nodeId(BlockIndex, Role);
    if (Scr.Arrival[Node] == -2) {
      Scr.Arrival[Node] = From;
      Slot[Node] = static_cast<int>(Scr.Used);
      if (Scr.Used == Pool.size())
        Pool.push_back(Facts);
      else
        Pool[Scr.Used] = Facts;
      ++Scr.Used;
    } else {
      RoleFacts &In = Pool[Slot[Node]];
      if (!In.meet(Facts, Changes[Node] >= FactWidening::After))
        return;
      if (++Changes[Node] > FactWidening::Forget)
        In.forgetConstants();
    }
    if (!Queued[Node]) {
      Queued[Node] = true;
      Queue.push_back(Node);
    }
  }

  RoleEvent &event(EventKind Kind, const Stmt *Where) {
    auto Key = std::make_pair(static_cast<unsigned>(Kind), Where);
    auto It = R.EventIndex.find(Key);
    if (It != R.EventIndex.end())
      return R.Events[It->second];
    R.EventIndex[Key] = R.Events.size();
    RoleEvent Event;
    Event.Kind = Kind;
    Event.Where = Where;
    Event.FirstHit.fill(-1);
    R.Events.push_back(Event);
    return R.Events.back();
  }

  /// Role reaches Event, first from walk node Node if it had not reached it yet.
  static void arrive(RoleEvent &Event, RoleBit Role, int Node) {
    Event.Roles |= Role;
    int &Hit = Event.FirstHit[bitIndex(Role)];
    if (Hit == -1)
      Hit = Node;
  }

  RoleEvent &record(EventKind Kind, const Stmt *Where, RoleBit Role, int Node) {
    if (StatementsOnly) {
      Scratch = RoleEvent();
      return Scratch;
    }
    RoleEvent &Event = event(Kind, Where);
    arrive(Event, Role, Node);
    return Event;
  }

  void recordExecution(const Stmt *S, RoleBit Role, int Node) {
    if (!StatementsOnly)
      return;
    auto Inserted = Out->ExecutedIndex.try_emplace(S, Out->Executed.size());
    if (Inserted.second) {
      RoleEvent Event;
      Event.Kind = EventKind::Executes;
      Event.Where = S;
      Event.FirstHit.fill(-1);
      Out->Executed.push_back(Event);
    }
    arrive(Out->Executed[Inserted.first->second], Role, Node);
  }

  void recordDestruction(const CFGAutomaticObjDtor &Dtor, RoleBit Role, int Node) {
    if (!StatementsOnly)
      return;
    auto Inserted = Out->DestructionIndex.try_emplace(Dtor.getVarDecl(), Out->Destructions.size());
    if (Inserted.second) {
      ObjectDestruction Destruction{Dtor.getVarDecl(), RoleEvent()};
      Destruction.Event.Kind = EventKind::Executes;
      Destruction.Event.Where = Dtor.getTriggerStmt();
      Destruction.Event.FirstHit.fill(-1);
      Out->Destructions.push_back(Destruction);
    }
    arrive(Out->Destructions[Inserted.first->second].Event, Role, Node);
  }

  /// What Role knows at Later, another fork it goes on past, this fork's result as a range.
  void recordFactsAtFork(const CallExpr *Later, RoleBit Role, const RoleFacts &Facts) {
    if (StatementsOnly)
      return;
    RoleFacts Known = Facts;
    PidRange Pid = R.Site.valueIn(Role);
    for (const VarDecl *Var : Facts.Pids.variables())
      if (Fn.trackedVariables().contains(Var))
        Known.narrow(Var, ValueRange::between(Pid.Low, Pid.High));
    Known.Pids.clear();
    auto &Lineages = R.FactsAtOtherForks[Later];
    auto &Lineage = (Role & ParentRoles) ? Lineages.first : Lineages.second;
    if (Lineage)
      Lineage->meet(Known);
    else
      Lineage = std::move(Known);
  }

  /// A parent role reaching Later, another fork, with nothing of this fork left to follow goes
  /// on as Later's parent side does (a shared tail): the walk stops, a link says where. Once a
  /// node linked, every walk of it (the replay too) stops at the same call.
  bool continuesInSharedTail(int Node, RoleBit Role, const CallExpr *Later,
                             const RoleFacts &Facts) {
    auto It = R.LinkedAt.find(Node);
    if (It != R.LinkedAt.end())
      return It->second == Later;
    if (StatementsOnly || !R.MayLink || !Fn.continuesAsParentOf(Later, Facts, R))
      return false;
    R.LinkedAt[Node] = Later;
    R.Links.push_back({Node, Role, Later, Facts});
    return true;
  }

  void recordEnd(EndKind Kind, const Stmt *Where, const CallExpr *InHelper, RoleBit Role,
                 int Node) {
    RoleEvent &Event = record(EventKind::EndsProcess, Where, Role, Node);
    Event.End = Kind;
    Event.EndingCallInHelper = InHelper;
  }

  /// A child before exec calls a function of this file that may throw: unless a handler here
  /// that ends the process catches it, the exception carries the child out of its code. True
  /// when nothing after the call runs (the callee never returns normally).
  bool leavesByException(const CallExpr *Call, RoleBit Role, int Node) {
    ThrowOutcome Outcome = Fn.effects().throwFrom(Fn, Call);
    if (!Outcome.Exception)
      return false;
    RoleEvent &Event = record(EventKind::Throws, Call, Role, Node);
    Event.Exception = Outcome.Exception;
    Event.Handler = Outcome.Handler;
    return !Outcome.CallReturns;
  }

  void walk(int Node) {
    unsigned BlockIndex = Node / NumRoleBits;
    RoleBit Role = roleBit(Node % NumRoleBits);
    bool IsStart = BlockIndex == StartBlock;
    const CFGBlock &Block = IsStart ? *R.SiteBlock : *Fn.block(BlockIndex);

    RoleFacts Facts;
    if (!StatementsOnly) {
      Queued[Node] = false;
      if (!Walked[Node]) { // replayStatements() walks the nodes in this order
        Walked[Node] = true;
        R.VisitOrder.push_back(Node);
      }
      Facts = Pool[Slot[Node]];
    }
    const FactScope Scope{R.Site.Call, R.Site.valueIn(Role), Fn.trackedVariables(),
                          Fn.astContext(), &Fn.forkCalls()};
    bool LeavesByReturnOrThrow = false;

    for (unsigned I = IsStart ? R.SiteIndex + 1 : 0, E = Block.size(); I < E; ++I) {
      ++Steps;
      if (auto Dtor = Block[I].getAs<CFGAutomaticObjDtor>())
        if (Dtor->getVarDecl() && Dtor->getTriggerStmt())
          recordDestruction(*Dtor, Role, Node);
      auto Element = Block[I].getAs<CFGStmt>();
      if (!Element) {
        if (auto Init = Block[I].getAs<CFGInitializer>())
          updatePidVarsForInitializer(Init->getInitializer(), R.Site.Call, Facts.Pids);
        continue;
      }
      const Stmt *S = Element->getStmt();
      recordExecution(S, Role, Node);
      if (const auto *Call = dyn_cast<CallExpr>(S)) {
        if (Call == R.Site.Call) {
          record(EventKind::ReachesFork, Call, Role, Node);
          return; // from here on, this process is a new parent/child pair
        }
        if (Fn.forkCalls().count(Call)) {
          record(EventKind::ReachesFork, Call, Role, Node);
          recordFactsAtFork(Call, Role, Facts); // it goes on as that fork's parent
          if ((Role & ParentRoles) && continuesInSharedTail(Node, Role, Call, Facts))
            return;
        } else {
          if ((Role & ChildBeforeExec) && leavesByException(Call, Role, Node))
            return;
          CallEffect Effect = Fn.effects().effectOf(Call);
          if (Effect.What == CallEffect::Exec) {
            record(EventKind::Exec, Call, Role, Node);
            Role = afterExec(Role);
          } else if (Effect.What == CallEffect::EndsProcess) {
            recordEnd(Effect.End, Call, Effect.EndingCallInHelper, Role, Node);
            return;
          } else if (Effect.What == CallEffect::Waits) {
            record(EventKind::Waits, Call, Role, Node);
          }
        }
      } else if (const auto *Return = dyn_cast<ReturnStmt>(S)) {
        if (InMain) {
          recordEnd(EndKind::ReturnFromMain, Return, nullptr, Role, Node);
          return;
        }
        if (StatementsOnly)
          continue; // (the block's successors are not followed: nothing more to record)
        bool Seen = R.EventIndex.count({static_cast<unsigned>(EventKind::Returns), Return});
        RoleEvent &Event = record(EventKind::Returns, Return, Role, Node);
        // Every process that gets here must return the fork's result.
        bool ReturnsPid = isPidValue(Return->getRetValue(), R.Site.Call, Facts.Pids);
        Event.ReturnsPid = Seen ? Event.ReturnsPid && ReturnsPid : ReturnsPid;
        Event.ReturnedConstant = integerValue(Return->getRetValue(), Fn.astContext());
        LeavesByReturnOrThrow = true;
      } else if (isa<CXXThrowExpr>(S)) {
        if (allSuccessorsAreExit(Block, Cfg)) {
          record(EventKind::Throws, S, Role, Node);
          LeavesByReturnOrThrow = true;
        }
      }
      if (!StatementsOnly)
        updateFacts(S, Facts, Scope);
    }
    if (StatementsOnly || Block.hasNoReturnElement())
      return;
    // A branch the fork's result leaves open may be decided by what this process knows.
    const Expr *Cond = twoWayCondition(Block);
    auto Known = truthWithFacts(Cond, Facts, Scope);

    unsigned Index = 0;
    for (const CFGBlock *Succ : Block.succs()) {
      unsigned ThisIndex = Index++;
      if (!Succ)
        continue;
      std::optional<RoleBit> Next = R.roleAcrossEdgeWith(&Block, ThisIndex, Role, Facts.Pids);
      if (!Next || (Known && (ThisIndex == 0) != *Known))
        continue;
      if (Succ == &Cfg.getExit()) {
        // A try's dispatch block reaches the exit for exceptions its handlers do not catch;
        // which ones those are is not modeled: assume the handlers catch what is thrown.
        if (LeavesByReturnOrThrow || isa_and_nonnull<CXXTryStmt>(Block.getTerminatorStmt()))
          continue;
        if (InMain)
          recordEnd(EndKind::FallOffMain, nullptr, nullptr, *Next, Node);
        else
          record(EventKind::FallsOffEnd, nullptr, *Next, Node);
        continue;
      }
      if (SharedEntries.count(Succ))
        Next = intoSharedCode(*Next);
      else if ((*Next & ChildInSharedCode) && !R.ParentBlocks.count(Succ->getBlockID()))
        Next = backInOwnBranch(*Next); // past the shared code: only the child runs this
                                       // (lighttpd: `while (!child)`, then `if (!child)`)
      RoleFacts Taken = Facts;
      if (!refineOnEdge(Cond, ThisIndex == 0, Taken, Scope))
        continue; // what this process knows leaves no value for the test: it cannot come here
      if (Edges)
        recordEdge(Fn.edgeIndex(Block, ThisIndex), *Next);
      reach(Succ->getBlockID(), *Next, Node, Taken);
    }
  }
};

//===----------------------------------------------------------------------------------------===//
// ForkSiteRoles
//===----------------------------------------------------------------------------------------===//

ForkSiteRoles::ForkSiteRoles(const FunctionRoles &Fn, ForkSite TheSite, const RoleFacts &Known,
                             bool MayLink)
    : Function(Fn), Site(TheSite), Known(Known), MayLink(MayLink) {
  auto Location = Fn.locate(Site.Call);
  if (!Location)
    return; // the call sits in code the CFG dropped as unreachable
  SiteBlock = Location->first;
  SiteIndex = Location->second;
  const unsigned NumBlocks = Fn.cfg().getNumBlockIDs();
  computePidSets();

  // First walk; then, if a child-only branch rejoins code the parent runs, mark those blocks
  // as shared-code entries and walk again so the child's state there says so.
  llvm::DenseMap<unsigned, RoleSet> EdgeRoles;
  llvm::DenseSet<const CFGBlock *> NoEntries;
  RoleWalk(*this, NoEntries).run(&EdgeRoles);
  if (!Links.empty() && childMeetsTail()) {
    // Where the child may be, the parent's edges decide its role (shared code or its own
    // branch): the parent must be followed there by this walk, not in a tail.
    this->MayLink = false;
    EdgeRoles.clear();
    RoleWalk(*this, NoEntries).run(&EdgeRoles);
  }
  if (Site.IsVFork)
    ChildEdges = EdgeRoles; // vfork-misuse follows the child's paths edge by edge

  // Per successor block: the roles of each predecessor's edges to it (several edges from one
  // block to the same successor count as one), then whether one of those carries only child
  // roles and one a parent role.
  llvm::DenseMap<unsigned, std::pair<bool, bool>> Incoming; // child-only edge, parent edge
  llvm::SmallDenseMap<unsigned, RoleSet, 4> FromBlock;
  llvm::DenseSet<const CFGBlock *> Reached; // only they have edges with roles
  for (const auto &Node : Arrival) {
    unsigned BlockIndex = Node.first / NumRoleBits;
    const CFGBlock *Block = BlockIndex == NumBlocks ? SiteBlock : Fn.block(BlockIndex);
    if (!Reached.insert(Block).second)
      continue;
    FromBlock.clear();
    unsigned Index = 0;
    for (const CFGBlock *Succ : Block->succs()) {
      RoleSet Roles = EdgeRoles.lookup(Fn.edgeIndex(*Block, Index++));
      if (Succ && Roles)
        FromBlock[Succ->getBlockID()] |= Roles;
    }
    for (const auto &Edge : FromBlock) {
      auto &Flags = Incoming[Edge.first];
      if ((Edge.second & ChildRoles) && !(Edge.second & ParentRoles))
        Flags.first = true;
      if (Edge.second & ParentRoles)
        Flags.second = true;
    }
  }
  for (const auto &Entry : Incoming) {
    if (Entry.second.first && Entry.second.second)
      SharedCodeEntries.insert(Fn.block(Entry.first));
    if (Entry.second.second)
      ParentBlocks.insert(Entry.first);
  }
  if (!SharedCodeEntries.empty())
    RoleWalk(*this, SharedCodeEntries).run(nullptr);
  OwnEvents = Events.size();
}

void ForkSiteRoles::finishEvents() {
  // `case 0: return 0; default: return pid;` returns what fork returned in each process, like
  // `return pid;`: a `return 0` (the child's value) only the child reaches counts as returning
  // the pid when the parent returns the pid.
  bool ParentReturnsPid = llvm::any_of(Events, [](const RoleEvent &Event) {
    return Event.Kind == EventKind::Returns && Event.ReturnsPid && (Event.Roles & Parent);
  });
  const bool ChildValueIsConstant = Site.ChildValue.Low == Site.ChildValue.High;
  if (ParentReturnsPid && ChildValueIsConstant)
    for (RoleEvent &Event : Events)
      if (Event.Kind == EventKind::Returns && Event.ReturnedConstant == Site.ChildValue.Low &&
          !(Event.Roles & ParentRoles))
        Event.ReturnsPid = true;
  markReturnsThatTellProcessesApart();
}

void ForkSiteRoles::markReturnsThatTellProcessesApart() {
  // What the parent (the fork succeeded) may return: constants, or the pid (> 0; for a
  // role-telling call, the parent's value). Any other value means the caller cannot tell it from
  // the child. A failed fork may share the child's value: the caller then does the child's work
  // in-process (gnulib savewd: `false` means "work here", in the child or after a failed fork),
  // which runs no parent code twice.
  llvm::SmallVector<PidRange, 4> ParentValues;
  for (const RoleEvent &Event : Events) {
    if (Event.Kind == EventKind::FallsOffEnd && (Event.Roles & Parent))
      return; // no value at all (the lecture's createChildAndSayHello)
    if (Event.Kind != EventKind::Returns || !(Event.Roles & Parent))
      continue;
    if (Event.ReturnedConstant)
      ParentValues.push_back({*Event.ReturnedConstant, *Event.ReturnedConstant});
    else if (Event.ReturnsPid)
      ParentValues.push_back(Site.ParentValue);
    else
      return;
  }
  if (ParentValues.empty())
    return;
  auto ParentMayReturn = [&](int64_t Value) {
    return llvm::any_of(ParentValues,
                        [&](PidRange R) { return R.Low <= Value && Value <= R.High; });
  };
  for (RoleEvent &Event : Events)
    if (Event.Kind == EventKind::Returns && !(Event.Roles & Parent) &&
        Event.ReturnedConstant && !ParentMayReturn(*Event.ReturnedConstant))
      Event.TellsProcessesApart = true;
}

void ForkSiteRoles::replayOwnStatements(StatementRecord &Into) const {
  if (!SiteBlock)
    return;
  auto &Self = const_cast<ForkSiteRoles &>(*this); // a replay: the analysis is unchanged
  RoleWalk(Self, SharedCodeEntries).replayStatements(Into);
}

void ForkSiteRoles::recordStatements() const {
  if (StatementsRecorded || !SiteBlock)
    return;
  auto &Self = const_cast<ForkSiteRoles &>(*this); // a cache: the analysis itself is unchanged
  replayOwnStatements(Self.Statements);
  Self.StatementsRecorded = true;
}

void ForkSiteRoles::releaseStatements() const {
  auto &Self = const_cast<ForkSiteRoles &>(*this);
  Self.Statements = StatementRecord();
  Self.StatementsRecorded = false;
}

llvm::ArrayRef<RoleEvent> ForkSiteRoles::executed() const {
  recordStatements();
  return Statements.Executed;
}

llvm::ArrayRef<ObjectDestruction> ForkSiteRoles::destructions() const {
  recordStatements();
  return Statements.Destructions;
}

const RoleEvent *ForkSiteRoles::executionOf(const Stmt *S) const {
  recordStatements();
  auto It = Statements.ExecutedIndex.find(S);
  return It == Statements.ExecutedIndex.end() ? nullptr : &Statements.Executed[It->second];
}

bool ForkSiteRoles::childCrosses(const CFGBlock *Block, unsigned Index) const {
  if (!Site.IsVFork)
    return roleAcrossEdge(Block, Index, Child).has_value();
  return ChildEdges.lookup(Function.edgeIndex(*Block, Index)) & ChildRoles;
}

RoleSet ForkSiteRoles::rolesEntering(const CFGBlock *Block) const {
  RoleSet Roles = 0;
  for (unsigned I = 0; I < NumRoleBits; ++I)
    if (Arrival.count(Block->getBlockID() * NumRoleBits + I))
      Roles |= roleBit(I);
  return Roles;
}

std::optional<RoleBit> ForkSiteRoles::roleAcrossEdge(const CFGBlock *Block, unsigned Index,
                                                     RoleBit Role) const {
  return roleAcrossEdgeWith(Block, Index, Role, pidVarsAtEnd(Block));
}

std::optional<RoleBit> ForkSiteRoles::roleAcrossEdgeWith(const CFGBlock *Block, unsigned Index,
                                                         RoleBit Role,
                                                         const PidVarSet &Vars) const {
  const Stmt *Terminator = Block->getTerminatorStmt();
  if (!Terminator || Block->succ_size() < 2)
    return Role;
  const ASTContext &Ctx = Function.astContext();
  PidRange Value = Site.valueIn(Role);

  // Whether the roles' values can take this edge: Role's, the parent's and the failed fork's.
  auto Passes = [&](PidRange Range) -> bool {
    if (const auto *Switch = dyn_cast<SwitchStmt>(Terminator)) {
      const CFGBlock *Target = *(Block->succ_begin() + Index);
      bool IsDefault = Index + 1 == Block->succ_size();
      if (!IsDefault) {
        const auto *Case = dyn_cast_or_null<CaseStmt>(Target ? Target->getLabel() : nullptr);
        return !Case || caseMatches(Case, Range, Ctx);
      }
      (void)Switch;
      for (const CFGBlock *Other : Block->succs())
        if (Other && Other != Target)
          if (const auto *Case = dyn_cast_or_null<CaseStmt>(Other->getLabel()))
            if (caseCovers(Case, Range, Ctx))
              return false;
      return true;
    }
    auto Test = PidTest::fromCondition(branchCondition(Block), Site.Call, Vars, Ctx);
    Truth Result = Test ? Test->evaluate(Range) : Truth::Unknown;
    return Result == Truth::Unknown || (Index == 0) == (Result == Truth::True);
  };

  if (const auto *Switch = dyn_cast<SwitchStmt>(Terminator))
    if (!isPidValue(Switch->getCond(), Site.Call, Vars))
      return Role;
  if (!Passes(Value))
    return std::nullopt;
  // A test that sends only the child this way puts a child in shared code back in its branch.
  if ((Role & ChildInSharedCode) && !Passes(Site.ParentValue) &&
      !(Site.FailedValue && Passes(*Site.FailedValue)))
    return backInOwnBranch(Role);
  return Role;
}

std::vector<PathStep> ForkSiteRoles::pathFromNode(int Node) const {
  std::vector<PathStep> Path;
  const unsigned StartBlock = Function.cfg().getNumBlockIDs();
  while (Node >= 0) {
    unsigned BlockIndex = Node / NumRoleBits;
    bool IsStart = BlockIndex == StartBlock;
    Path.push_back({IsStart ? SiteBlock : Function.block(BlockIndex),
                    roleBit(Node % NumRoleBits), IsStart});
    Node = Arrival.lookup(Node);
  }
  std::reverse(Path.begin(), Path.end());
  return Path;
}


const Stmt *firstStatementAlong(llvm::ArrayRef<PathStep> Path, size_t Index) {
  for (size_t I = Index; I < Path.size(); ++I)
    for (const CFGElement &Element : *Path[I].Block)
      if (auto S = Element.getAs<CFGStmt>())
        return S->getStmt();
  return nullptr;
}

//===----------------------------------------------------------------------------------------===//
// FunctionRoles
//===----------------------------------------------------------------------------------------===//

FunctionRoles::FunctionRoles(const FunctionDecl *FD, std::unique_ptr<CFG> TheCfg,
                             ASTContext &Ctx, CallEffects &Effects, std::vector<ForkSite> Sites)
    : FD(FD), Cfg(std::move(TheCfg)), Ctx(Ctx), Effects(Effects), Sites(std::move(Sites)) {
  BlocksByID.resize(Cfg->getNumBlockIDs());
  EdgeBase.resize(Cfg->getNumBlockIDs());
  for (const CFGBlock *Block : *Cfg) {
    BlocksByID[Block->getBlockID()] = Block;
    EdgeBase[Block->getBlockID()] = NumEdges;
    NumEdges += Block->succ_size();
  }
  Tracked = std::make_unique<TrackedVariables>(FD);
  Entry = std::make_unique<EntryConstants>(*this->Cfg, *Tracked, Ctx, liveness());
  for (const CFGBlock *Block : *Cfg)
    for (unsigned I = 0, E = Block->size(); I < E; ++I)
      if (auto Element = (*Block)[I].getAs<CFGStmt>())
        Locations.try_emplace(Element->getStmt(), Block, I);
  // Forks in code that cannot run (after a return, say) are not analyzed.
  std::vector<bool> Reachable = reachableFrom(*Cfg, {&Cfg->getEntry()});
  llvm::erase_if(this->Sites, [&](const ForkSite &Site) {
    auto Where = locate(Site.Call);
    return !Where || !Reachable[Where->first->getBlockID()];
  });
  // Each site walks what follows it, up to where its parent goes on in a shared tail: past a
  // budget of elements walked (far beyond real code; pathological input where every pid stays
  // read to the end), the later sites are left unanalyzed rather than letting one function
  // take minutes.
  SiteRoles.reserve(this->Sites.size());
  for (const ForkSite &Site : this->Sites)
    ForkCalls[Site.Call] = Site.parentSideValue();
  // A site another one links to (a shared tail) is needed for that one's answer: never left out.
  size_t Walked = 0;
  for (const ForkSite &Site : this->Sites) {
    if (Walked >= MaxSiteWork && !LinkTargets.count(Site.Call)) {
      ++Skipped;
      SkippedCalls.insert(Site.Call);
      continue;
    }
    RoleFacts Known = knownAtFork(Site);
    SiteRoles.emplace_back(*this, Site, Known);
    SiteIndex[Site.Call] = BuiltSites++;
    Walked += SiteRoles.back().WalkSteps;
    if (!linksHold(SiteRoles.back())) { // walk it again, every role to its end
      SiteRoles.pop_back();
      --BuiltSites;
      SiteRoles.emplace_back(*this, Site, Known, /*MayLink=*/false);
      ++BuiltSites;
      Walked += SiteRoles.back().WalkSteps;
    }
    for (auto &Link : SiteRoles.back().Links) {
      LinkTargets.insert(Link.At);
      Link.Facts = RoleFacts(); // checked: no longer needed
    }
  }
  linkTails();
}

RoleFacts FunctionRoles::startFacts(const ForkSite &Site, const RoleFacts &Known) const {
  auto Where = locate(Site.Call);
  if (!Where)
    return RoleFacts();
  RoleFacts AtFork = Entry->before(*Where->first, Where->second);
  RoleFacts Narrowed = AtFork;
  if (Narrowed.narrowBy(Known)) // a contradiction is ignored
    AtFork = std::move(Narrowed);
  if (const TrackedLiveness *Live = liveness())
    Live->forgetDead(AtFork, liveAfterFork(Site.Call));
  return AtFork;
}

RoleFacts FunctionRoles::knownAtFork(const ForkSite &Later) const {
  // The processes of an earlier fork that go on past this one are every process here when
  // every path to this fork passes the earlier one (its latest run is what its walk followed).
  // Its children that stop at a nested fork are not among them: `a = fork(); b = fork();`
  // analyzes b's processes as the descendants of a's parent, which cannot have `a == 0`.
  RoleFacts Known;
  for (const ForkSiteRoles &Earlier :
       llvm::ArrayRef<ForkSiteRoles>(SiteRoles).take_front(BuiltSites)) {
    if (!factsComplete(Earlier, Later.Call))
      continue; // past its links, the tails' processes reach forks its walk did not see
    const RoleFacts *There = Earlier.factsAtFork(Later.Call);
    if (!There || !forkDominates(Earlier, Later.Call))
      continue;
    RoleFacts Narrowed = Known;
    if (Narrowed.narrowBy(*There))
      Known = std::move(Narrowed);
  }
  return Known;
}

bool FunctionRoles::forkDominates(const ForkSiteRoles &Earlier, const CallExpr *Later) const {
  auto Where = locate(Later);
  if (!Where || !Earlier.SiteBlock)
    return false;
  return Earlier.SiteBlock == Where->first ? Earlier.SiteIndex < Where->second
                                           : dominates(Earlier.SiteBlock, Where->first);
}

bool FunctionRoles::dominates(const CFGBlock *A, const CFGBlock *B) const {
  if (!Dominators) {
    Dominators = std::make_unique<CFGDomTree>();
    Dominators->buildDominatorTree(Cfg.get());
  }
  return Dominators->dominates(A, B);
}

const ForkSite *FunctionRoles::forkSiteFor(const CallExpr *Call) const {
  for (const ForkSite &Site : Sites)
    if (Site.Call == Call)
      return &Site;
  return nullptr;
}

std::optional<std::pair<const CFGBlock *, unsigned>>
FunctionRoles::locate(const Stmt *S) const {
  auto It = Locations.find(S);
  if (It == Locations.end())
    return std::nullopt;
  return It->second;
}

} // namespace forkhazard
