#include "analysis/PidEscape.h"

#include "analysis/LibcFunctions.h"
#include "analysis/ProgramSummary.h"
#include "analysis/Recognizers.h"
#include "analysis/TranslationUnitIndex.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/StmtCXX.h"

using namespace clang;

namespace forkhazard {

namespace {

/// Library functions that use a pid without keeping it: handing the pid to them is no escape.
const llvm::StringRef PidUsersThatDoNotKeepIt[] = {
    "kill",        "killpg",   "setpgid",          "getpgid",            "getsid",
    "tcsetpgrp",   "setpriority",                  "getpriority",        "prlimit",
    "sched_setaffinity",       "sched_setscheduler", "sched_setparam",   "printf",
    "fprintf",     "dprintf",  "sprintf",          "snprintf",           "syslog",
};

bool isStdMove(const CallExpr *Call) {
  const FunctionDecl *Callee = directCallee(Call);
  return Callee && Call->getNumArgs() == 1 && Callee->isInStdNamespace() &&
         Callee->getIdentifier() &&
         (Callee->getName() == "move" || Callee->getName() == "forward");
}

} // namespace

bool usesPidWithoutKeepingIt(const CallExpr *Call) {
  llvm::StringRef Name = libcName(directCallee(Call));
  return !Name.empty() && llvm::is_contained(PidUsersThatDoNotKeepIt, Name);
}

PidFlow::PidFlow(const ForkSiteRoles &TheSite, const TranslationUnitIndex *TheIndex)
    : Site(TheSite), Index(TheIndex) {
  // Copies into variables, to a fixed point (a copy of a copy). Every role's statements count:
  // a declaration the parent skips cannot hold its pid anyway.
  for (bool Changed = true; Changed;) {
    Changed = false;
    auto Add = [&](const VarDecl *Var) { Changed |= Holders.insert(Var).second; };
    for (const RoleEvent &Execution : Site.executed()) {
      const Stmt *S = Execution.Where;
      if (const auto *Decl = dyn_cast<DeclStmt>(S)) {
        for (const clang::Decl *D : Decl->decls())
          if (const auto *Var = dyn_cast<VarDecl>(D))
            if (Var->getInit() && holdsPid(Var->getInit()))
              Add(Var);
      } else if (const auto *Assign = dyn_cast<BinaryOperator>(S)) {
        if (Assign->getOpcode() == BO_Assign && holdsPid(Assign->getRHS()))
          if (const VarDecl *Var = referencedVariable(Assign->getLHS()))
            Add(Var);
      }
    }
  }
}

bool PidFlow::isHolder(const Expr *E) const {
  const VarDecl *Var = referencedVariable(E);
  return Var && Holders.count(Var);
}

bool PidFlow::holdsPid(const Expr *E) const {
  if (!E)
    return false;
  E = E->IgnoreParenCasts();
  if (const auto *Cleanups = dyn_cast<ExprWithCleanups>(E))
    return holdsPid(Cleanups->getSubExpr());
  if (isHolder(E))
    return true;
  if (const auto *Choice = dyn_cast<AbstractConditionalOperator>(E))
    return holdsPid(Choice->getTrueExpr()) || holdsPid(Choice->getFalseExpr());
  if (const auto *Binary = dyn_cast<BinaryOperator>(E))
    if (Binary->getOpcode() == BO_Comma || Binary->getOpcode() == BO_Assign)
      return holdsPid(Binary->getRHS());
  if (const auto *Call = dyn_cast<CallExpr>(E))
    if (isStdMove(Call))
      return holdsPid(Call->getArg(0));
  // busybox's xvfork(): `({ pid_t p = vfork(); ...; p; })` has the value of its last statement.
  if (const auto *Statement = dyn_cast<StmtExpr>(E))
    if (const CompoundStmt *Body = Statement->getSubStmt())
      if (!Body->body_empty())
        if (const auto *Last = dyn_cast<Expr>(Body->body_back()))
          return holdsPid(Last);
  PidVarSet NoVariables;
  return isPidValue(E, Site.site().Call, NoVariables);
}

bool PidFlow::takesAddressOfHolder(const Expr *E) const {
  const Expr *Operand = addressOperand(E);
  return Operand && isHolder(Operand);
}

const Stmt *PidFlow::escape() const {
  // `Process() : pid_(fork())`: the object keeps the pid (its destructor or a method waits).
  if (const auto *Constructor = dyn_cast<CXXConstructorDecl>(Site.function().decl()))
    for (const CXXCtorInitializer *Init : Constructor->inits())
      if (Init->isMemberInitializer() && Init->isWritten() && holdsPid(Init->getInit()))
        return Init->getInit();
  for (const RoleEvent &Execution : Site.executed()) {
    if (!(Execution.Roles & Parent))
      continue;
    const Stmt *S = Execution.Where;
    bool Escapes = false;
    if (const auto *Return = dyn_cast<ReturnStmt>(S)) {
      Escapes = holdsPid(Return->getRetValue());
    } else if (const auto *Call = dyn_cast<CallExpr>(S)) {
      if (!usesPidWithoutKeepingIt(Call) && !isStdMove(Call) && !passesOnlyToUsers(Call))
        for (const Expr *Arg : Call->arguments())
          Escapes |= holdsPid(Arg) || takesAddressOfHolder(Arg);
    } else if (const auto *Construct = dyn_cast<CXXConstructExpr>(S)) {
      for (const Expr *Arg : Construct->arguments())
        Escapes |= holdsPid(Arg) || takesAddressOfHolder(Arg); // an owner, a container
    } else if (const auto *New = dyn_cast<CXXNewExpr>(S)) {
      Escapes = New->hasInitializer() && holdsPid(New->getInitializer());
    } else if (const auto *Init = dyn_cast<InitListExpr>(S)) {
      for (const Expr *Element : Init->inits())
        Escapes |= holdsPid(Element); // into a struct or an array
    } else if (const auto *Assign = dyn_cast<BinaryOperator>(S)) {
      // A field, an array element, through a pointer, a global or a static (a local variable is
      // a copy, followed above).
      const VarDecl *Target = referencedVariable(Assign->getLHS());
      Escapes = Assign->getOpcode() == BO_Assign && holdsPid(Assign->getRHS()) &&
                (!Target || !Target->hasLocalStorage());
    } else if (const auto *Lambda = dyn_cast<LambdaExpr>(S)) {
      for (const LambdaCapture &Capture : Lambda->captures())
        if (Capture.capturesVariable())
          if (const auto *Var = dyn_cast<VarDecl>(Capture.getCapturedVar()))
            Escapes |= Holders.count(Var) != 0;
    } else if (const auto *Unary = dyn_cast<UnaryOperator>(S)) {
      Escapes = takesAddressOfHolder(Unary);
    }
    if (Escapes)
      return S;
  }
  return nullptr;
}

bool PidFlow::passesOnlyToUsers(const CallExpr *Call) const {
  const FunctionDecl *Callee = Index ? directCallee(Call) : nullptr;
  if (!Callee || isa<CXXMemberCallExpr>(Call) || isa<CXXOperatorCallExpr>(Call))
    return false;
  const FunctionDecl *Definition = nullptr;
  bool Here = Callee->hasBody(Definition) && Definition;
  const ProgramFunction *Elsewhere = Here ? nullptr : Index->programFunction(Callee);
  if (!Here && !Elsewhere)
    return false;
  std::vector<unsigned> OnlyUsed = Here ? parametersOnlyUsed(Definition) : std::vector<unsigned>();
  const std::vector<unsigned> &Users = Here ? OnlyUsed : Elsewhere->ParametersOnlyUsed;
  bool PassesPid = false;
  for (unsigned I = 0; I < Call->getNumArgs(); ++I) {
    const Expr *Arg = Call->getArg(I);
    if (takesAddressOfHolder(Arg))
      return false;
    if (!holdsPid(Arg))
      continue;
    PassesPid = true;
    if (!llvm::is_contained(Users, I))
      return false;
  }
  return PassesPid;
}

const CallExpr *PidFlow::handedToUserOnly() const {
  for (const RoleEvent &Execution : Site.executed())
    if (Execution.Roles & Parent)
      if (const auto *Call = dyn_cast<CallExpr>(Execution.Where))
        if (passesOnlyToUsers(Call))
          return Call;
  return nullptr;
}

const ReturnStmt *PidFlow::parentReturnsPid() const {
  for (const RoleEvent &Execution : Site.executed())
    if (Execution.Roles & Parent)
      if (const auto *Return = dyn_cast<ReturnStmt>(Execution.Where))
        if (holdsPid(Return->getRetValue()))
          return Return;
  return nullptr;
}

namespace {

/// How a value is used where it appears, as far as keeping a pid goes.
struct Use {
  enum Kind { Dropped, InLocal, Kept } What = Kept;
  const VarDecl *Local = nullptr;
};

class UseClassifier {
public:
  explicit UseClassifier(Stmt *Body) : Parents(Body) {}

