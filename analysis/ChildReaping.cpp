#include "analysis/ChildReaping.h"

#include "analysis/Compat.h"
#include "analysis/LibcFunctions.h"
#include "analysis/ProgramFacts.h"
#include "analysis/Recognizers.h"
#include "analysis/TranslationUnitIndex.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/DenseSet.h"
#include <deque>

using namespace clang;

namespace forkhazard {

namespace {

/// What a SIGCHLD disposition (a handler argument or an sa_handler value) does to children.
struct Disposition {
  enum Kind { Default, Ignore, Handler, Unknown } What = Default;
  const FunctionDecl *Function = nullptr; // for Handler
};

/// What the file does with one `struct sigaction` variable: the handlers and flags stored in
/// it, and whether its address goes anywhere that could fill it in unseen.
struct SigactionVariable {
  std::vector<Disposition> Handlers;
  bool NoChildWait = false; // SA_NOCLDWAIT in sa_flags
  bool Unknown = false;     // copied from another variable
  unsigned AddressTaken = 0, AddressTakenHarmlessly = 0;
};

struct FunctionFacts {
  std::vector<const FunctionDecl *> Callees; // canonical declarations, defined in this file
  /// Calls of functions defined in no file the analysis sees here (outside system headers):
  /// the program's facts may know them.
  std::vector<const FunctionDecl *> External;
  const CallExpr *AnyWait = nullptr;
  const CallExpr *AnyChildWait = nullptr;
};

struct ThreadStart {
  const Expr *Where;
  const FunctionDecl *Function;
};

bool isSigactionType(QualType Type) {
  const RecordDecl *Record = Type.isNull() ? nullptr : Type->getAsRecordDecl();
  return Record && Record->getIdentifier() && Record->getName() == "sigaction";
}

/// Whether Loc comes from an expansion of the macro Name, at any depth.
bool spelledWithMacro(SourceLocation Loc, llvm::StringRef Name, const ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  while (Loc.isMacroID()) {
    if (Lexer::getImmediateMacroName(Loc, SM, Ctx.getLangOpts()) == Name)
      return true;
    Loc = SM.getImmediateMacroCallerLoc(Loc);
  }
  return false;
}

/// Whether some part of S is spelled with the macro Name (`SA_NOCLDWAIT | SA_RESTART`).
bool mentionsMacro(const Stmt *S, llvm::StringRef Name, const ASTContext &Ctx) {
  if (!S)
    return false;
  if (isa<Expr>(S) && spelledWithMacro(S->getBeginLoc(), Name, Ctx))
    return true;
  for (const Stmt *Child : S->children())
    if (mentionsMacro(Child, Name, Ctx))
      return true;
  return false;
}

bool isSigchld(const Expr *E, const ASTContext &Ctx) {
  SourceLocation Loc = E->IgnoreParenImpCasts()->getBeginLoc();
  return spelledWithMacro(Loc, "SIGCHLD", Ctx) || spelledWithMacro(Loc, "SIGCLD", Ctx);
}

Disposition dispositionOf(const Expr *E, const ASTContext &Ctx) {
  if (!E)
    return {};
  if (spelledWithMacro(E->getBeginLoc(), "SIG_IGN", Ctx))
    return {Disposition::Ignore};
  if (spelledWithMacro(E->getBeginLoc(), "SIG_DFL", Ctx))
    return {};
  const Expr *Bare = E->IgnoreParenCasts();
  if (isa<ImplicitValueInitExpr>(Bare))
    return {};
  if (const FunctionDecl *Handler = functionNamedBy(Bare))
    return {Disposition::Handler, Handler};
  // SIG_DFL and SIG_IGN are the null pointer and 1 cast to a handler (glibc, musl, BSDs).
  if (auto Value = compat::integerConstant(Bare, Ctx)) {
    if (*Value == 0)
      return {};
    if (*Value == 1)
      return {Disposition::Ignore};
  }
  return {Disposition::Unknown};
}

/// The variable a member access starts from: `sa` in `sa.sa_flags` or
/// `sa.__sigaction_handler.sa_handler` (glibc's sa_handler is a macro for the latter).
const VarDecl *memberBase(const MemberExpr *Member) {
  const Expr *Base = Member;
  while (const auto *Access = dyn_cast<MemberExpr>(Base->IgnoreParenImpCasts())) {
    if (Access->isArrow())
      return nullptr;
    Base = Access->getBase();
  }
  const auto *Ref = dyn_cast<DeclRefExpr>(Base->IgnoreParenImpCasts());
  return Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
}

} // namespace

struct ChildReaping::Facts {
  llvm::DenseMap<const FunctionDecl *, FunctionFacts> Functions; // canonical declarations
  llvm::DenseMap<const FunctionDecl *, std::vector<LocalCall>> CallsByCallee;
  std::vector<LocalCall> AnyChildWaits;
  std::vector<const CallExpr *> SignalCalls, SigactionCalls; // for SIGCHLD
  llvm::DenseMap<const VarDecl *, SigactionVariable> SigactionVariables;
  std::vector<ThreadStart> ThreadStarts;
};

namespace {

class ReapingCollector : public RecursiveASTVisitor<ReapingCollector> {
public:
  using Base = RecursiveASTVisitor<ReapingCollector>;
  ReapingCollector(ASTContext &Ctx, const TranslationUnitIndex &Index, ChildReaping::Facts &Out)
      : Ctx(Ctx), SM(Ctx.getSourceManager()), Index(Index), Out(Out) {}

