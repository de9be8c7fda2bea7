#include "analysis/SignalState.h"

#include "analysis/ChildSetup.h"
#include "analysis/Compat.h"
#include "analysis/LibcFunctions.h"
#include "analysis/Recognizers.h"
#include "analysis/SourceText.h"
#include "analysis/TranslationUnitIndex.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/SmallPtrSet.h"
#include <functional>

using namespace clang;

namespace forkhazard {

static const llvm::StringRef SignalStateFunctions[] = {
    "signal", "sigset", "bsd_signal", "sigaction", "sigprocmask", "pthread_sigmask",
};

llvm::ArrayRef<llvm::StringRef> signalStateFunctions() { return SignalStateFunctions; }

namespace {

/// SIG_IGN, SIG_DFL or a handler, by name or by glibc's values ((__sighandler_t) 1, 0).
DispositionChange::Kind handlerKind(const Expr *Handler, ASTContext &Ctx) {
  std::string Text = sourceText(Ctx, Handler->getSourceRange());
  if (Text == "SIG_IGN")
    return DispositionChange::Ignores;
  if (Text == "SIG_DFL")
    return DispositionChange::Defaults;
  const Expr *Bare = Handler->IgnoreParenCasts();
  if (isa<IntegerLiteral>(Bare)) {
    if (auto Value = integerConstant(Bare, Ctx))
      return *Value == 1 ? DispositionChange::Ignores
             : *Value == 0 ? DispositionChange::Defaults
                           : DispositionChange::Unknown;
  }
  if (const auto *Ref = dyn_cast<DeclRefExpr>(Bare))
    if (isa<FunctionDecl>(Ref->getDecl()))
      return DispositionChange::Handles;
  if (const auto *Op = dyn_cast<UnaryOperator>(Bare))
    if (Op->getOpcode() == UO_AddrOf)
      if (const auto *Ref = dyn_cast<DeclRefExpr>(Op->getSubExpr()->IgnoreParens()))
        if (isa<FunctionDecl>(Ref->getDecl()))
          return DispositionChange::Handles;
  return DispositionChange::Unknown;
}

const VarDecl *baseVariable(const Expr *E) {
  while (const auto *Member = dyn_cast<MemberExpr>(E->IgnoreParenImpCasts()))
    E = Member->getBase();
  const auto *Ref = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
  return Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
}

/// The last `Action.sa_handler = X` before Before in S (source order).
void lastHandlerAssignment(const Stmt *S, const VarDecl *Action, SourceLocation Before,
                           const SourceManager &SM, const Expr *&Last) {
  if (!S)
    return;
  if (const auto *Assign = dyn_cast<BinaryOperator>(S))
    if (Assign->getOpcode() == BO_Assign)
      if (const auto *Member = dyn_cast<MemberExpr>(Assign->getLHS()->IgnoreParenImpCasts()))
        if (Member->getMemberDecl()->getName() == "sa_handler" &&
            baseVariable(Member) == Action &&
            SM.isBeforeInTranslationUnit(Assign->getBeginLoc(), Before))
          Last = Assign->getRHS();
  for (const Stmt *Child : S->children())
    lastHandlerAssignment(Child, Action, Before, SM, Last);
}

/// The handler last assigned to `Action.sa_handler` before `sigaction(sig, &Action, old)` in
/// its function, or null.
const Expr *assignedHandler(const CallExpr *Call, const VarDecl *Action, ASTContext &Ctx) {
  const Expr *Handler = nullptr;
  if (const auto *Fn = dyn_cast<FunctionDecl>(Action->getDeclContext()))
    lastHandlerAssignment(Fn->getBody(), Action, Call->getBeginLoc(), Ctx.getSourceManager(),
                          Handler);
  return Handler;
}

/// What `sigaction(sig, &Action, old)` sets: the handler last assigned to Action before the
/// call in its function, or the one its initializer names.
DispositionChange::Kind actionKind(const CallExpr *Call, const Expr *ActionArg, ASTContext &Ctx) {
  const VarDecl *Action = addressedVariable(ActionArg);
  if (!Action)
    return DispositionChange::Unknown;
  if (const Expr *Handler = assignedHandler(Call, Action, Ctx))
    return handlerKind(Handler, Ctx);
  if (const auto *Init = dyn_cast_or_null<InitListExpr>(Action->getInit()))
    for (const Expr *Field : Init->inits()) {
      const Expr *Value = Field;
      if (const auto *Nested = dyn_cast<InitListExpr>(Field->IgnoreImplicit()))
        if (Nested->getNumInits() == 1)
          Value = Nested->getInit(0);
      DispositionChange::Kind Kind = handlerKind(Value, Ctx);
      if (Kind != DispositionChange::Unknown)
        return Kind;
    }
  return DispositionChange::Unknown;
}

bool isNullPointer(const Expr *E, ASTContext &Ctx) {
  return E->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull) != Expr::NPCK_NotNull;
}

std::string signalName(const Expr *Arg, ASTContext &Ctx, std::optional<int64_t> Value) {
  std::string Text = sourceText(Ctx, Arg->getSourceRange());
  if (compat::startsWith(Text, "SIG"))
    return Text;
  return Value ? "signal " + std::to_string(*Value) : Text;
}

bool setsDisposition(llvm::StringRef Name) {
  return Name == "signal" || Name == "sigset" || Name == "bsd_signal" || Name == "sigaction";
}

/// The index of the parameter E names, if E names one of its function's parameters.
std::optional<unsigned> parameterIndex(const Expr *E) {
  const auto *Ref = dyn_cast_or_null<DeclRefExpr>(E ? E->IgnoreParenCasts() : nullptr);
  const auto *Param = Ref ? dyn_cast<ParmVarDecl>(Ref->getDecl()) : nullptr;
  if (!Param)
    return std::nullopt;
  return Param->getFunctionScopeIndex();
}

/// A call of signal/sigaction whose signal is its function's parameter: the function sets
/// the disposition its caller asks for.
bool signalIsParameter(const CallExpr *Call) {
  return Call->getNumArgs() >= 2 && setsDisposition(libcName(directCallee(Call))) &&
         parameterIndex(Call->getArg(0));
}

/// The handler a signal/sigaction call installs, as written: signal's second argument,
/// sigaction's last `sa_handler` assignment before it; null when not known.
const Expr *handlerArgument(const CallExpr *Call, ASTContext &Ctx) {
  if (Call->getNumArgs() < 2)
    return nullptr;
  if (libcName(directCallee(Call)) != "sigaction")
    return Call->getArg(1);
  const VarDecl *Action = addressedVariable(Call->getArg(1));
  return Action ? assignedHandler(Call, Action, Ctx) : nullptr;
}

enum class Reach { Absent, Always, Sometimes };

/// Whether every run of S runs Target: Target is in no branch of an if, a loop's body, a
/// switch or a conditional operator (coreutils' send_sig ignores the signal only when it sends
/// it to the group: no wrapper). A walk down the function's body, no parent map.
Reach reaches(const Stmt *S, const Stmt *Target) {
  if (!S)
    return Reach::Absent;
  if (S == Target)
    return Reach::Always;
  const Stmt *Always = nullptr; // the one child that runs whenever S does, if any
  if (const auto *If = dyn_cast<IfStmt>(S))
    Always = If->getCond();
  else if (const auto *Logical = dyn_cast<BinaryOperator>(S))
    Always = Logical->isLogicalOp() ? Logical->getLHS() : nullptr;
  bool Branches = isa<IfStmt>(S) || isa<ForStmt>(S) || isa<WhileStmt>(S) || isa<DoStmt>(S) ||
                  isa<SwitchStmt>(S) || isa<AbstractConditionalOperator>(S) ||
                  (isa<BinaryOperator>(S) && cast<BinaryOperator>(S)->isLogicalOp());
  for (const Stmt *Child : S->children()) {
    Reach Found = reaches(Child, Target);
    if (Found == Reach::Absent)
      continue;
    return Branches && Child != Always ? Reach::Sometimes : Found;
  }
  return Reach::Absent;
}

/// Whether FD is a signal wrapper of the file (SignalWrapper), and how.
std::optional<SignalWrapper> signalWrapperOf(const FunctionDecl *FD, ASTContext &Ctx) {
  const FunctionDecl *Definition = nullptr;
  const SourceManager &SM = Ctx.getSourceManager();
  if (!FD || !FD->hasBody(Definition) || !Definition ||
      SM.isInSystemHeader(SM.getExpansionLoc(Definition->getLocation())))
    return std::nullopt;
  for (const CallExpr *Inner : callsIn(Definition->getBody())) {
    if (!signalIsParameter(Inner) || reaches(Definition->getBody(), Inner) != Reach::Always)
      continue;
    return SignalWrapper{Inner, *parameterIndex(Inner->getArg(0)),
                         parameterIndex(handlerArgument(Inner, Ctx))};
  }
  return std::nullopt;
}

} // namespace

