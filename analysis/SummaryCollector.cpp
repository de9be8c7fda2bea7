#include "analysis/SummaryCollector.h"

#include "analysis/ChildReaping.h"
#include "analysis/Descriptors.h"
#include "analysis/LibcFunctions.h"
#include "analysis/ParentReaping.h"
#include "analysis/PidEscape.h"
#include "analysis/ProgramKeys.h"
#include "analysis/Recognizers.h"
#include "analysis/SignalSafety.h"
#include "analysis/SignalState.h"
#include "analysis/TranslationUnitFacts.h"
#include "analysis/TranslationUnitIndex.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringSet.h"
#include <deque>

using namespace clang;

namespace forkhazard {

namespace {

/// The calls each function of the TU makes, in source order of the functions.
struct FunctionCalls {
  const FunctionDecl *Function;
  std::vector<const CallExpr *> Calls;
  std::vector<const FunctionDecl *> References; // functions it takes the address of
  bool CallsFork = false;
};

class CallsByFunction : public RecursiveASTVisitor<CallsByFunction> {
public:
  using Base = RecursiveASTVisitor<CallsByFunction>;
  explicit CallsByFunction(const SourceManager &SM) : SM(SM) {}
  bool shouldVisitTemplateInstantiations() const { return true; }

  bool TraverseDecl(Decl *D) {
    if (!D || declaredInSystemHeader(D, SM))
      return true;
    const auto *FD = dyn_cast<FunctionDecl>(D);
    if (FD && FD->doesThisDeclarationHaveABody() && !FD->isDependentContext()) {
      Stack.push_back(Functions.size());
      Functions.push_back({FD, {}});
      bool Result = Base::TraverseDecl(D);
      Stack.pop_back();
      return Result;
    }
    if (isa<BlockDecl>(D) || isa<ObjCMethodDecl>(D))
      return within(None, [&] { return Base::TraverseDecl(D); });
    return Base::TraverseDecl(D);
  }

  // A lambda's calls count as its enclosing function's: no other TU calls the lambda, and the
  // function runs it or installs it (as a callback, a thread's body).

  bool VisitCallExpr(CallExpr *Call) {
    if (Stack.empty() || Stack.back() == None)
      return true;
    FunctionCalls &Owner = Functions[Stack.back()];
    Owner.Calls.push_back(Call);
    Owners[Call] = Stack.back();
    if (const auto *Callee = dyn_cast<DeclRefExpr>(Call->getCallee()->IgnoreParenImpCasts()))
      Callees.insert(Callee);
    LibcKind Kind = classifyLibcFunction(directCallee(Call));
    Owner.CallsFork |= Kind == LibcKind::Fork || Kind == LibcKind::VFork;
    return true;
  }

  bool VisitCXXConstructExpr(CXXConstructExpr *Construct) {
    if (!Stack.empty() && Stack.back() != None)
      Owners[Construct] = Stack.back();
    return true;
  }

  /// A function named other than as a call's callee: a callback it installs (a signal handler,
  /// a thread's function, a table of commands), which may run in its process.
  bool VisitDeclRefExpr(DeclRefExpr *Ref) {
    const auto *Function = dyn_cast<FunctionDecl>(Ref->getDecl());
    if (Function && !Stack.empty() && Stack.back() != None && !Callees.count(Ref))
      Functions[Stack.back()].References.push_back(Function);
    return true;
  }

  /// The function a call or construction of the walk is in.
  const FunctionDecl *ownerOf(const Stmt *S) const {
    auto Found = Owners.find(S);
    return Found == Owners.end() ? nullptr : Functions[Found->second].Function;
  }