  bool shouldVisitTemplateInstantiations() const { return true; }

  bool TraverseDecl(Decl *D) {
    if (!D)
      return true;
    if (declaredInSystemHeader(D, SM))
      return true; // like the index: system headers are not the program's code
    const auto *FD = dyn_cast<FunctionDecl>(D);
    if (FD && FD->doesThisDeclarationHaveABody() && !FD->isDependentContext())
      return within(FD, [&] { return Base::TraverseDecl(D); });
    if (isa<BlockDecl>(D) || isa<ObjCMethodDecl>(D))
      return within(nullptr, [&] { return Base::TraverseDecl(D); });
    return Base::TraverseDecl(D);
  }

  bool TraverseLambdaExpr(LambdaExpr *Lambda) {
    return within(Lambda->getCallOperator(), [&] { return Base::TraverseLambdaExpr(Lambda); });
  }

  bool VisitCallExpr(CallExpr *Call) {
    const FunctionDecl *Callee = directCallee(Call);
    llvm::StringRef Library = libcName(Callee);
    noteSigactionArguments(Call, Library);
    if ((Library == "signal" || Library == "sigset" || Library == "bsd_signal" ||
         Library == "sysv_signal") &&
        Call->getNumArgs() >= 2 && isSigchld(Call->getArg(0), Ctx))
      Out.SignalCalls.push_back(Call);
    if (Library == "sigaction" && Call->getNumArgs() >= 2 && isSigchld(Call->getArg(0), Ctx))
      Out.SigactionCalls.push_back(Call);
    if (auto Start = threadStartArgument(Library))
      if (Call->getNumArgs() > *Start)
        Out.ThreadStarts.push_back({Call, functionNamedBy(Call->getArg(*Start))});

    const FunctionDecl *Owner = Stack.empty() ? nullptr : Stack.back();
    if (!Owner || !Callee)
      return true;
    FunctionFacts &Facts = Out.Functions[Owner->getCanonicalDecl()];
    if (ChildReaping::isWaitCall(Call, Index)) {
      if (!Facts.AnyWait)
        Facts.AnyWait = Call;
      if (ChildReaping::waitsForAnyChild(Call, Index, Ctx)) {
        if (!Facts.AnyChildWait)
          Facts.AnyChildWait = Call;
        Out.AnyChildWaits.push_back({Call, Owner});
      }
    }
    const FunctionDecl *Definition = nullptr;
    if (Callee->hasBody(Definition) && Definition &&
        !SM.isInSystemHeader(SM.getExpansionLoc(Definition->getLocation()))) {
      Facts.Callees.push_back(Definition->getCanonicalDecl());
      Out.CallsByCallee[Definition->getCanonicalDecl()].push_back({Call, Owner});
    } else if (!Definition && !declaredInSystemHeader(Callee, SM)) {
      Facts.External.push_back(Callee->getCanonicalDecl());
    }
    return true;
  }

  /// std::thread(reaper) and friends start a thread by construction.
  bool VisitCXXConstructExpr(CXXConstructExpr *Construct) {
    const CXXConstructorDecl *Constructor = Construct->getConstructor();
    if (!Constructor || Construct->getNumArgs() == 0)
      return true;
    std::string Class = Constructor->getParent()->getQualifiedNameAsString();
    if (Class == "std::thread" || Class == "std::jthread" || Class == "boost::thread")
      Out.ThreadStarts.push_back({Construct, functionNamedBy(Construct->getArg(0))});
    return true;
  }