  /// What E's parent does with E's value.
  Use classify(const Expr *E) {
    const Stmt *Child = E;
    const Stmt *Parent = Parents.getParent(const_cast<Stmt *>(Child));
    while (Parent && (isa<ParenExpr>(Parent) || isa<CastExpr>(Parent) ||
                      isa<FullExpr>(Parent) || isa<MaterializeTemporaryExpr>(Parent))) {
      Child = Parent;
      Parent = Parents.getParent(const_cast<Stmt *>(Parent));
    }
    if (!Parent || isa<CompoundStmt>(Parent) || isa<LabelStmt>(Parent) ||
        isa<SwitchCase>(Parent) || isa<IfStmt>(Parent) || isa<WhileStmt>(Parent) ||
        isa<DoStmt>(Parent) || isa<ForStmt>(Parent) || isa<SwitchStmt>(Parent))
      return {Use::Dropped}; // thrown away, or only tested
    if (const auto *Decl = dyn_cast<DeclStmt>(Parent)) {
      for (const clang::Decl *D : Decl->decls())
        if (const auto *Var = dyn_cast<VarDecl>(D))
          if (Var->getInit() && (Var->getInit() == Child ||
                                 Var->getInit()->IgnoreParenCasts() ==
                                     cast<Expr>(Child)->IgnoreParenCasts()))
            return localOrKept(Var);
      if (const auto *Var = dyn_cast_or_null<VarDecl>(
              Decl->isSingleDecl() ? Decl->getSingleDecl() : nullptr))
        return localOrKept(Var);
      return {};
    }
    if (const auto *Binary = dyn_cast<BinaryOperator>(Parent)) {
      if (Binary->isComparisonOp() || Binary->isLogicalOp())
        return {Use::Dropped};
      if (Binary->getOpcode() == BO_Comma)
        return Binary->getLHS() == Child ? Use{Use::Dropped} : classify(Binary);
      if (Binary->getOpcode() == BO_Assign && Binary->getRHS() == Child)
        if (const VarDecl *Var = referencedVariable(Binary->getLHS()))
          return localOrKept(Var);
      return {};
    }
    if (const auto *Unary = dyn_cast<UnaryOperator>(Parent))
      return Unary->getOpcode() == UO_LNot ? Use{Use::Dropped} : Use{};
    if (const auto *Choice = dyn_cast<AbstractConditionalOperator>(Parent))
      return Choice->getCond() == Child ? Use{Use::Dropped} : classify(Choice);
    if (const auto *Call = dyn_cast<CallExpr>(Parent))
      return usesPidWithoutKeepingIt(Call) ? Use{Use::Dropped} : Use{};
    return {};
  }