  std::vector<FunctionCalls> Functions;

private:
  static constexpr size_t None = ~size_t(0);
  template <typename Fn> bool within(size_t Owner, Fn Traverse) {
    Stack.push_back(Owner);
    bool Result = Traverse();
    Stack.pop_back();
    return Result;
  }
  const SourceManager &SM;
  std::vector<size_t> Stack;
  llvm::DenseMap<const Stmt *, size_t> Owners;
  llvm::DenseSet<const DeclRefExpr *> Callees;
};

/// Past this many blocks a function's end graph is not kept: it is taken to return.
constexpr unsigned MaxEndGraphBlocks = 4096;

class Summarizer {
public:
  Summarizer(ASTContext &Ctx, TranslationUnitIndex &Index, TranslationUnitFacts &Facts)
      : Ctx(Ctx), SM(Ctx.getSourceManager()), Index(Index), Facts(Facts), Keys(Index.keys()) {}

  TranslationUnitSummary run() {
    TranslationUnitSummary Out;
    Out.File = mainFilePath(SM);
    CallsByFunction Walk(SM);
    Walk.TraverseDecl(Ctx.getTranslationUnitDecl());
    for (const FunctionCalls &F : Walk.Functions)
      if (mayMatter(F.Function))
        Out.Functions.push_back(summarize(F));
    summarizeDiscardedResults(Walk, Out);
    summarizeSignalSettings(Out);
    summarizeOpenDescriptors(Out);
    if (const Stmt *Creation = Facts.firstThreadCreation()) {
      Out.ThreadCreation = positionOf(Creation->getBeginLoc(), SM);
      Out.ThreadCreator = creatorName(Creation);
      Out.ThreadCreationOwner = keyOrEmpty(Walk.ownerOf(Creation));
    }
    for (const ChildReaping::ReaperCandidate &R : Facts.childReaping().reaperCandidates()) {
      ReaperCandidate Candidate;
      Candidate.What = R.What == ChildReaping::ReaperCandidate::Reaps ? ReaperCandidate::Reaps
                       : R.What == ChildReaping::ReaperCandidate::Handler
                           ? ReaperCandidate::Handler
                           : ReaperCandidate::Thread;
      Candidate.Where = positionOf(R.Where->getBeginLoc(), SM);
      if (R.Function)
        Candidate.FunctionKey = Keys.keyOf(R.Function);
      Candidate.Owner = keyOrEmpty(Walk.ownerOf(R.Where));
      Out.Reapers.push_back(std::move(Candidate));
    }
    return Out;
  }

private:
  std::string keyOrEmpty(const FunctionDecl *FD) { return FD ? Keys.keyOf(FD) : ""; }

  /// A function only this TU can name that it never uses (the static inline functions of a
  /// header, in every TU that includes it) tells the program nothing.
  static bool mayMatter(const FunctionDecl *FD) {
    if (FunctionKeys::isVisibleToOtherTUs(FD) || FD->isMain())
      return true;
    for (const Decl *Redecl : FD->redecls())
      if (Redecl->isReferenced() || Redecl->isUsed(false))
        return true;
    return false;
  }

  /// A call whose callee is the program's own function (not the C library's, not one the
  /// analysis already knows the effect of): its facts may come from another TU.
  const FunctionDecl *programCallee(const CallExpr *Call) {
    const FunctionDecl *Callee = directCallee(Call);
    if (!Callee || declaredInSystemHeader(Callee, SM) || Callee->getBuiltinID())
      return nullptr;
    const FunctionDecl *Definition = nullptr;
    if (Callee->hasBody(Definition) && Definition && declaredInSystemHeader(Definition, SM))
      return nullptr;
    return Callee;
  }