const SignalWrapper *SignalWrappers::of(const FunctionDecl *FD) {
  if (!FD || FD->getBuiltinID())
    return nullptr;
  auto Inserted = Known.try_emplace(FD->getCanonicalDecl());
  if (Inserted.second)
    Inserted.first->second = signalWrapperOf(FD, Ctx);
  return Inserted.first->second ? &*Inserted.first->second : nullptr;
}

namespace {

/// What a call of a signal wrapper sets: the signal its caller passes, the handler too or the
/// wrapper's own.
std::optional<DispositionChange> wrapperCallChange(const CallExpr *Call, ASTContext &Ctx,
                                                   SignalWrappers &Wrappers) {
  const SignalWrapper *Wrapper = Wrappers.of(directCallee(Call));
  if (!Wrapper || Call->getNumArgs() <= Wrapper->SignalParameter ||
      (Wrapper->HandlerParameter && Call->getNumArgs() <= *Wrapper->HandlerParameter))
    return std::nullopt;
  auto Inner = dispositionChange(Wrapper->Inner, Ctx, nullptr, /*OfWrapper=*/true);
  if (!Inner)
    return std::nullopt;
  DispositionChange Change;
  const Expr *SignalArg = Call->getArg(Wrapper->SignalParameter);
  Change.Signal = integerConstant(SignalArg->IgnoreParenCasts(), Ctx);
  Change.SignalName = signalName(SignalArg, Ctx, Change.Signal);
  Change.What = Wrapper->HandlerParameter
                    ? handlerKind(Call->getArg(*Wrapper->HandlerParameter), Ctx)
                    : Inner->What;
  return Change;
}

} // namespace

