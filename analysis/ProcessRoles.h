// The process-role analysis: for one call to a fork-like function, which processes (the parent,
// the child, the parent whose fork failed) can run each part of the enclosing function, and what
// each of them reaches: exec, process ends, returns, throws, later forks.
//
// It walks clang's CFG once per fork site and role (at most 6 roles), after a must-analysis of
// which variables hold the fork's result; a parent that goes on past a later fork with nothing
// of its own fork left to follow shares that fork's walk (shared tails), so many forks in one
// function do not each walk all the code after them. See docs/design.md.
#ifndef FORK_HAZARD_PROCESS_ROLES_H
#define FORK_HAZARD_PROCESS_ROLES_H

#include "analysis/PidValues.h"
#include "analysis/RoleFacts.h"
#include "analysis/TrackedLiveness.h"
#include "clang/AST/Decl.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Analysis/Analyses/Dominators.h"
#include "clang/Analysis/CFG.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include <array>
#include <memory>
#include <optional>
#include <vector>

namespace forkhazard {

/// One process role, as a bit. The child has four states: in its own branch, after a failed
/// exec, and either of those after falling through into code the parent also runs.
enum RoleBit : unsigned {
  Parent = 1u << 0,         // fork returned the child's pid
  ForkFailed = 1u << 1,     // fork returned -1: still the parent process
  Child = 1u << 2,          // fork returned 0
  ChildAfterExec = 1u << 3, // the child called exec and exec failed
  ChildShared = 1u << 4,    // the child fell through into code the parent also runs
  ChildSharedAfterExec = 1u << 5,
};
constexpr unsigned NumRoleBits = 6;
using RoleSet = unsigned;
constexpr RoleSet ParentRoles = Parent | ForkFailed;
constexpr RoleSet ChildRoles = Child | ChildAfterExec | ChildShared | ChildSharedAfterExec;
constexpr RoleSet ChildBeforeExec = Child | ChildShared;
constexpr RoleSet ChildAfterFailedExec = ChildAfterExec | ChildSharedAfterExec;
constexpr RoleSet ChildInSharedCode = ChildShared | ChildSharedAfterExec;

inline RoleBit roleBit(unsigned Index) { return static_cast<RoleBit>(1u << Index); }
inline unsigned bitIndex(RoleBit Role) {
  unsigned Index = 0;
  while ((1u << Index) != Role)
    ++Index;
  return Index;
}

/// How a process ends.
enum class EndKind {
  ExitCall,        // exit(): runs atexit handlers, flushes inherited stdio buffers
  ImmediateCall,   // _exit, _Exit, abort, quick_exit
  NoReturnCall,    // a function declared noreturn
  HelperExits,     // a function of this translation unit that always ends the process via exit()
  HelperImmediate, // a function of this translation unit that always ends it otherwise
  ReturnFromMain,  // `return` in main: the C runtime calls exit()
  FallOffMain,     // the end of main: the C runtime calls exit(0)
};
bool runsExitHooks(EndKind Kind);

/// What a call does to the process that makes it, as far as the analysis cares.
struct CallEffect {
  enum Kind { None, Exec, EndsProcess, Waits } What = None;
  EndKind End = EndKind::ImmediateCall;
  /// For EndKind::Helper*: the call inside the helper that ends the process (for notes).
  const clang::CallExpr *EndingCallInHelper = nullptr;
};

/// An exception that a function of this translation unit may let out to its caller.
struct ThrownException {
  clang::QualType Type; // the exception object's type; null when unknown (`throw;` in catch (...))
  bool OrDerived = false; // `throw;` in `catch (T &)`: a T, or an object of a class derived from T
  /// Where it comes from: the throw point in the function (a throw, or a call to a further
  /// function that may throw), then that function's, down to the `throw` itself.
  std::vector<const clang::Stmt *> Chain;
  /// For a function of another TU (the program's facts): where it throws, for the note.
  std::string Elsewhere;
};

/// What a call to a function of this translation unit may throw, as seen by the calling function.
struct ThrowOutcome {
  /// The exception that may carry the process out of its code: out of the calling function, or
  /// into one of its handlers that does not end the process. Null: none does.
  const ThrownException *Exception = nullptr;
  const clang::CXXCatchStmt *Handler = nullptr; // that handler; null when it leaves the function
  bool CallReturns = true; // false: the callee throws (or ends the process) on every path
};

class FunctionRoles;

/// Answers what calls do; implemented by the translation-unit summaries.
class CallEffects {
public:
  virtual ~CallEffects() = default;
  virtual CallEffect effectOf(const clang::CallExpr *Call) = 0;
  /// Where an exception Call may throw goes in Fn, the function that makes the call (the CFG has
  /// no edges for exceptions thrown by callees).
  virtual ThrowOutcome throwFrom(const FunctionRoles &Fn, const clang::CallExpr *Call) {
    return {};
  }
};

enum class EventKind {
  ReachesFork, // a fork-like call (this one again, or another)
  Exec,        // an exec-family call (the process continues only if it fails)
  EndsProcess, // exit, _exit, noreturn, an ending helper, return from main
  Waits,       // wait, waitpid, wait3, wait4, waitid
  Returns,     // `return` from a function other than main
  Throws,      // `throw` that leaves the function, or a call whose exception may (child only)
  FallsOffEnd, // the end of a function other than main
  Executes,    // any statement the process runs (see ForkSiteRoles::executed)
};

struct RoleEvent {
  EventKind Kind;
  const clang::Stmt *Where = nullptr; // null for FallsOffEnd / FallOffMain
  EndKind End = EndKind::ImmediateCall;
  const clang::CallExpr *EndingCallInHelper = nullptr;
  bool ReturnsPid = false; // Returns: the value returned is this fork's result
  std::optional<int64_t> ReturnedConstant; // Returns: the integer constant returned, if any
  /// Returns (child only): the constant returned differs from everything the parent and the
  /// failed fork return, so the caller can tell the processes apart (`return 0;` in the child,
  /// `return 1;` in the parent, like fork itself).
  bool TellsProcessesApart = false;
  /// Throws at a call (not a `throw`): the exception the callee may throw, and the handler of
  /// this function it reaches without ending the process (null: it leaves the function).
  const ThrownException *Exception = nullptr;
  const clang::CXXCatchStmt *Handler = nullptr;
  RoleSet Roles = 0;
  std::array<int, NumRoleBits> FirstHit; // walk node that first brought each role here
};

/// A local object's destructor that runs implicitly at the end of its scope.
struct ObjectDestruction {
  const clang::VarDecl *Object;
  RoleEvent Event; // Kind Executes; Where = the statement whose end destroys it
};

/// One block of the path a process takes from the fork to an event.
struct PathStep {
  const clang::CFGBlock *Block;
  RoleBit RoleOnEntry;
  bool StartsAfterFork; // the fork's own block, entered just after the call
};

/// A fork-like call: fork, _Fork, vfork, forkpty, or a function of this translation unit that
/// returns one's result, or one the project names in fork-functions (also ViaWrapper), or a
/// function of this translation unit that tells the processes apart by what it returns.
struct ForkSite {
  const clang::CallExpr *Call = nullptr;
  const clang::FunctionDecl *Callee = nullptr;
  bool IsVFork = false;
  bool ViaWrapper = false;
  bool NamedForkFunction = false;
  /// The callee forks and returns constants that tell its processes apart (openssh's
  /// privsep_preauth: 0 in the child, 1 in the parent): the caller's branch for the child's
  /// value is the child's code. The parent gets no pid from such a call.
  bool ViaRoleTellingCall = false;
  /// What the call returns in each process: fork's own values, or the callee's constants.
  /// No FailedValue: the call never returns when the fork fails (the callee aborts).
  PidRange ChildValue = ChildPid, ParentValue = ParentPid;
  std::optional<PidRange> FailedValue = FailedPid;