  FunctionSummary summarize(const FunctionCalls &F) {
    FunctionSummary S;
    const FunctionDecl *FD = F.Function;
    S.Key = Keys.keyOf(FD);
    S.Name = FD->getNameAsString();
    S.Where = positionOf(FD->getLocation(), SM);
    S.Static = !FunctionKeys::isVisibleToOtherTUs(FD);
    llvm::StringSet<> Seen;
    for (const CallExpr *Call : F.Calls) {
      if (ChildReaping::isWaitCall(Call, Index)) {
        S.Waits = true;
        if (!S.AnyChildWait.valid() && ChildReaping::waitsForAnyChild(Call, Index, Ctx))
          S.AnyChildWait = positionOf(Call->getBeginLoc(), SM);
      }
      if (const FunctionDecl *Callee = programCallee(Call))
        if (Seen.insert(Keys.keyOf(Callee)).second)
          S.Callees.push_back(Keys.keyOf(Callee));
    }
    S.Entry = isProgramEntry(FD);
    for (const FunctionDecl *Referenced : F.References)
      if (!declaredInSystemHeader(Referenced, SM) && Seen.insert(Keys.keyOf(Referenced)).second)
        S.References.push_back(Keys.keyOf(Referenced));
    summarizeEnding(FD, S);
    if (!S.Static) {
      summarizeSignalSafety(FD, S);
      S.ParametersOnlyUsed = parametersOnlyUsed(FD);
    }
    if (const std::vector<ThrownException> *Leaving = Index.exceptionsLeaving(FD)) {
      S.MayThrow = true;
      const ThrownException &First = Leaving->front();
      if (!First.Type.isNull()) {
        PrintingPolicy Policy(Ctx.getLangOpts());
        Policy.SuppressTagKeyword = true; // "std::runtime_error", not "class std::runtime_error"
        S.ThrownType = First.Type.getAsString(Policy);
      }
      if (!First.Chain.empty())
        S.ThrowPoint = positionOf(First.Chain.back()->getBeginLoc(), SM);
    }
    summarizeThrowsThrough(F, S);
    if (F.CallsFork && Index.isForkWrapper(FD)) {
      S.ForkWrapper = true;
      S.WrapperMayReturnFailure = Facts.wrapperMayReturnFailure(FD);
    } else if (F.CallsFork && !FD->isMain()) {
      summarizeChildHanding(FD, S);
      S.ProcessValues = Index.roleTellingValues(FD);
    }
    return S;
  }

  /// The first call of each function of another TU whose integer result is thrown away: if
  /// that function tells its processes apart by the value, the caller cannot (child-escape).
  void summarizeDiscardedResults(const CallsByFunction &Walk, TranslationUnitSummary &Out) {
    llvm::StringSet<> Seen;
    for (const CallExpr *Call : Index.discardedCalls()) {
      const FunctionDecl *Callee = programCallee(Call);
      const FunctionDecl *Caller = Walk.ownerOf(Call);
      if (!Callee || !Caller || Callee->hasBody() || !FunctionKeys::isVisibleToOtherTUs(Callee) ||
          !Callee->getReturnType()->isIntegerType())
        continue;
      const std::string &Key = Keys.keyOf(Callee);
      if (Seen.insert(Key).second)
        Out.DiscardedResults.push_back(
            {Key, positionOf(Call->getBeginLoc(), SM), Caller->getNameAsString()});
    }
  }

  /// The ignores and blocks of the program's setup, which another TU's child inherits, and the
  /// calls outside a fork's aftermath that may undo such a setting of another TU.
  void summarizeSignalSettings(TranslationUnitSummary &Out) {
    SignalWrappers Wrappers(Ctx);
    std::vector<SignalCall> Calls = signalCallsOf(Index, Ctx, Wrappers);
    for (const SignalCall &Call : Calls) {
      SignalSetting Setting;
      if ((Call.ignores() || Call.blocks()) && inProgramSetup(Call, Calls))
        Setting.What = Call.ignores() ? SignalSetting::Ignores : SignalSetting::Blocks;
      else if (Call.Owner && !Call.FollowsFork && Call.Disposition && Call.Disposition->Signal &&
               Call.undoes(/*Mask=*/false, *Call.Disposition->Signal))
        Setting.What = SignalSetting::ResetsDisposition;
      else if (Call.Owner && !Call.FollowsFork && Call.undoes(/*Mask=*/true, 0))
        Setting.What = SignalSetting::RestoresMask;
      else
        continue;
      if (Call.Disposition && Call.Disposition->Signal) {
        Setting.Signal = *Call.Disposition->Signal;
        Setting.SignalName = Call.Disposition->SignalName;
      }
      Setting.Where = positionOf(Call.Call->getBeginLoc(), SM);
      Setting.Owner = Keys.keyOf(Call.Owner);
      Out.SignalSettings.push_back(std::move(Setting));
    }
  }