std::optional<DispositionChange> dispositionChange(const CallExpr *Call, ASTContext &Ctx,
                                                   SignalWrappers *Wrappers, bool OfWrapper) {
  llvm::StringRef Name = libcName(directCallee(Call));
  if (!setsDisposition(Name))
    return Wrappers ? wrapperCallChange(Call, Ctx, *Wrappers) : std::nullopt;
  // Inside a wrapper the signal is the caller's: each call of the wrapper is the change.
  if (Call->getNumArgs() < 2 || (signalIsParameter(Call) && !OfWrapper))
    return std::nullopt;
  DispositionChange Change;
  const Expr *SignalArg = Call->getArg(0);
  Change.Signal = integerConstant(SignalArg->IgnoreParenCasts(), Ctx);
  Change.SignalName = signalName(SignalArg, Ctx, Change.Signal);
  if (Name == "sigaction") {
    if (isNullPointer(Call->getArg(1), Ctx))
      return std::nullopt; // reads the disposition
    Change.What = actionKind(Call, Call->getArg(1), Ctx);
  } else {
    Change.What = handlerKind(Call->getArg(1), Ctx);
  }
  return Change;
}

MaskChange maskChange(const CallExpr *Call, ASTContext &Ctx) {
  llvm::StringRef Name = libcName(directCallee(Call));
  if (Call->getNumArgs() < 2 || !(Name == "sigprocmask" || Name == "pthread_sigmask"))
    return MaskChange::None;
  if (isNullPointer(Call->getArg(1), Ctx))
    return MaskChange::None;
  std::string How = sourceText(Ctx, Call->getArg(0)->getSourceRange());
  std::optional<int64_t> Value = integerConstant(Call->getArg(0), Ctx);
  // glibc's values when the name is not written out.
  if (How == "SIG_BLOCK" || (How.empty() && Value == 0))
    return MaskChange::Blocks;
  if (How == "SIG_UNBLOCK" || (How.empty() && Value == 1))
    return MaskChange::Restores;
  if (How != "SIG_SETMASK" && !(How.empty() && Value == 2))
    return Value ? MaskChange::Restores : MaskChange::Unknown;
  // SIG_SETMASK: blocking when the set is filled here (sigfillset / sigaddset on it), else a
  // restore of a saved mask.
  const VarDecl *Set = addressedVariable(Call->getArg(1));
  const auto *Fn = Set ? dyn_cast<FunctionDecl>(Set->getDeclContext()) : nullptr;
  if (!Fn || !Fn->getBody())
    return MaskChange::Restores;
  bool Filled = false;
  std::function<void(const Stmt *)> Scan = [&](const Stmt *S) {
    if (!S || Filled)
      return;
    if (const auto *Fill = dyn_cast<CallExpr>(S)) {
      llvm::StringRef Callee = libcName(directCallee(Fill));
      if ((Callee == "sigfillset" || Callee == "sigaddset") && Fill->getNumArgs() >= 1 &&
          addressedVariable(Fill->getArg(0)) == Set)
        Filled = true;
    }
    for (const Stmt *Child : S->children())
      Scan(Child);
  };
  Scan(Fn->getBody());
  return Filled ? MaskChange::Blocks : MaskChange::Restores;
}