  /// The value Role's processes got from the call (ForkFailed: FailedValue, if any).
  PidRange valueIn(RoleBit Role) const;
  /// What a process that goes on past the call as its parent (or failed fork) got from it.
  ValueRange parentSideValue() const;
};

class FunctionRoles;

/// The role analysis for one fork site.
class ForkSiteRoles {
public:
  /// Known: what every process that reaches the fork is known to satisfy besides the
  /// function's constants (the processes of an earlier fork that go on past this one).
  /// MayLink: parent roles may go on in shared tails (see below).
  ForkSiteRoles(const FunctionRoles &Function, ForkSite Site, const RoleFacts &Known,
                bool MayLink = true);
  const ForkSite &site() const { return Site; }
  const FunctionRoles &function() const { return Function; }
  llvm::ArrayRef<RoleEvent> events() const { return Events; }
  /// Every CFG statement some role runs after the fork, in walk order, as Executes events:
  /// Roles says which processes run it (an exec call is run by Child, what follows it by
  /// ChildAfterExec; a call that ends the process is run, nothing after it). pathTo() works on
  /// them. Statements before the fork count only if a process loops back to them.
  /// Recorded on first use (a replay of the walk) and kept until releaseStatements(): per site
  /// they may be as large as the function, so the plugin drops them once the site's rules have
  /// run. Not listed: what a parent runs in a shared tail (no variable of this fork's result is
  /// read there; forEachTailExecution() visits it, one statement list per tail, at a cost).
  llvm::ArrayRef<RoleEvent> executed() const;
  /// Calls Visit with each statement a parent role of this fork runs in its shared tails, and
  /// the role (Parent or ForkFailed); a statement may come more than once.
  void forEachTailExecution(llvm::function_ref<void(const RoleEvent &, RoleBit)> Visit) const;
  /// Implicit destructor calls of local objects that some role runs after the fork (not in the
  /// shared tails either).
  llvm::ArrayRef<ObjectDestruction> destructions() const;
  /// Frees what executed() and destructions() recorded.
  void releaseStatements() const;
  /// The Executes event of S, or null if no process runs S after this fork.
  const RoleEvent *executionOf(const clang::Stmt *S) const;
  /// Whether Event is a process reaching another fork site of the function, which it goes on
  /// past as that fork's parent (not this fork again: a loop, the process splits anew).
  bool reachesAnotherFork(const RoleEvent &Event) const {
    return Event.Kind == EventKind::ReachesFork && Event.Where != Site.Call;
  }
  /// Whether a child role crosses the Index-th successor edge of Block (not into the exit),
  /// with what each child knows (its flags, a pid it changed); recorded for vfork sites, for
  /// others the pid test alone decides.
  bool childCrosses(const clang::CFGBlock *Block, unsigned Index) const;
  /// The roles that enter Block (at its first element).
  RoleSet rolesEntering(const clang::CFGBlock *Block) const;
  /// Whether Block is where a child branch rejoins code the parent also runs.
  bool isSharedCodeEntry(const clang::CFGBlock *Block) const {
    return SharedCodeEntries.count(Block);
  }
  /// The blocks one process in Role passes through from the fork to Event, fork first.
  std::vector<PathStep> pathTo(const RoleEvent &Event, RoleBit Role) const;
  /// Variables holding this fork's result at the end of Block.
  const PidVarSet &pidVarsAtEnd(const clang::CFGBlock *Block) const;
  /// Variables holding this fork's result just before S runs (empty if S is not after it).
  PidVarSet pidVarsBefore(const clang::Stmt *S) const;
  /// What the processes of this fork that reach Later, another fork of the function, know
  /// there, this fork's result as a range per role: the parent's side when it reaches Later,
  /// else the child's; null if none does. When both reach it (nested-fork), the processes
  /// Later makes for this fork's child exist only because of that mistake: Later's own
  /// analysis follows the parent's side alone (this child itself goes on past Later as its
  /// parent, in this fork's walk). One root cause, one diagnostic.
  const RoleFacts *factsAtFork(const clang::CallExpr *Later) const {
    auto It = FactsAtOtherForks.find(Later);
    if (It == FactsAtOtherForks.end())
      return nullptr;
    const auto &Lineages = It->second;
    return Lineages.first ? &*Lineages.first : Lineages.second ? &*Lineages.second : nullptr;
  }
  /// The role Role becomes when it takes the Index-th successor edge of Block, if it can.
  std::optional<RoleBit> roleAcrossEdge(const clang::CFGBlock *Block, unsigned Index,
                                        RoleBit Role) const;

private:
  friend class RoleWalk;
  friend class FunctionRoles;
  /// Shared tails. A parent role that reaches another fork of the function with no variable of
  /// this fork's result alive, knowing no more than that fork's own walk starts from, goes on
  /// exactly as that fork's parent or failed fork does: its walk stops there (a link), and
  /// events() and pathTo() take the rest from that fork's walk and, in turn, from the forks it
  /// links to (hops: the forks reached, each with the link that reached it).
  struct ForkLink {
    int Node;      // the walk node that reached the call
    RoleBit Role;  // its role (Parent or ForkFailed)
    const clang::CallExpr *At;
    RoleFacts Facts; // what it knew there (until the links are checked)
  };
  struct TailHop {
    unsigned Site; // index in FunctionRoles::sites()
    int Prev;      // the hop whose site links here, -1 for this site's own link
    unsigned Link; // that link, in Links of the hop's site (or of this site)
    RoleBit Root;  // this site's role that took the first link
  };
  struct LinkedHit {
    unsigned Hop;
    int Node; // the first walk node of the hop's site that reached the event
  };
  struct StatementRecord {
    std::vector<RoleEvent> Executed;
    llvm::DenseMap<const clang::Stmt *, unsigned> ExecutedIndex;
    std::vector<ObjectDestruction> Destructions;
    llvm::DenseMap<const clang::VarDecl *, unsigned> DestructionIndex;
  };
  std::vector<ForkLink> Links;
  llvm::DenseMap<int, const clang::CallExpr *> LinkedAt; // node -> the fork it stopped at
  std::vector<TailHop> Hops;
  llvm::DenseMap<unsigned, LinkedHit> EventHits; // event index * NumRoleBits + role
  size_t OwnEvents = 0; // Events past these come from the tails
  /// Adds the tails' events (FunctionRoles calls it once every site is walked).
  void addTailEvents();
  void replayOwnStatements(StatementRecord &Into) const;
  const LinkedHit *linkedHit(const RoleEvent &Event, RoleBit Role) const;
  std::vector<PathStep> pathFromNode(int Node) const;
  /// Whether a child role reaches a block the tails may run (from a link on, not past this
  /// fork's call).
  bool childMeetsTail() const;
  /// What the function's events say once the tails are in (which returns give the pid).
  void finishEvents();
  /// roleAcrossEdge() for a process whose variables holding the fork's result are Vars.
  std::optional<RoleBit> roleAcrossEdgeWith(const clang::CFGBlock *Block, unsigned Index,
                                            RoleBit Role, const PidVarSet &Vars) const;
  const FunctionRoles &Function;
  ForkSite Site;
  const clang::CFGBlock *SiteBlock = nullptr;
  unsigned SiteIndex = 0;
  llvm::DenseMap<unsigned, uint32_t> PidIn, PidOut; // block ID -> index into PidSets (0: none)
  std::vector<PidVarSet> PidSets;      // 0: unreached, 1: no variable
  /// The must-analysis (PidMustAnalysis.cpp).
  void computePidSets();
  uint32_t meetOfPredecessors(const clang::CFGBlock &Block);
  /// Whether a path from the fork reaches Block (computed on first use).
  bool reachedAfterFork(const clang::CFGBlock &Block);
  std::vector<bool> AfterFork;
  std::vector<RoleEvent> Events;
  llvm::DenseMap<std::pair<unsigned, const clang::Stmt *>, unsigned> EventIndex;
  void recordStatements() const;
  void markReturnsThatTellProcessesApart();
  bool StatementsRecorded = false;
  StatementRecord Statements;
  llvm::DenseMap<int, int> Arrival; // reached walk node -> node it came from (-1: the start)
  std::vector<int> VisitOrder; // the last walk's nodes, in the order of their first walk
  size_t WalkSteps = 0;        // elements walked, for the function's budget
  llvm::DenseSet<const clang::CFGBlock *> SharedCodeEntries;
  llvm::DenseMap<unsigned, RoleSet> ChildEdges; // vfork sites: first walk's roles per edge
  /// Per later fork: what the parent roles and the child roles know on reaching it.
  llvm::DenseMap<const clang::CallExpr *,
                 std::pair<std::optional<RoleFacts>, std::optional<RoleFacts>>>
      FactsAtOtherForks;
  RoleFacts Known;
  bool MayLink = true;
  llvm::DenseSet<unsigned> ParentBlocks; // blocks a parent role enters (by an edge)
};

/// The CFG of one function that calls a fork-like function, and the analysis of each call.
class FunctionRoles {
public:
  FunctionRoles(const clang::FunctionDecl *FD, std::unique_ptr<clang::CFG> Cfg,
                clang::ASTContext &Ctx, CallEffects &Effects, std::vector<ForkSite> Sites);
  const clang::FunctionDecl *decl() const { return FD; }
  const clang::CFG &cfg() const { return *Cfg; }
  const clang::CFGBlock *block(unsigned ID) const { return BlocksByID[ID]; }
  clang::ASTContext &astContext() const { return Ctx; }
  CallEffects &effects() const { return Effects; }
  llvm::ArrayRef<ForkSiteRoles> sites() const { return SiteRoles; }
  /// Fork sites left unanalyzed because the function is too large for all of them.
  unsigned skippedSites() const { return Skipped; }
  /// Elements walked per function, at most: a site starts only while the sites before it
  /// have walked fewer (a bound for pathological input, far beyond real code).
  static constexpr size_t MaxSiteWork = 40'000'000;
  /// The index of Block's Index-th successor edge among all edges of the CFG.
  unsigned edgeIndex(const clang::CFGBlock &Block, unsigned Index) const {
    return EdgeBase[Block.getBlockID()] + Index;
  }
  unsigned numEdges() const { return NumEdges; }
  const ForkSite *forkSiteFor(const clang::CallExpr *Call) const;
  /// The index in sites() of the analysis of Call's fork site; -1 if it has none.
  int siteIndexOf(const clang::CallExpr *Call) const {
    auto It = SiteIndex.find(Call);
    return It == SiteIndex.end() ? -1 : static_cast<int>(It->second);
  }
  /// The calls of every fork site of the function, with what a process that goes on past one
  /// as its parent got from it (ForkSite::parentSideValue).
  const llvm::DenseMap<const clang::CallExpr *, ValueRange> &forkCalls() const {
    return ForkCalls;
  }
  const TrackedVariables &trackedVariables() const { return *Tracked; }
  /// Liveness of the tracked variables; null in a function with one fork site (not needed).
  const TrackedLiveness *liveness() const;
  /// The variables that may be read after Call, a fork site's call (liveness() must exist).
  const llvm::BitVector &liveAfterFork(const clang::CallExpr *Call) const;
  /// The blocks other than the call's own where an expression containing Call is evaluated
  /// (`v = x ? fork() : 0` assigns in the join block).
  llvm::ArrayRef<const clang::CFGBlock *> blocksUsingCall(const clang::CallExpr *Call) const;
  const EntryConstants &entryConstants() const { return *Entry; }
  /// Where a statement sits in the CFG (block and element index), if it does.
  std::optional<std::pair<const clang::CFGBlock *, unsigned>> locate(const clang::Stmt *S) const;

private:
  const clang::FunctionDecl *FD;
  std::unique_ptr<clang::CFG> Cfg;
  clang::ASTContext &Ctx;
  CallEffects &Effects;
  std::vector<ForkSite> Sites;
  llvm::DenseMap<const clang::CallExpr *, ValueRange> ForkCalls;
  std::unique_ptr<TrackedVariables> Tracked;
  std::unique_ptr<EntryConstants> Entry;
  std::vector<ForkSiteRoles> SiteRoles;
  unsigned Skipped = 0;
  /// What the processes of the earlier sites that run Site's call know there (sites with a
  /// shared tail do not say: what they know past their links is not recorded).
  RoleFacts knownAtFork(const ForkSite &Site) const;
  /// What every process knows at Site's call (before it): the constants there, narrowed by
  /// Known (a contradiction is ignored).
  RoleFacts startFacts(const ForkSite &Site, const RoleFacts &Known) const;
  /// Whether a parent-side process of the site being walked that reaches Later, another fork
  /// site, with Facts goes on exactly as Later's own parent side: no variable of its fork's
  /// result is read after Later, and Later's walk will start knowing at least what it knows.
  bool continuesAsParentOf(const clang::CallExpr *Later, const RoleFacts &Facts,
                           const ForkSiteRoles &Walking) const;
  /// Whether the last site walked may keep its links: each tail's walk will start knowing at
  /// least what the linked process knew (checked again with all its facts known).
  bool linksHold(const ForkSiteRoles &Site) const;
  /// Whether what Earlier records at Later's call covers every process of it that gets there:
  /// always without links; with links, only when they all stop at Later and Later is on no
  /// cycle (a tail that got back to Later would bring processes Earlier did not see).
  bool factsComplete(const ForkSiteRoles &Earlier, const clang::CallExpr *Later) const;
  bool onCycle(const clang::CFGBlock *Block) const;
  mutable std::vector<bool> OnCycle; // per block ID, computed on first use
  /// Gives each site its shared tails' events.
  void linkTails();
  llvm::DenseMap<const clang::CallExpr *, unsigned> SiteIndex; // into SiteRoles
  llvm::DenseSet<const clang::CallExpr *> SkippedCalls, LinkTargets;
  unsigned BuiltSites = 0; // SiteRoles whose walk is complete
  mutable std::unique_ptr<TrackedLiveness> Liveness; // built on first use
  mutable std::unique_ptr<clang::ParentMap> Parents; // built on first use
  mutable llvm::DenseMap<const clang::CallExpr *, llvm::SmallVector<const clang::CFGBlock *, 2>>
      UsingCall;
  mutable llvm::DenseMap<const clang::CallExpr *, llvm::BitVector> LiveAfterFork;
  mutable llvm::DenseMap<const clang::CallExpr *, std::pair<unsigned, RoleFacts>> StartFactsCache;
  bool dominates(const clang::CFGBlock *A, const clang::CFGBlock *B) const;
  /// Whether every path to Later passes Earlier's call first.
  bool forkDominates(const ForkSiteRoles &Earlier, const clang::CallExpr *Later) const;
  mutable std::unique_ptr<clang::CFGDomTree> Dominators; // built on first use
  std::vector<const clang::CFGBlock *> BlocksByID;
  std::vector<unsigned> EdgeBase; // per block ID: edgeIndex(Block, 0)
  friend class RoleWalk;
  friend class ForkSiteRoles;
  /// The walks' per-node state, sized once per function and reset after each walk for what it
  /// touched: a site's walk costs what it reaches, not the size of the function, and keeps
  /// only that (ForkSiteRoles::Arrival, PidIn/PidOut: maps of what was reached).
  struct WalkScratch {
    std::vector<int> Slot;         // node -> index in Pool, -1 before its first arrival
    std::vector<RoleFacts> Pool;   // the first Used entries hold the reached nodes' facts
    size_t Used = 0;
    std::vector<bool> Queued, Walked;
    std::vector<uint8_t> Changes;
    std::vector<int> Arrival;       // node -> node it came from; -2 before its first arrival
    std::vector<RoleSet> EdgeRoles; // edge -> roles crossing it
    std::vector<unsigned> TouchedEdges;
    std::vector<uint32_t> PidIn, PidOut; // the must-analysis, per block ID (0: not visited)
    std::vector<unsigned> TouchedBlocks;
  };
  mutable WalkScratch Scratch;
  unsigned NumEdges = 0;
  llvm::DenseMap<const clang::Stmt *, std::pair<const clang::CFGBlock *, unsigned>> Locations;
};

/// Builds the CFG the analysis uses (every expression as an element, trivially false edges
/// pruned, implicit destructors). Null when clang cannot build one.
std::unique_ptr<clang::CFG> buildAnalysisCFG(const clang::FunctionDecl *FD,
                                             clang::ASTContext &Ctx);


/// The blocks a path from Work's blocks reaches (them included), by block ID.
std::vector<bool> reachableFrom(const clang::CFG &Cfg, std::vector<const clang::CFGBlock *> Work);

/// The first statement of Block, or of the blocks that follow it along Path from Index.
const clang::Stmt *firstStatementAlong(llvm::ArrayRef<PathStep> Path, size_t Index);

} // namespace forkhazard

#endif