  /// The descriptors the TU keeps open in variables other TUs can name: a child of another
  /// TU that execs inherits them.
  void summarizeOpenDescriptors(TranslationUnitSummary &Out) {
    for (const FileCreation &C : creationsOf(Index, Ctx))
      for (size_t I = 0; I < C.Creation.Created.size(); ++I) {
        const CreatedDescriptor &D = C.Creation.Created[I];
        const auto *Var = dyn_cast_or_null<VarDecl>(D.Key.Decl);
        if (!C.HeldByProgram[I] || D.Key.Element != -1 || !Var->hasExternalFormalLinkage() ||
            !Var->getIdentifier())
          continue;
        Out.OpenDescriptors.push_back({Var->getName().str(), D.Name, C.Creation.Function,
                                       C.Creation.Flag, positionOf(C.Creation.Call->getBeginLoc(), SM),
                                       Keys.keyOf(C.Owner)});
      }
  }

  /// The calls of functions of other TUs outside any try block of a function that lets
  /// exceptions out (not noexcept): the merge makes it throw when one of them does.
  void summarizeThrowsThrough(const FunctionCalls &F, FunctionSummary &S) {
    const FunctionDecl *FD = F.Function;
    if (!Ctx.getLangOpts().CXXExceptions || isNoThrow(FD) || !FD->getBody())
      return;
    std::optional<TryNesting> Nesting;
    llvm::StringSet<> Seen;
    for (const CallExpr *Call : F.Calls) {
      const FunctionDecl *Callee = programCallee(Call);
      if (!Callee || Callee->hasBody() || !FunctionKeys::isVisibleToOtherTUs(Callee) ||
          isNoThrow(Callee))
        continue;
      if (!Nesting)
        Nesting.emplace(FD->getBody());
      if (Nesting->triesAround(Call).empty() && Seen.insert(Keys.keyOf(Callee)).second)
        S.ThrowsThrough.push_back(Keys.keyOf(Callee));
    }
  }

  /// What a child that calls FD runs into: the first operation that is not async-signal-safe,
  /// or the functions of other TUs it may call (unsafe-call-in-child, across TUs).
  void summarizeSignalSafety(const FunctionDecl *FD, FunctionSummary &S) {
    std::vector<const FunctionDecl *> Elsewhere;
    const SignalSafety::Verdict &V =
        Facts.signalSafety(/*UnknownCallsUnsafe=*/false, /*ExitReportedElsewhere=*/true)
            .judgeHelper(FD, Elsewhere);
    if (!V.Unsafe) {
      for (const FunctionDecl *Callee : Elsewhere)
        if (FunctionKeys::isVisibleToOtherTUs(Callee))
          S.ChildCallees.push_back(Keys.keyOf(Callee));
      return;
    }
    FunctionSummary::UnsafeOperationFacts Op;
    Op.Kind = unsafeKindName(V.Operation.What);
    Op.Name = V.Operation.Name;
    Op.Resource = V.Operation.Resource;
    if (const Stmt *Where = V.Operation.Where)
      Op.At = positionOf(V.Operation.What == UnsafeOperation::Destruction ? Where->getEndLoc()
                                                                         : Where->getBeginLoc(),
                         SM);
    if (!V.Chain.empty())
      Op.Via = V.Chain.back().Callee->getNameAsString();
    S.Unsafe = std::move(Op);
  }

  /// Whether a fork of FD hands its child's pid to FD's caller (missing-wait, one step up).
  void summarizeChildHanding(const FunctionDecl *FD, FunctionSummary &S) {
    for (const FunctionRoles *Function : Index.forkingFunctions()) {
      if (Function->decl() != FD)
        continue;
      for (const ForkSiteRoles &Site : Function->sites())
        if (!Site.site().ViaWrapper && handsChildToCaller(Site, Index, Ctx)) {
          S.HandsChildToCaller = true;
          S.ChildCreation = positionOf(Site.site().Call->getBeginLoc(), SM);
          return;
        }
    }
  }

