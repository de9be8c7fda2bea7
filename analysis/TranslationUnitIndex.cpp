#include "analysis/TranslationUnitIndex.h"

#include "analysis/Compat.h"
#include "analysis/Descriptors.h"
#include "analysis/LibcFunctions.h"
#include "analysis/ProgramFacts.h"
#include "analysis/SignalState.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include <deque>

using namespace clang;

namespace forkhazard {

/// Whether the TU spells one of Names (the last part, for a qualified name). A spelled name is
/// enough: a function named by the project may be a member of a namespace or class, which no
/// lookup at TU scope finds, and the project asked for these calls to be analyzed.
static bool spellsAny(ASTContext &Ctx, llvm::ArrayRef<std::string> Names) {
  for (llvm::StringRef Name : Names) {
    size_t Colons = Name.rfind("::");
    llvm::StringRef Last = Colons == llvm::StringRef::npos ? Name : Name.drop_front(Colons + 2);
    if (Ctx.Idents.find(Last) != Ctx.Idents.end())
      return true;
  }
  return false;
}

bool mayCallFork(ASTContext &Ctx, Sema *S, llvm::ArrayRef<std::string> ForkFunctions) {
  if (spellsAny(Ctx, ForkFunctions))
    return true;
  llvm::SmallVector<IdentifierInfo *, 8> Names;
  for (llvm::StringRef Name : forkFamilyNames()) {
    auto Id = Ctx.Idents.find(Name);
    if (Id != Ctx.Idents.end())
      Names.push_back(Id->getValue());
  }
  if (Names.empty())
    return false; // the common case: no such name was ever spelled or declared

  auto Referenced = [](const NamedDecl *Named) {
    for (const Decl *Redecl : Named->redecls())
      if (Redecl->isReferenced() || Redecl->isUsed(false))
        return true;
    return false;
  };
  // Sema's identifier chains hold the declarations visible at file scope, so this costs a few
  // pointer hops, where TU->lookup() would build the lookup table of the whole TU on first use
  // (0.25 ms in a 7,000-line C file without fork). A precompiled header or module loads its
  // declarations lazily: then the lookup table is the reliable source.
  const bool UseChains = S && !Ctx.getExternalSource();
  TranslationUnitDecl *TU = Ctx.getTranslationUnitDecl();
  for (IdentifierInfo *Id : Names) {
    bool Declared = false;
    if (UseChains) {
      for (auto It = S->IdResolver.begin(DeclarationName(Id)), End = S->IdResolver.end();
           It != End; ++It) {
        Declared = true;
        if (Referenced(*It))
          return true;
      }
    } else {
      for (const NamedDecl *Named : TU->lookup(DeclarationName(Id))) {
        Declared = true;
        if (Referenced(Named))
          return true;
      }
    }
    // vfork is a library builtin, so its identifier exists in every TU. Any other name that
    // exists but has no declaration was spelled somewhere: a C89 implicit declaration (gone
    // with its block scope), a macro argument, a member. Assume it may be a call.
    if (!Declared && Id->getBuiltinID() == 0)
      return true;
  }
  return false;
}

/// Whether FD is one of Names: its plain or its qualified name.
static bool namedIn(const llvm::StringSet<> &Names, const FunctionDecl *FD) {
  if (Names.empty() || !FD->getIdentifier())
    return false;
  return Names.count(FD->getName()) || Names.count(FD->getQualifiedNameAsString());
}

namespace {
/// Collects, per function body outside system headers, the calls the analysis cares about.
class CallCollector : public RecursiveASTVisitor<CallCollector> {
public:
  using Base = RecursiveASTVisitor<CallCollector>;
  CallCollector(ASTContext &Ctx, std::vector<const FunctionDecl *> &Order,
                llvm::DenseMap<const FunctionDecl *, std::pair<std::vector<const CallExpr *>,
                                                               std::vector<const CallExpr *>>> &Calls,
                llvm::StringMap<std::vector<const CallExpr *>> &LibraryCalls,
                llvm::DenseMap<const CallExpr *, const FunctionDecl *> &CallOwners,
                std::vector<const CallExpr *> &DiscardedCalls,
                std::vector<TranslationUnitIndex::ElsewhereCall> &ElsewhereCalls,
                std::vector<const CXXConstructExpr *> &ThreadConstructions,
                const llvm::StringSet<> &ForkFunctions, const TranslationUnitIndex &Index)
      : SM(Ctx.getSourceManager()), Order(Order), Calls(Calls), LibraryCalls(LibraryCalls),
        CallOwners(CallOwners),
        DiscardedCalls(DiscardedCalls), ElsewhereCalls(ElsewhereCalls),
        ThreadConstructions(ThreadConstructions),
        ForkFunctions(ForkFunctions), Index(Index) {}

  bool shouldVisitTemplateInstantiations() const { return true; }