bool SignalCall::undoes(bool OfMask, int64_t Signal) const {
  if (OfMask)
    return Mask == MaskChange::Restores || Mask == MaskChange::Unknown;
  return Disposition && Disposition->What != DispositionChange::Ignores &&
         Disposition->Signal == Signal;
}

/// The function of the file a disposition call installs as the handler, or null.
static const FunctionDecl *installedHandler(const CallExpr *Call, ASTContext &Ctx,
                                            SignalWrappers &Wrappers) {
  const FunctionDecl *Callee = directCallee(Call);
  const Expr *Handler = nullptr;
  if (setsDisposition(libcName(Callee))) {
    Handler = handlerArgument(Call, Ctx);
  } else if (const SignalWrapper *Wrapper = Wrappers.of(Callee)) {
    if (Wrapper->HandlerParameter && *Wrapper->HandlerParameter < Call->getNumArgs())
      Handler = Call->getArg(*Wrapper->HandlerParameter);
  }
  const FunctionDecl *Function = Handler ? functionNamedBy(Handler) : nullptr;
  return Function && Function->hasBody() ? Function : nullptr;
}

std::vector<SignalCall> signalCallsOf(TranslationUnitIndex &Index, ASTContext &Ctx,
                                      SignalWrappers &Wrappers) {
  std::vector<SignalCall> Calls;
  llvm::SmallPtrSet<const FunctionDecl *, 4> Owners;
  auto Add = [&](const CallExpr *Call) {
    const FunctionDecl *Owner = Index.ownerOf(Call);
    Calls.push_back({Call, Owner, dispositionChange(Call, Ctx, &Wrappers), maskChange(Call, Ctx),
                     Owner && followsForkOf(Index, Owner, Call),
                     installedHandler(Call, Ctx, Wrappers)});
  };
  for (llvm::StringRef Name : signalStateFunctions())
    for (const CallExpr *Call : Index.callsTo(Name)) {
      Add(Call);
      // A wrapper's calls are the changes (`install(SIGPIPE, SIG_IGN)`).
      const FunctionDecl *Owner = Calls.back().Owner;
      if (Owner && Owners.insert(Owner->getCanonicalDecl()).second && Wrappers.of(Owner))
        for (const CallExpr *WrapperCall : Index.callsOfLocalFunction(Owner))
          Add(WrapperCall);
    }
  return Calls;
}

bool inProgramSetup(const SignalCall &Setting, llvm::ArrayRef<SignalCall> Calls) {
  if (!Setting.Owner || Setting.FollowsFork ||
      llvm::any_of(Calls, [&](const SignalCall &Other) {
        return sameFunction(Other.Handler, Setting.Owner);
      }))
    return false;
  return llvm::none_of(Calls, [&](const SignalCall &Other) {
    return Other.Call != Setting.Call && Other.undoes(Setting) &&
           (sameFunction(Other.Owner, Setting.Owner) || !Other.FollowsFork);
  });
}

} // namespace forkhazard