  // What is stored in `struct sigaction` variables.
  bool VisitBinaryOperator(BinaryOperator *Op) {
    if (!Op->isAssignmentOp())
      return true;
    const Expr *Target = Op->getLHS()->IgnoreParenImpCasts();
    if (const auto *Whole = dyn_cast<DeclRefExpr>(Target)) {
      if (const auto *Var = dyn_cast<VarDecl>(Whole->getDecl()))
        if (isSigactionType(Var->getType()))
          Out.SigactionVariables[Var].Unknown = true; // copied from another one
      return true;
    }
    if (const auto *Member = dyn_cast<MemberExpr>(Target))
      if (const VarDecl *Var = memberBase(Member))
        if (isSigactionType(Var->getType()))
          noteField(Member->getMemberDecl(), Op->getRHS(), Out.SigactionVariables[Var]);
    return true;
  }

  bool VisitVarDecl(VarDecl *Var) {
    if (!isSigactionType(Var->getType()) || !Var->getInit())
      return true;
    SigactionVariable &Facts = Out.SigactionVariables[Var];
    const Expr *Init = Var->getInit()->IgnoreImplicit();
    if (const auto *List = dyn_cast<InitListExpr>(Init))
      noteInitializer(List, Var->getType()->getAsRecordDecl(), Facts);
    else if (!isa<CXXConstructExpr>(Init) || cast<CXXConstructExpr>(Init)->getNumArgs() > 0)
      Facts.Unknown = true; // a copy of another one
    return true;
  }

  bool VisitUnaryOperator(UnaryOperator *Op) {
    if (const VarDecl *Var = addressedVariable(Op))
      if (isSigactionType(Var->getType()))
        ++Out.SigactionVariables[Var].AddressTaken;
    return true;
  }

private:
  template <typename Fn> bool within(const FunctionDecl *Owner, Fn Traverse) {
    Stack.push_back(Owner);
    bool Result = Traverse();
    Stack.pop_back();
    return Result;
  }

  /// `&sa` given to sigaction as the new action, or to memset: the file still sees everything
  /// stored in sa. Anywhere else (sigaction's oldact, a helper) it may be filled in unseen.
  void noteSigactionArguments(const CallExpr *Call, llvm::StringRef Library) {
    for (unsigned I = 0; I < Call->getNumArgs(); ++I) {
      const VarDecl *Var = addressedVariable(Call->getArg(I));
      if (!Var || !isSigactionType(Var->getType()))
        continue;
      bool Harmless = (Library == "sigaction" && I == 1) ||
                      ((Library == "memset" || Library == "bzero" ||
                        Library == "explicit_bzero") &&
                       I == 0);
      if (Harmless)
        ++Out.SigactionVariables[Var].AddressTakenHarmlessly;
    }
  }

  void noteField(const ValueDecl *Field, const Expr *Value, SigactionVariable &Facts) {
    if (!Field || !Field->getIdentifier())
      return;
    llvm::StringRef Name = Field->getName();
    if (Name == "sa_flags" && mentionsMacro(Value, "SA_NOCLDWAIT", Ctx))
      Facts.NoChildWait = true;
    else if (Name == "sa_handler" || Name == "sa_sigaction")
      Facts.Handlers.push_back(dispositionOf(Value, Ctx));
  }

  /// `struct sigaction sa = {.sa_handler = SIG_IGN, .sa_flags = SA_NOCLDWAIT};` and `{0}`.
  void noteInitializer(const InitListExpr *Init, const RecordDecl *Record,
                       SigactionVariable &Facts) {
    if (!Init || !Record)
      return;
    if (const InitListExpr *Semantic = Init->getSemanticForm())
      Init = Semantic;
    auto NoteOne = [&](const FieldDecl *Field, const Expr *Value) {
      if (const auto *Nested = dyn_cast<InitListExpr>(Value->IgnoreImplicit()))
        noteInitializer(Nested, Field->getType()->getAsRecordDecl(), Facts);
      else
        noteField(Field, Value, Facts);
    };
    if (Record->isUnion()) {
      if (const FieldDecl *Field = Init->getInitializedFieldInUnion())
        if (Init->getNumInits() == 1)
          NoteOne(Field, Init->getInit(0));
      return;
    }
    unsigned Position = 0;
    for (const FieldDecl *Field : Record->fields()) {
      if (Position >= Init->getNumInits())
        break;
      NoteOne(Field, Init->getInit(Position++));
    }
  }