  bool TraverseDecl(Decl *D) {
    if (!D)
      return true;
    if (declaredInSystemHeader(D, SM))
      return true; // never analyze or report system headers
    const auto *FD = dyn_cast<FunctionDecl>(D);
    if (FD && FD->doesThisDeclarationHaveABody() && !FD->isDependentContext()) {
      Stack.push_back(FD);
      bool Result = Base::TraverseDecl(D);
      Stack.pop_back();
      return Result;
    }
    if (isa<BlockDecl>(D) || isa<ObjCMethodDecl>(D)) {
      Stack.push_back(nullptr); // not analyzed: keep their calls out of the enclosing function
      bool Result = Base::TraverseDecl(D);
      Stack.pop_back();
      return Result;
    }
    return Base::TraverseDecl(D);
  }

  bool TraverseLambdaExpr(LambdaExpr *Lambda) {
    Stack.push_back(Lambda->getCallOperator());
    bool Result = Base::TraverseLambdaExpr(Lambda);
    Stack.pop_back();
    return Result;
  }

  /// Calls whose value is thrown away (expression statements, `(void)f();`), for rules that
  /// care what happens to a returned pid.
  bool VisitCompoundStmt(CompoundStmt *Block) {
    if (Stack.empty() || !Stack.back())
      return true;
    for (Stmt *Child : Block->body()) {
      const auto *E = dyn_cast<Expr>(Child);
      if (!E)
        continue;
      E = E->IgnoreParenImpCasts();
      if (const auto *Cast = dyn_cast<CStyleCastExpr>(E))
        if (Cast->getType()->isVoidType())
          E = Cast->getSubExpr()->IgnoreParenImpCasts();
      if (const auto *Call = dyn_cast<CallExpr>(E))
        DiscardedCalls.push_back(Call);
    }
    return true;
  }

  /// std::thread and friends start a thread by construction.
  bool VisitCXXConstructExpr(CXXConstructExpr *Construct) {
    if (Stack.empty() || !Stack.back() || !Construct->getConstructor())
      return true;
    std::string Class = Construct->getConstructor()->getParent()->getQualifiedNameAsString();
    if (Class == "std::thread" || Class == "std::jthread" || Class == "boost::thread")
      ThreadConstructions.push_back(Construct);
    return true;
  }