  /// Whether a local variable's value is only ever tested or printed.
  bool onlyTested(const VarDecl *Var, const Stmt *Body) {
    for (const Stmt *Child : Body->children()) {
      if (!Child)
        continue;
      if (const auto *Ref = dyn_cast<DeclRefExpr>(Child))
        if (Ref->getDecl() == Var && !isAssignedTo(Ref) && classify(Ref).What != Use::Dropped)
          return false;
      if (!onlyTested(Var, Child))
        return false;
    }
    return true;
  }

  /// Whether the statement after the one that holds E ends the process.
  bool endsRightAfter(const Expr *E, CallEffects &Effects) {
    const Stmt *Child = E;
    const Stmt *Parent = Parents.getParent(const_cast<Stmt *>(Child));
    while (Parent && !isa<CompoundStmt>(Parent)) {
      Child = Parent;
      Parent = Parents.getParent(const_cast<Stmt *>(Parent));
    }
    const auto *Block = dyn_cast_or_null<CompoundStmt>(Parent);
    if (!Block)
      return false;
    const auto *At = llvm::find(Block->body(), Child);
    if (At == Block->body_end() || std::next(At) == Block->body_end())
      return false;
    const auto *Next = dyn_cast<Expr>(*std::next(At));
    const auto *Call = Next ? dyn_cast<CallExpr>(Next->IgnoreParenCasts()) : nullptr;
    return Call && Effects.effectOf(Call).What == CallEffect::EndsProcess;
  }

private:
  static Use localOrKept(const VarDecl *Var) {
    if (Var->hasLocalStorage() && !Var->getType()->isReferenceType())
      return {Use::InLocal, Var};
    return {};
  }