  ASTContext &Ctx;
  const SourceManager &SM;
  const TranslationUnitIndex &Index;
  ChildReaping::Facts &Out;
  std::vector<const FunctionDecl *> Stack;
};

} // namespace

ChildReaping::ChildReaping(ASTContext &Ctx, const TranslationUnitIndex &Index)
    : Ctx(Ctx), Index(Index) {}
ChildReaping::~ChildReaping() = default;

ChildReaping::Facts &ChildReaping::facts() {
  if (!Walked) {
    Walked = std::make_unique<Facts>();
    ReapingCollector(Ctx, Index, *Walked).TraverseDecl(Ctx.getTranslationUnitDecl());
  }
  return *Walked;
}

bool ChildReaping::isWaitCall(const CallExpr *Call, const TranslationUnitIndex &Index) {
  const FunctionDecl *Callee = directCallee(Call);
  return waitFamilyOf(Callee) != WaitFamily::None || Index.isProjectWaitFunction(Callee);
}

bool ChildReaping::waitsForAnyChild(const CallExpr *Call, const TranslationUnitIndex &Index,
                                    const ASTContext &Ctx) {
  const FunctionDecl *Callee = directCallee(Call);
  WaitFamily Family = waitFamilyOf(Callee);
  if (Family == WaitFamily::AnyChild)
    return true;
  auto FirstArgument = [&]() -> std::optional<int64_t> {
    if (Call->getNumArgs() == 0)
      return std::nullopt;
    if (auto Value = compat::integerConstant(Call->getArg(0), Ctx))
      return Value->getSExtValue();
    return std::nullopt;
  };
  if (Family == WaitFamily::ByPid || Index.isProjectWaitFunction(Callee)) {
    auto Pid = FirstArgument(); // -1: any child; 0 or -pgid: any child of a group
    return Pid && *Pid <= 0;
  }
  if (Family == WaitFamily::ById) {
    auto IdType = FirstArgument(); // P_ALL is 0, P_PGID 2 (glibc, musl, BSDs)
    return IdType && (*IdType == 0 || *IdType == 2);
  }
  return false;
}

bool ChildReaping::reachable(const FunctionDecl *FD, bool AnyChildOnly) {
  if (!FD)
    return false;
  FD = FD->getCanonicalDecl();
  auto &Memo = AnyChildOnly ? AnyChildMemo : AnyWaitMemo;
  auto Known = Memo.find(FD);
  if (Known != Memo.end())
    return Known->second;
  Facts &All = facts();
  bool Found = false;
  llvm::DenseSet<const FunctionDecl *> Seen{FD};
  std::deque<const FunctionDecl *> Work{FD};
  while (!Work.empty() && !Found) {
    auto It = All.Functions.find(Work.front());
    Work.pop_front();
    if (It == All.Functions.end())
      continue;
    Found = (AnyChildOnly ? It->second.AnyChildWait : It->second.AnyWait) != nullptr;
    if (!Found && !It->second.External.empty())
      Found = externalWait(It->second.External, AnyChildOnly);
    for (const FunctionDecl *Callee : It->second.Callees) {
      auto Done = Memo.find(Callee);
      if (Done != Memo.end() && !Done->second)
        continue; // known to reach no wait
      if (Seen.insert(Callee).second)
        Work.push_back(Callee);
    }
  }
  if (!Found) // nothing below FD waits, so nothing below any function seen on the way
    for (const FunctionDecl *Visited : Seen)
      Memo[Visited] = false;
  Memo[FD] = Found;
  return Found;
}

/// Whether one of Callees (defined in other files) waits, by the program's facts.
bool ChildReaping::externalWait(llvm::ArrayRef<const FunctionDecl *> Callees,
                                bool AnyChildOnly) {
  for (const FunctionDecl *Callee : Callees)
    if (const ProgramFunction *Elsewhere = Index.programFunction(Callee))
      if (AnyChildOnly ? Elsewhere->AnyChildWait.valid() : Elsewhere->Waits)
        return true;
  return false;
}

bool ChildReaping::anyChildWaitUnder(const FunctionDecl *FD) {
  if (!FD)
    return false;
  if (!FD->hasBody())
    return externalWait(FD, /*AnyChildOnly=*/true);
  return reachable(FD, /*AnyChildOnly=*/true);
}

bool ChildReaping::waitsUnder(const FunctionDecl *FD) {
  if (FD && !FD->hasBody())
    return externalWait(FD, /*AnyChildOnly=*/false);
  return reachable(FD, /*AnyChildOnly=*/false);
}

bool ChildReaping::anyChildWaitOutside(const FunctionDecl *Except) {
  for (const LocalCall &Wait : facts().AnyChildWaits)
    if (!Except || Wait.Caller->getCanonicalDecl() != Except->getCanonicalDecl())
      return true;
  const ProgramFacts *Program = Index.programFacts();
  return Program && Program->anyChildWaitOutside(Except ? Index.keyOf(Except) : "").valid();
}

std::vector<const CallExpr *> ChildReaping::anyChildWaitsIn(const FunctionDecl *FD) {
  std::vector<const CallExpr *> Found;
  for (const LocalCall &Wait : facts().AnyChildWaits)
    if (Wait.Caller->getCanonicalDecl() == FD->getCanonicalDecl())
      Found.push_back(Wait.Call);
  return Found;
}

llvm::ArrayRef<LocalCall> ChildReaping::callsOf(const FunctionDecl *FD) {
  Facts &All = facts();
  auto Found = All.CallsByCallee.find(FD->getCanonicalDecl());
  if (Found == All.CallsByCallee.end())
    return {};
  return Found->second;
}

std::vector<ChildReaping::ReaperCandidate> ChildReaping::reaperCandidates() {
  Facts &All = facts();
  std::vector<ReaperCandidate> Found;
  auto Add = [&](const Disposition &D, const Expr *Where) {
    if (D.What == Disposition::Ignore || D.What == Disposition::Unknown)
      Found.push_back({ReaperCandidate::Reaps, Where, nullptr});
    else if (D.What == Disposition::Handler)
      Found.push_back({ReaperCandidate::Handler, Where, D.Function});
  };
  for (const CallExpr *Call : All.SignalCalls)
    Add(dispositionOf(Call->getArg(1), Ctx), Call);
  for (const CallExpr *Call : All.SigactionCalls) {
    const Expr *Action = Call->getArg(1)->IgnoreParenImpCasts();
    if (Action->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull))
      continue; // only asks for the current disposition
    const VarDecl *Var = addressedVariable(Action);
    auto Stored = Var ? All.SigactionVariables.find(Var) : All.SigactionVariables.end();
    // An action built where this file cannot see it, or one that may be changed unseen.
    if (Stored == All.SigactionVariables.end() || Stored->second.Unknown ||
        Stored->second.NoChildWait ||
        Stored->second.AddressTaken > Stored->second.AddressTakenHarmlessly) {
      Found.push_back({ReaperCandidate::Reaps, Call, nullptr});
      continue;
    }
    for (const Disposition &Handler : Stored->second.Handlers)
      Add(Handler, Call);
  }
  for (const ThreadStart &Thread : All.ThreadStarts)
    if (Thread.Function)
      Found.push_back({ReaperCandidate::Thread, Thread.Where, Thread.Function});
  std::stable_sort(Found.begin(), Found.end(), [&](const auto &A, const auto &B) {
    return Ctx.getSourceManager().isBeforeInTranslationUnit(A.Where->getBeginLoc(),
                                                            B.Where->getBeginLoc());
  });
  return Found;
}

bool ChildReaping::hasBackgroundReaper(const FunctionDecl *Forking) {
  for (const ReaperCandidate &Candidate : reaperCandidates()) {
    switch (Candidate.What) {
    case ReaperCandidate::Reaps:
      return true;
    case ReaperCandidate::Handler:
      // A handler defined where no fact reaches is given the benefit of the doubt.
      if ((!Candidate.Function->hasBody() && !Index.programFunction(Candidate.Function)) ||
          waitsUnder(Candidate.Function))
        return true;
      break;
    case ReaperCandidate::Thread:
      if (anyChildWaitUnder(Candidate.Function))
        return true;
      break;
    }
  }
  const ProgramFacts *Program = Index.programFacts();
  return Program && Program->backgroundReaperFor(Index.keyOf(Forking)).valid();
}

} // namespace forkhazard