  bool VisitCallExpr(CallExpr *Call) {
    if (Stack.empty() || !Stack.back())
      return true;
    const FunctionDecl *Callee = directCallee(Call);
    if (!Callee)
      return true;
    llvm::StringRef Library = libcName(Callee);
    static const llvm::StringSet<> Recorded = [] {
      llvm::StringSet<> Names;
      for (llvm::StringRef Name : TranslationUnitIndex::recordedLibraryCalls())
        Names.insert(Name);
      return Names;
    }();
    if (!Library.empty() && Recorded.count(Library)) {
      LibraryCalls[Library].push_back(Call);
      CallOwners[Call] = Stack.back();
    }
    LibcKind Kind = classifyLibcFunction(Callee);
    bool IsFork = Kind == LibcKind::Fork || Kind == LibcKind::VFork ||
                  namedIn(ForkFunctions, Callee) || Index.isProgramForkWrapper(Callee) ||
                  Index.programRoleTellingValues(Callee);
    const FunctionDecl *Definition = nullptr;
    bool IsLocal = !IsFork && Callee->hasBody(Definition) && Definition &&
                   !SM.isInSystemHeader(SM.getExpansionLoc(Definition->getLocation()));
    if (!Definition && !IsFork && !declaredInSystemHeader(Callee, SM))
      ElsewhereCalls.push_back({Call, Stack.back()});
    if (!IsFork && !IsLocal)
      return true;
    const FunctionDecl *Owner = Stack.back();
    CallOwners[Call] = Owner;
    auto Inserted = Calls.try_emplace(Owner);
    if (Inserted.second)
      Order.push_back(Owner);
    (IsFork ? Inserted.first->second.first : Inserted.first->second.second).push_back(Call);
    return true;
  }

private:
  SourceManager &SM;
  std::vector<const FunctionDecl *> Stack;
  std::vector<const FunctionDecl *> &Order;
  llvm::DenseMap<const FunctionDecl *,
                 std::pair<std::vector<const CallExpr *>, std::vector<const CallExpr *>>> &Calls;
  llvm::StringMap<std::vector<const CallExpr *>> &LibraryCalls;
  llvm::DenseMap<const CallExpr *, const FunctionDecl *> &CallOwners;
  std::vector<const CallExpr *> &DiscardedCalls;
  std::vector<TranslationUnitIndex::ElsewhereCall> &ElsewhereCalls;
  std::vector<const CXXConstructExpr *> &ThreadConstructions;
  const llvm::StringSet<> &ForkFunctions;
  const TranslationUnitIndex &Index;
};
} // namespace

std::vector<const CallExpr *>
TranslationUnitIndex::discardedCallsTo(const FunctionDecl *FD) const {
  std::vector<const CallExpr *> Found;
  for (const CallExpr *Call : DiscardedCalls)
    if (const FunctionDecl *Callee = directCallee(Call))
      if (Callee->getCanonicalDecl() == FD->getCanonicalDecl())
        Found.push_back(Call);
  return Found;
}

llvm::ArrayRef<llvm::StringRef> TranslationUnitIndex::recordedLibraryCalls() {
  static const std::vector<llvm::StringRef> Names = [] {
    std::vector<llvm::StringRef> All(threadCreationFunctions().begin(),
                                     threadCreationFunctions().end());
    All.push_back("async"); // std::async
    All.insert(All.end(), signalStateFunctions().begin(), signalStateFunctions().end());
    All.insert(All.end(), descriptorCreatingFunctions().begin(),
               descriptorCreatingFunctions().end());
    return All;
  }();
  return Names;
}

const FunctionDecl *TranslationUnitIndex::ownerOf(const CallExpr *Call) const {
  return CallOwners.lookup(Call);
}

llvm::ArrayRef<const CallExpr *> TranslationUnitIndex::callsTo(llvm::StringRef Name) const {
  auto Found = LibraryCalls.find(Name);
  if (Found == LibraryCalls.end())
    return {};
  return Found->second;
}

TranslationUnitIndex::TranslationUnitIndex(ASTContext &Ctx)
    : Ctx(Ctx), Keys(std::make_unique<FunctionKeys>(Ctx)) {}

bool TranslationUnitIndex::isProgramForkWrapper(const FunctionDecl *FD) const {
  const ProgramFunction *Elsewhere = Program ? programFunction(FD) : nullptr;
  return Elsewhere && Elsewhere->ForkWrapper;
}

std::optional<RoleTellingValues>
TranslationUnitIndex::programRoleTellingValues(const FunctionDecl *FD) const {
  const ProgramFunction *Elsewhere = Program ? programFunction(FD) : nullptr;
  if (!Elsewhere)
    return std::nullopt;
  return Elsewhere->ProcessValues;
}

const ProgramFunction *
TranslationUnitIndex::resultDiscardedElsewhere(const FunctionDecl *FD) const {
  if (!Program || !FD || !FunctionKeys::isVisibleToOtherTUs(FD))
    return nullptr;
  const ProgramFunction *Facts = Program->function(keyOf(FD));
  return Facts && Facts->ResultDiscarded.valid() ? Facts : nullptr;
}

const ProgramFunction *TranslationUnitIndex::programFunction(const FunctionDecl *FD) const {
  if (!Program || !FD || FD->hasBody() || !FunctionKeys::isVisibleToOtherTUs(FD) ||
      declaredInSystemHeader(FD, Ctx.getSourceManager()))
    return nullptr;
  return Program->function(keyOf(FD));
}
TranslationUnitIndex::~TranslationUnitIndex() = default;

void TranslationUnitIndex::setProjectFunctions(const AnalysisOptions &Opts) {
  for (const std::string &Name : Opts.ForkFunctions)
    ProjectForkFunctions.insert(Name);
  for (const ExitFunction &Function : Opts.ExitFunctions)
    (Function.RunsExitHooks ? ProjectExitsThroughExit : ProjectExitFunctions)
        .insert(Function.Name);
  for (const std::string &Name : Opts.WaitFunctions)
    ProjectWaitFunctions.insert(Name);
}

/// A project's own waitpid, declared here and defined elsewhere, named like it and taking a
/// pid first (busybox's safe_waitpid(-1, &status, 0), an EINTR-retrying waitpid).
static bool isWaitpidWrapper(const FunctionDecl *FD) {
  if (!FD->getIdentifier() || FD->hasBody() || FD->getNumParams() < 1 ||
      !FD->getParamDecl(0)->getType()->isIntegerType())
    return false;
  llvm::StringRef Name = FD->getName();
  return Name.size() > strlen("waitpid") &&
         Name.take_back(strlen("waitpid")).equals_insensitive("waitpid");
}

bool TranslationUnitIndex::isProjectWaitFunction(const FunctionDecl *FD) const {
  return FD && (namedIn(ProjectWaitFunctions, FD) || isWaitpidWrapper(FD));
}

void TranslationUnitIndex::build() {
  std::vector<const FunctionDecl *> Order;
  llvm::DenseMap<const FunctionDecl *,
                 std::pair<std::vector<const CallExpr *>, std::vector<const CallExpr *>>>
      Calls;
  CallCollector(Ctx, Order, Calls, LibraryCalls, CallOwners, DiscardedCalls, ElsewhereCalls,
                ThreadConstructions,
                ProjectForkFunctions, *this)
      .TraverseDecl(Ctx.getTranslationUnitDecl());
  for (const FunctionDecl *FD : Order) {
    auto &Found = Calls[FD];
    FunctionIndex[FD] = Functions.size();
    Functions.push_back({FD, std::move(Found.first), std::move(Found.second)});
  }
}

std::vector<const CallExpr *>
TranslationUnitIndex::callsOfLocalFunction(const FunctionDecl *FD) const {
  std::vector<const CallExpr *> Calls;
  for (const FunctionInfo &Info : Functions)
    for (const CallExpr *Call : Info.LocalCalls)
      if (const FunctionDecl *Callee = directCallee(Call))
        if (Callee->getCanonicalDecl() == FD->getCanonicalDecl())
          Calls.push_back(Call);
  return Calls;
}

const TranslationUnitIndex::FunctionInfo *
TranslationUnitIndex::infoFor(const FunctionDecl *FD) const {
  auto It = FunctionIndex.find(FD);
  return It == FunctionIndex.end() ? nullptr : &Functions[It->second];
}

std::vector<ForkSite> TranslationUnitIndex::forkSitesOf(const FunctionInfo &Info) {
  std::vector<ForkSite> Sites;
  for (const CallExpr *Call : Info.ForkCalls) {
    const FunctionDecl *Callee = directCallee(Call);
    LibcKind Kind = classifyLibcFunction(Callee);
    if (!namedIn(ProjectForkFunctions, Callee) && !isProgramForkWrapper(Callee))
      if (std::optional<RoleTellingValues> Values = programRoleTellingValues(Callee)) {
        if (!llvm::is_contained(DiscardedCalls, Call)) // as for one of this TU, below
          Sites.push_back(roleTellingSite(Call, Callee, *Values));
        continue;
      }
    // Not the C library's: a wrapper of another TU, or a fork-functions name; each returns
    // fork's result like a wrapper.
    bool Wrapper = Kind != LibcKind::Fork && Kind != LibcKind::VFork;
    bool Named = Wrapper && !isProgramForkWrapper(Callee);
    Sites.push_back({Call, Callee, Kind == LibcKind::VFork, Wrapper, Named});
  }
  for (const CallExpr *Call : Info.LocalCalls) {
    const FunctionDecl *Callee = directCallee(Call);
    const FunctionDecl *Definition = nullptr;
    if (!Callee->hasBody(Definition) || !Definition)
      continue;
    if (isForkWrapper(Definition)) {
      Sites.push_back({Call, Definition, false, true});
      continue;
    }
    // A caller that throws the value away cannot tell its processes apart: the child's return
    // in the callee is the escape (child-escape reports it there).
    if (std::optional<RoleTellingValues> Values = roleTellingValues(Definition))
      if (!llvm::is_contained(DiscardedCalls, Call))
        Sites.push_back(roleTellingSite(Call, Definition, *Values));
  }
  std::sort(Sites.begin(), Sites.end(), [&](const ForkSite &A, const ForkSite &B) {
    return Ctx.getSourceManager().isBeforeInTranslationUnit(A.Call->getBeginLoc(),
                                                            B.Call->getBeginLoc());
  });
  return Sites;
}

const FunctionRoles *TranslationUnitIndex::analyze(const FunctionInfo &Info) {
  auto It = Analyzed.find(Info.Decl);
  if (It != Analyzed.end())
    return It->second.get();
  Analyzed[Info.Decl] = nullptr; // guards recursion through wrappers
  std::vector<ForkSite> Sites = forkSitesOf(Info);
  std::unique_ptr<FunctionRoles> Result;
  if (!Sites.empty())
    if (std::unique_ptr<CFG> Cfg = buildAnalysisCFG(Info.Decl, Ctx))
      Result = std::make_unique<FunctionRoles>(Info.Decl, std::move(Cfg), Ctx, *this,
                                               std::move(Sites));
  const FunctionRoles *Raw = Result.get();
  Analyzed[Info.Decl] = std::move(Result);
  return Raw;
}

bool TranslationUnitIndex::isForkWrapper(const FunctionDecl *FD) {
  auto State = WrapperState.find(FD);
  if (State != WrapperState.end())
    return State->second == 1;
  const FunctionInfo *Info = infoFor(FD);
  if (!Info || FD->isMain() || !FD->getReturnType()->isIntegerType()) {
    WrapperState[FD] = 2;
    return false;
  }
  if (SummaryBudget.exhausted())
    return false;
  WrapperState[FD] = 0;
  bool Wrapper = false;
  const FunctionRoles *Roles = [&] {
    RecursionBudget::Level Deeper(SummaryBudget);
    return analyze(*Info);
  }();
  if (Roles)
    for (const ForkSiteRoles &Site : Roles->sites()) {
      if (Site.site().ViaRoleTellingCall)
        continue; // passing such a value on makes a role-telling function, not a wrapper
      for (const RoleEvent &Event : Site.events())
        if (Event.Kind == EventKind::Returns && Event.ReturnsPid &&
            (Event.Roles & ChildBeforeExec))
          Wrapper = true;
    }
  WrapperState[FD] = Wrapper ? 1 : 2;
  return Wrapper;
}

std::optional<RoleTellingValues> TranslationUnitIndex::roleTellingValues(const FunctionDecl *FD) {
  auto Known = RoleTelling.find(FD);
  if (Known != RoleTelling.end())
    return Known->second;
  const FunctionInfo *Info = infoFor(FD);
  if (!Info || FD->isMain() || !FD->getReturnType()->isIntegerType() ||
      SummaryBudget.exhausted())
    return std::nullopt;
  RoleTelling[FD] = std::nullopt;
  const FunctionRoles *Roles = [&] {
    RecursionBudget::Level Deeper(SummaryBudget);
    return analyze(*Info);
  }();
  std::optional<RoleTellingValues> Values;
  if (Roles)
    Values = valuesTellingProcessesApart(*Roles);
  RoleTelling[FD] = Values;
  return Values;
}

std::vector<const FunctionRoles *> TranslationUnitIndex::forkingFunctions() {
  std::vector<const FunctionRoles *> Result;
  for (const FunctionInfo &Info : Functions)
    if (const FunctionRoles *Roles = analyze(Info))
      Result.push_back(Roles);
  return Result;
}

static bool isWaitFunction(const FunctionDecl *FD) {
  return waitFamilyOf(FD) != WaitFamily::None;
}

/// glibc's error(status, errnum, format, ...) and error_at_line(status, ...) call exit(status)
/// when status is not 0, but are not declared noreturn (procps: `xerr(2, "fork failed")`).
static bool exitsThroughStatus(const CallExpr *Call, const FunctionDecl *Callee,
                               const ASTContext &Ctx) {
  llvm::StringRef Name = libcName(Callee);
  if ((Name != "error" && Name != "error_at_line") || Call->getNumArgs() < 3)
    return false;
  auto Status = compat::integerConstant(Call->getArg(0)->IgnoreParenImpCasts(), Ctx);
  return Status && *Status != 0;
}

CallEffect TranslationUnitIndex::effectOf(const CallExpr *Call) {
  CallEffect Effect;
  const FunctionDecl *Callee = directCallee(Call);
  if (!Callee)
    return Effect;
  switch (classifyLibcFunction(Callee)) {
  case LibcKind::Exec:
    Effect.What = CallEffect::Exec;
    return Effect;
  case LibcKind::ExitRunsHooks:
    Effect.What = CallEffect::EndsProcess;
    Effect.End = EndKind::ExitCall;
    return Effect;
  case LibcKind::ExitImmediate:
    Effect.What = CallEffect::EndsProcess;
    Effect.End = EndKind::ImmediateCall;
    return Effect;
  default:
    break;
  }
  if (isWaitFunction(Callee) || isProjectWaitFunction(Callee)) {
    Effect.What = CallEffect::Waits;
    return Effect;
  }
  if (exitsThroughStatus(Call, Callee, Ctx)) {
    Effect.What = CallEffect::EndsProcess;
    Effect.End = EndKind::HelperExits; // "calls 'error', which ends it with 'exit'"
    return Effect;
  }
  if (std::optional<CallEffect> Named = projectExitEffect(Callee))
    return *Named;
  if (std::optional<CallEffect> Helper = helperEndEffect(Callee))
    return *Helper;
  if (const ProgramFunction *Elsewhere = programFunction(Callee))
    if (Elsewhere->End != Ending::Returns) {
      Effect.What = CallEffect::EndsProcess;
      Effect.End = Elsewhere->End == Ending::Exits ? EndKind::HelperExits
                                                   : EndKind::HelperImmediate;
      return Effect;
    }
  // Declared noreturn, with no body here that shows how (or one that may seem to return: it
  // ends through a call this TU cannot see): it ends, without known exit hooks.
  if (Callee->isNoReturn()) {
    Effect.What = CallEffect::EndsProcess;
    Effect.End = EndKind::NoReturnCall;
  }
  return Effect;
}

/// exit-functions: `name` ends like _exit, `name:exit` through exit() (running its hooks).
std::optional<CallEffect>
TranslationUnitIndex::projectExitEffect(const FunctionDecl *Callee) const {
  bool ThroughExit = namedIn(ProjectExitsThroughExit, Callee);
  if (!ThroughExit && !namedIn(ProjectExitFunctions, Callee))
    return std::nullopt;
  CallEffect Effect;
  Effect.What = CallEffect::EndsProcess;
  Effect.End = ThroughExit ? EndKind::HelperExits : EndKind::NoReturnCall;
  return Effect;
}

/// A function defined here (noreturn or not) that always ends the process, judged by its body:
/// a noreturn `die()` whose body calls exit() runs the exit hooks like exit() itself.
std::optional<CallEffect> TranslationUnitIndex::endingEffectOf(const FunctionDecl *Definition) {
  return helperEndEffect(Definition);
}

std::optional<CallEffect> TranslationUnitIndex::helperEndEffect(const FunctionDecl *Callee) {
  const FunctionDecl *Definition = nullptr;
  if (!Callee->hasBody(Definition) || !Definition)
    return std::nullopt;
  const EndSummary &Summary = endSummary(Definition);
  if (Summary.Status != EndSummary::Ends)
    return std::nullopt;
  CallEffect Effect;
  Effect.What = CallEffect::EndsProcess;
  Effect.End = Summary.Kind;
  Effect.EndingCallInHelper = Summary.EndingCall;
  return Effect;
}

/// A function of this TU always ends the process when no path from its entry reaches its exit
/// without passing a call that ends the process (summaries of callees included).
const TranslationUnitIndex::EndSummary &
TranslationUnitIndex::endSummary(const FunctionDecl *FD) {
  EndSummary &Summary = EndSummaries[FD];
  if (Summary.Status != EndSummary::Unknown)
    return Summary;
  static const EndSummary TooDeep{EndSummary::Returns, EndKind::HelperImmediate, nullptr};
  if (SummaryBudget.exhausted())
    return TooDeep; // not cached: a shallower call may still summarize it
  RecursionBudget::Level Deeper(SummaryBudget);
  Summary.Status = EndSummary::InProgress; // recursion: assume it returns
  const SourceManager &SM = Ctx.getSourceManager();
  std::unique_ptr<CFG> Cfg;
  if (!FD->isMain() && !SM.isInSystemHeader(SM.getExpansionLoc(FD->getLocation())))
    Cfg = buildAnalysisCFG(FD, Ctx);
  if (!Cfg) {
    EndSummaries[FD].Status = EndSummary::Returns;
    return EndSummaries[FD];
  }
  bool ReachesExit = false;
  // The first ending call, and the first exit() (inside a further helper, if that is where
  // it is): the note of a helper that runs the exit hooks points at the exit() itself.
  const CallExpr *FirstEnd = nullptr, *FirstExit = nullptr;
  std::vector<bool> Seen(Cfg->getNumBlockIDs());
  std::deque<const CFGBlock *> Work{&Cfg->getEntry()};
  while (!Work.empty() && !ReachesExit) {
    const CFGBlock *Block = Work.front();
    Work.pop_front();
    if (!Block || Seen[Block->getBlockID()])
      continue;
    Seen[Block->getBlockID()] = true;
    if (Block == &Cfg->getExit()) {
      ReachesExit = true;
      break;
    }
    bool Ended = false;
    for (const CFGElement &Element : *Block) {
      auto S = Element.getAs<CFGStmt>();
      const auto *Call = S ? dyn_cast<CallExpr>(S->getStmt()) : nullptr;
      if (!Call)
        continue;
      CallEffect Effect = effectOf(Call);
      if (Effect.What == CallEffect::EndsProcess) {
        Ended = true;
        if (!FirstEnd)
          FirstEnd = Call;
        if (!FirstExit && runsExitHooks(Effect.End))
          FirstExit = Effect.EndingCallInHelper ? Effect.EndingCallInHelper : Call;
        break;
      }
    }
    if (!Ended && !Block->hasNoReturnElement())
      Work.insert(Work.end(), Block->succ_begin(), Block->succ_end());
  }
  EndSummary &Final = EndSummaries[FD]; // re-find: effectOf may have grown the map
  // No path to the exit: every path ends the process or loops forever (a worker loop).
  Final.Status = ReachesExit ? EndSummary::Returns : EndSummary::Ends;
  Final.Kind = FirstExit ? EndKind::HelperExits : EndKind::HelperImmediate;
  Final.EndingCall = FirstExit ? FirstExit : FirstEnd;
  return Final;
}

//===----------------------------------------------------------------------------------------===//
// May-throw summaries: which exceptions a function of this TU lets out to its callers.
//===----------------------------------------------------------------------------------------===//

/// Records that E, thrown at Point, leaves the function: one entry per kind of exception, and
/// past MaxThrownKinds one of any type (only `catch (...)` is sure to catch it).
static void addEscaping(std::vector<ThrownException> &Escaping, const Stmt *Point,
                        const ThrownException &E, size_t MaxKinds) {
  ThrownException Added;
  if (Escaping.size() < MaxKinds) {
    Added.Type = E.Type;
    Added.OrDerived = E.OrDerived;
  }
  auto Same = [&](const ThrownException &Other) {
    return Other.Type == Added.Type && Other.OrDerived == Added.OrDerived;
  };
  if (llvm::any_of(Escaping, Same))
    return;
  Added.Chain.push_back(Point);
  Added.Chain.insert(Added.Chain.end(), E.Chain.begin(), E.Chain.end());
  Escaping.push_back(std::move(Added));
}

const TryNesting &TranslationUnitIndex::nestingOf(const FunctionDecl *FD) {
  std::unique_ptr<TryNesting> &Nesting = Nestings[FD];
  if (!Nesting)
    Nesting = std::make_unique<TryNesting>(FD->getBody());
  return *Nesting;
}

const TranslationUnitIndex::ThrowSummary *
TranslationUnitIndex::thrownByCall(const CallExpr *Call) {
  const FunctionDecl *Callee = directCallee(Call);
  const FunctionDecl *Definition = nullptr;
  if (!Callee)
    return nullptr;
  if (!Callee->hasBody(Definition) || !Definition)
    return thrownElsewhere(Callee); // not assumed to throw, unless the program's facts say so
  return throwSummary(Definition);
}

/// A function of another TU that may let an exception out, by the program's facts: of a type
/// this TU cannot name, so only `catch (...)` surely catches it; it may also return.
const TranslationUnitIndex::ThrowSummary *
TranslationUnitIndex::thrownElsewhere(const FunctionDecl *Callee) {
  const ProgramFunction *Elsewhere = programFunction(Callee);
  if (!Elsewhere || !Elsewhere->MayThrow || isNoThrow(Callee))
    return nullptr;
  std::unique_ptr<ThrowSummary> &Summary = ThrowSummaries[Callee->getCanonicalDecl()];
  if (!Summary) {
    Summary = std::make_unique<ThrowSummary>();
    Summary->Done = true;
    Summary->ReturnsNormally = true;
    ThrownException Unknown;
    Unknown.Elsewhere = "'" + Elsewhere->Name + "' is defined in " +
                        Program->describe(Elsewhere->Where);
    if (Elsewhere->ThrowPoint.valid())
      Unknown.Elsewhere += " and throws " +
                           (Elsewhere->ThrownType.empty() ? std::string("an exception")
                                                          : "'" + Elsewhere->ThrownType + "'") +
                           " at " + Program->describe(Elsewhere->ThrowPoint);
    Summary->Escaping.push_back(std::move(Unknown));
  }
  return Summary.get();
}

const std::vector<ThrownException> *
TranslationUnitIndex::exceptionsLeaving(const FunctionDecl *Definition) {
  if (!Ctx.getLangOpts().CXXExceptions)
    return nullptr;
  const ThrowSummary *Summary = throwSummary(Definition);
  return Summary ? &Summary->Escaping : nullptr;
}

/// A function lets an exception out when a throw point (a `throw`, or a call to a function that
/// may throw) is reachable from its entry, no try block around it has a handler sure to catch
/// it, and its exception specification allows it (noexcept: std::terminate instead).
const TranslationUnitIndex::ThrowSummary *
TranslationUnitIndex::throwSummary(const FunctionDecl *FD) {
  auto Found = ThrowSummaries.find(FD);
  if (Found != ThrowSummaries.end()) {
    const ThrowSummary &Known = *Found->second;
    return Known.Done && !Known.Escaping.empty() ? &Known : nullptr;
  }
  if (SummaryBudget.exhausted())
    return nullptr; // not cached: a shallower call may still summarize it
  RecursionBudget::Level Deeper(SummaryBudget);
  ThrowSummary &Summary = *(ThrowSummaries[FD] = std::make_unique<ThrowSummary>());
  const SourceManager &SM = Ctx.getSourceManager();
  if (FD->getBody() && !FD->isMain() && !isNoThrow(FD) &&
      !SM.isInSystemHeader(SM.getExpansionLoc(FD->getLocation()))) {
    const TryNesting &Nesting = nestingOf(FD);
    // Most functions neither throw nor call one that may: no CFG for them.
    if (!Nesting.throws().empty() ||
        llvm::any_of(Nesting.calls(), [&](const CallExpr *Call) { return thrownByCall(Call); }))
      summarizeThrows(FD, Nesting, Summary);
  }
  Summary.Done = true;
  return Summary.Escaping.empty() ? nullptr : &Summary;
}

/// Walks FD's CFG from the entry like endSummary, stopping at calls that end the process and at
/// exec calls (what follows runs only when exec failed: unchecked-exec's business). The handlers
/// that may catch a throw point are walked too, for their `throw;`.
void TranslationUnitIndex::summarizeThrows(const FunctionDecl *FD, const TryNesting &Nesting,
                                           ThrowSummary &Summary) {
  std::unique_ptr<CFG> Cfg = buildAnalysisCFG(FD, Ctx);
  if (!Cfg)
    return;
  llvm::DenseMap<const Stmt *, const CFGBlock *> HandlerBlocks;
  for (const CFGBlock *Block : *Cfg)
    if (Block && isa_and_nonnull<CXXCatchStmt>(Block->getLabel()))
      HandlerBlocks[Block->getLabel()] = Block;
  std::deque<const CFGBlock *> Work{&Cfg->getEntry()};
  auto ThrowPoint = [&](const Stmt *Point, const ThrownException &E) {
    for (const CXXTryStmt *Try : Nesting.triesAround(Point))
      for (unsigned I = 0, N = Try->getNumHandlers(); I < N; ++I) {
        const CXXCatchStmt *Handler = Try->getHandler(I);
        if (!mayCatch(Handler, E))
          continue;
        Work.push_back(HandlerBlocks.lookup(Handler));
        if (surelyCatches(Handler, E))
          return;
      }
    addEscaping(Summary.Escaping, Point, E, MaxThrownKinds);
  };
  // Whether the path stops in Block: a throw, an ending or exec call, a call that never returns.
  auto Stops = [&](const CFGBlock &Block) {
    for (const CFGElement &Element : Block) {
      auto S = Element.getAs<CFGStmt>();
      if (!S)
        continue;
      if (const auto *Throw = dyn_cast<CXXThrowExpr>(S->getStmt())) {
        ThrowPoint(Throw, exceptionThrownBy(Throw, Nesting, Ctx));
        return true; // its edge goes to the try's dispatch: ThrowPoint took the handlers
      }
      const auto *Call = dyn_cast<CallExpr>(S->getStmt());
      if (!Call)
        continue;
      if (const ThrowSummary *Callee = thrownByCall(Call)) {
        for (const ThrownException &E : Callee->Escaping)
          ThrowPoint(Call, E);
        if (!Callee->ReturnsNormally)
          return true;
        continue;
      }
      CallEffect::Kind What = effectOf(Call).What;
      if (What == CallEffect::EndsProcess || What == CallEffect::Exec)
        return true;
    }
    return Block.hasNoReturnElement();
  };
  std::vector<bool> Seen(Cfg->getNumBlockIDs());
  while (!Work.empty()) {
    const CFGBlock *Block = Work.front();
    Work.pop_front();
    if (!Block || Seen[Block->getBlockID()])
      continue;
    Seen[Block->getBlockID()] = true;
    if (Block == &Cfg->getExit())
      Summary.ReturnsNormally = true;
    else if (!Stops(*Block))
      Work.insert(Work.end(), Block->succ_begin(), Block->succ_end());
  }
}

ThrowOutcome TranslationUnitIndex::throwFrom(const FunctionRoles &Fn, const CallExpr *Call) {
  ThrowOutcome Outcome;
  if (!Ctx.getLangOpts().CXXExceptions)
    return Outcome;
  const ThrowSummary *Thrown = thrownByCall(Call);
  if (!Thrown)
    return Outcome;
  Outcome.CallReturns = Thrown->ReturnsNormally;
  auto Tries = nestingOf(Fn.decl()).triesAround(Call);
  for (const ThrownException &E : Thrown->Escaping)
    if (escapesFrom(Fn, Tries, E, Outcome)) {
      Outcome.Exception = &E;
      break;
    }
  return Outcome;
}

/// Whether E, thrown at a call inside Tries (innermost first), reaches a handler of Fn that does
/// not end the process (then Outcome.Handler) or leaves Fn: the handlers that may catch it, up
/// to one sure to, must all end the process.
bool TranslationUnitIndex::escapesFrom(const FunctionRoles &Fn,
                                       llvm::ArrayRef<const CXXTryStmt *> Tries,
                                       const ThrownException &E, ThrowOutcome &Outcome) {
  for (const CXXTryStmt *Try : Tries)
    for (unsigned I = 0, N = Try->getNumHandlers(); I < N; ++I) {
      const CXXCatchStmt *Handler = Try->getHandler(I);
      if (!mayCatch(Handler, E))
        continue;
      if (!handlerEnds(Fn, Handler)) {
        Outcome.Handler = Handler;
        return true;
      }
      if (surelyCatches(Handler, E))
        return false;
    }
  return true;
}

/// Whether every path from Handler, through the code after its try statement, ends the process
/// (an ending call, or looping forever); returning, rethrowing, forking again or calling a
/// function that may throw does not.
bool TranslationUnitIndex::handlerEnds(const FunctionRoles &Fn, const CXXCatchStmt *Handler) {
  auto Known = HandlerEnds.find(Handler);
  if (Known != HandlerEnds.end())
    return Known->second;
  const CFG &Cfg = Fn.cfg();
  // Whether a process handling the exception ends in Block (false), goes on (nullopt), or may
  // get out: the exit, a fork, a call that may throw again (true).
  auto Escapes = [&](const CFGBlock &Block) -> std::optional<bool> {
    if (&Block == &Cfg.getExit())
      return true;
    for (const CFGElement &Element : Block) {
      auto S = Element.getAs<CFGStmt>();
      const auto *Call = S ? dyn_cast<CallExpr>(S->getStmt()) : nullptr;
      if (Call && (Fn.forkSiteFor(Call) || thrownByCall(Call)))
        return true;
      if (Call && effectOf(Call).What == CallEffect::EndsProcess)
        return false;
    }
    if (Block.hasNoReturnElement())
      return false;
    return std::nullopt;
  };
  std::vector<bool> Seen(Cfg.getNumBlockIDs());
  std::deque<const CFGBlock *> Work;
  for (const CFGBlock *Block : Cfg)
    if (Block && Block->getLabel() == Handler)
      Work.push_back(Block);
  bool Ends = !Work.empty();
  while (!Work.empty() && Ends) {
    const CFGBlock *Block = Work.front();
    Work.pop_front();
    if (!Block || Seen[Block->getBlockID()])
      continue;
    Seen[Block->getBlockID()] = true;
    std::optional<bool> Escaped = Escapes(*Block);
    if (Escaped)
      Ends = !*Escaped;
    else
      Work.insert(Work.end(), Block->succ_begin(), Block->succ_end());
  }
  HandlerEnds[Handler] = Ends;
  return Ends;
}

} // namespace forkhazard