  void summarizeEnding(const FunctionDecl *FD, FunctionSummary &S) {
    if (std::optional<CallEffect> Ends = Index.endingEffectOf(FD)) {
      S.End = Ends->End == EndKind::HelperExits ? Ending::Exits : Ending::EndsImmediately;
      if (const CallExpr *Call = Ends->EndingCallInHelper) {
        S.EndingCall = positionOf(Call->getBeginLoc(), SM);
        if (const FunctionDecl *Callee = directCallee(Call))
          S.EndingCallee = Callee->getNameAsString();
      }
      return;
    }
    if (S.Callees.empty() || FD->isMain())
      return; // returns, whatever the other TUs do
    std::unique_ptr<CFG> Cfg = buildAnalysisCFG(FD, Ctx);
    if (!Cfg || Cfg->getNumBlockIDs() > MaxEndGraphBlocks)
      return;
    S.EndGraph = endGraph(*Cfg);
    // A path that neither ends nor calls one of the program's functions: it returns anyway.
    if (reachesExit(S.EndGraph, [](const EndingBlock &B) { return !B.Ends && B.Callees.empty(); }))
      S.EndGraph.clear();
  }

  std::vector<EndingBlock> endGraph(const CFG &Cfg) {
    // Block 0 is the entry, block 1 the exit, the others in the CFG's order.
    std::vector<int> Index(Cfg.getNumBlockIDs(), -1);
    Index[Cfg.getEntry().getBlockID()] = 0;
    Index[Cfg.getExit().getBlockID()] = 1;
    int Next = 2;
    for (const CFGBlock *Block : Cfg)
      if (Index[Block->getBlockID()] < 0)
        Index[Block->getBlockID()] = Next++;
    std::vector<EndingBlock> Graph(Next);
    for (const CFGBlock *Block : Cfg) {
      EndingBlock &B = Graph[Index[Block->getBlockID()]];
      for (const CFGElement &Element : *Block) {
        auto S = Element.getAs<CFGStmt>();
        const auto *Call = S ? dyn_cast<CallExpr>(S->getStmt()) : nullptr;
        if (!Call)
          continue;
        CallEffect Effect = this->Index.effectOf(Call);
        if (Effect.What == CallEffect::EndsProcess) {
          B.Ends = true;
          B.RunsExitHooks = runsExitHooks(Effect.End);
          break;
        }
        if (const FunctionDecl *Callee = programCallee(Call))
          B.Callees.push_back(Keys.keyOf(Callee));
      }
      if (Block->hasNoReturnElement())
        B.Ends = true;
      if (B.Ends)
        B.Callees.clear(); // it ends whatever they do
      for (const CFGBlock::AdjacentBlock &Succ : Block->succs())
        if (const CFGBlock *To = Succ.getReachableBlock())
          B.Successors.push_back(Index[To->getBlockID()]);
    }
    return Graph;
  }

  static std::string creatorName(const Stmt *Creation) {
    if (const auto *Call = dyn_cast<CallExpr>(Creation))
      if (const FunctionDecl *Callee = directCallee(Call))
        return Callee->getQualifiedNameAsString();
    if (const auto *Construct = dyn_cast<CXXConstructExpr>(Creation))
      if (const CXXConstructorDecl *Constructor = Construct->getConstructor())
        return Constructor->getParent()->getQualifiedNameAsString();
    return "";
  }

  ASTContext &Ctx;
  const SourceManager &SM;
  TranslationUnitIndex &Index;
  TranslationUnitFacts &Facts;
  FunctionKeys &Keys;
};

} // namespace

TranslationUnitSummary summarizeTranslationUnit(ASTContext &Ctx, TranslationUnitIndex &Index,
                                                TranslationUnitFacts &Facts) {
  return Summarizer(Ctx, Index, Facts).run();
}

} // namespace forkhazard