  /// `p = ...`: a store into the variable, not a use of its value.
  bool isAssignedTo(const DeclRefExpr *Ref) {
    const auto *Assign = dyn_cast_or_null<BinaryOperator>(
        Parents.getParentIgnoreParens(const_cast<DeclRefExpr *>(Ref)));
    return Assign && Assign->getOpcode() == BO_Assign &&
           Assign->getLHS()->IgnoreParens() == Ref;
  }

  ParentMap Parents;
};

} // namespace

std::optional<DroppedPid> droppedResult(const CallExpr *Call, const FunctionDecl *Caller,
                                        CallEffects *Effects) {
  Stmt *Body = Caller ? Caller->getBody() : nullptr;
  if (!Body)
    return std::nullopt;
  UseClassifier Uses(Body);
  if (Effects && Uses.endsRightAfter(Call, *Effects))
    return std::nullopt;
  Use AtCall = Uses.classify(Call);
  if (AtCall.What == Use::Dropped)
    return DroppedPid{};
  if (AtCall.What == Use::InLocal && Uses.onlyTested(AtCall.Local, Body))
    return DroppedPid{AtCall.Local};
  return std::nullopt;
}

/// Whether S calls only library functions that do not wait: a function of the program might
/// reap the child (`while (wait(NULL) != pid)` tests the pid and reaps it).
static bool callsOnlyNonWaitingLibrary(const Stmt *S, const SourceManager &SM) {
  if (const auto *Call = dyn_cast<CallExpr>(S)) {
    const FunctionDecl *Callee = directCallee(Call);
    if (!Callee || waitFamilyOf(Callee) != WaitFamily::None ||
        !(declaredInSystemHeader(Callee, SM) || Callee->getBuiltinID()))
      return false;
  }
  for (const Stmt *Child : S->children())
    if (Child && !callsOnlyNonWaitingLibrary(Child, SM))
      return false;
  return true;
}

std::vector<unsigned> parametersOnlyUsed(const FunctionDecl *Definition) {
  Stmt *Body = Definition->getBody();
  std::vector<unsigned> Only;
  if (!Body || Definition->isVariadic() ||
      !callsOnlyNonWaitingLibrary(Body, Definition->getASTContext().getSourceManager()))
    return Only;
  std::optional<UseClassifier> Uses; // built once, for the first integer parameter
  for (unsigned I = 0; I < Definition->getNumParams(); ++I) {
    const ParmVarDecl *Parameter = Definition->getParamDecl(I);
    if (!Parameter->getType()->isIntegerType())
      continue;
    if (!Uses)
      Uses.emplace(Body);
    if (Uses->onlyTested(Parameter, Body))
      Only.push_back(I);
  }
  return Only;
}

} // namespace forkhazard
