#include "analysis/PidValues.h"

#include "analysis/Compat.h"
#include "analysis/LibcFunctions.h"
#include "analysis/Recognizers.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/STLExtras.h"

using namespace clang;

namespace forkhazard {

bool PidVarSet::contains(const VarDecl *Var) const {
  return Unreached || llvm::is_contained(Vars, Var);
}

void PidVarSet::add(const VarDecl *Var) {
  if (!Unreached && !llvm::is_contained(Vars, Var))
    Vars.push_back(Var);
}

void PidVarSet::remove(const VarDecl *Var) {
  llvm::erase_if(Vars, [Var](const VarDecl *Held) { return Held == Var; });
}

bool PidVarSet::containsField(FieldPlace Place) const {
  return Unreached || llvm::is_contained(Fields, Place);
}

void PidVarSet::addField(FieldPlace Place) {
  if (!Unreached && !llvm::is_contained(Fields, Place))
    Fields.push_back(Place);
}

void PidVarSet::removeField(FieldPlace Place) {
  llvm::erase_if(Fields, [Place](const FieldPlace &Held) { return Held == Place; });
}

void PidVarSet::removeFieldsOf(const VarDecl *Base) {
  llvm::erase_if(Fields, [Base](const FieldPlace &Held) { return Held.first == Base; });
}

bool PidVarSet::intersectWith(const PidVarSet &Other) {
  if (Other.Unreached)
    return false;
  if (Unreached) {
    *this = Other;
    return true;
  }
  size_t Before = Vars.size() + Fields.size();
  llvm::erase_if(Vars, [&](const VarDecl *Var) { return !Other.contains(Var); });
  llvm::erase_if(Fields, [&](const FieldPlace &Place) { return !Other.containsField(Place); });
  return Vars.size() + Fields.size() != Before;
}

/// `cmd->pid`, `child.pid` or `*pid` where cmd/child/pid is a variable: a place the pid can be
/// kept in (`*pid` is the place with no field: openssh's `*pid = fork(); switch (*pid)`).
static std::optional<PidVarSet::FieldPlace> referencedField(const Expr *E) {
  E = E->IgnoreParenCasts();
  if (const auto *Deref = dyn_cast<UnaryOperator>(E)) {
    if (Deref->getOpcode() != UO_Deref)
      return std::nullopt;
    if (const VarDecl *Pointer = referencedVariable(Deref->getSubExpr()))
      return PidVarSet::FieldPlace(Pointer, nullptr);
    return std::nullopt;
  }
  const auto *Member = dyn_cast<MemberExpr>(E);
  if (!Member)
    return std::nullopt;
  const auto *Field = dyn_cast<FieldDecl>(Member->getMemberDecl());
  // A nested member (`wd->val.child` in gnulib's savewd) is named by its variable and its last
  // field: two paths to fields of one declaration in one variable are rare enough.
  const Expr *Inner = Member->getBase()->IgnoreParenImpCasts();
  while (const auto *Outer = dyn_cast<MemberExpr>(Inner))
    Inner = Outer->getBase()->IgnoreParenImpCasts();
  // A member of the object a method runs on (`pid_ = fork()` in a constructor, `this->pid_`)
  // is the place with no variable: `this` never changes within the method.
  if (Field && isa<CXXThisExpr>(Inner))
    return PidVarSet::FieldPlace(nullptr, Field);
  const VarDecl *Base = referencedVariable(Inner);
  if (!Field || !Base)
    return std::nullopt;
  return PidVarSet::FieldPlace(Base, Field);
}

void updatePidVarsForInitializer(const CXXCtorInitializer *Init, const CallExpr *ForkSite,
                                 PidVarSet &Vars) {
  const FieldDecl *Field = Init ? Init->getMember() : nullptr;
  if (!Field)
    return;
  PidVarSet::FieldPlace Place(nullptr, Field);
  if (isPidValue(Init->getInit(), ForkSite, Vars))
    Vars.addField(Place);
  else
    Vars.removeField(Place);
}

const Expr *withoutExpectHint(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  while (const auto *Call = dyn_cast<CallExpr>(E)) {
    const FunctionDecl *Callee = Call->getDirectCallee();
    if (!Callee || Callee->getBuiltinID() == 0 || !Callee->getIdentifier() ||
        Call->getNumArgs() < 1 ||
        (Callee->getName() != "__builtin_expect" &&
         Callee->getName() != "__builtin_expect_with_probability"))
      break;
    E = Call->getArg(0)->IgnoreParenImpCasts();
  }
  return E;
}

static bool isForkFamilyCall(const Expr *E) {
  const auto *Call = dyn_cast<CallExpr>(E->IgnoreParenCasts());
  if (!Call)
    return false;
  LibcKind Kind = classifyLibcFunction(directCallee(Call));
  return Kind == LibcKind::Fork || Kind == LibcKind::VFork;
}

bool isPidValue(const Expr *E, const CallExpr *ForkSite, const PidVarSet &Vars) {
  if (!E)
    return false;
  E = E->IgnoreParenCasts();
  if (E == ForkSite)
    return true;
  if (const VarDecl *Var = referencedVariable(E))
    return !Vars.isUnreached() && Vars.contains(Var);
  if (auto Place = referencedField(E))
    return !Vars.isUnreached() && Vars.containsField(*Place);
  if (const auto *Assign = dyn_cast<BinaryOperator>(E))
    if (Assign->getOpcode() == BO_Assign)
      return isPidValue(Assign->getRHS(), ForkSite, Vars);
  // `BB_MMU ? fork() : vfork()`: on a path from this fork site the value is this site's result
  // when the other arm is a fork of its own (the two are alternatives, only one ran).
  if (const auto *Choice = dyn_cast<ConditionalOperator>(E)) {
    const Expr *Arms[] = {Choice->getTrueExpr(), Choice->getFalseExpr()};
    for (int I = 0; I < 2; ++I)
      if (isPidValue(Arms[I], ForkSite, Vars) && isForkFamilyCall(Arms[1 - I]))
        return true;
    return false;
  }
  // A GNU statement expression has the value of its last statement: busybox's xvfork() is
  // `({ pid_t p = vfork(); if (p < 0) die(); p; })`.
  if (const auto *Statement = dyn_cast<StmtExpr>(E))
    if (const CompoundStmt *Body = Statement->getSubStmt())
      if (!Body->body_empty())
        return isPidValue(dyn_cast<Expr>(Body->body_back()), ForkSite, Vars);
  return false;
}

void updatePidVars(const Stmt *S, const CallExpr *ForkSite, PidVarSet &Vars) {
  if (S == ForkSite) {
    Vars.clear(); // a new process split: earlier copies hold the previous pid
    return;
  }
  if (const auto *Decls = dyn_cast<DeclStmt>(S)) {
    for (const Decl *D : Decls->decls())
      if (const auto *Var = dyn_cast<VarDecl>(D)) {
        Vars.removeFieldsOf(Var);
        if (Var->getInit() && isPidValue(Var->getInit(), ForkSite, Vars))
          Vars.add(Var);
        else
          Vars.remove(Var);
      }
    return;
  }
  if (const auto *Binary = dyn_cast<BinaryOperator>(S)) {
    if (!Binary->isAssignmentOp())
      return;
    bool StoresPid =
        Binary->getOpcode() == BO_Assign && isPidValue(Binary->getRHS(), ForkSite, Vars);
    if (const VarDecl *Var = referencedVariable(Binary->getLHS())) {
      Vars.removeFieldsOf(Var);
      if (StoresPid)
        Vars.add(Var);
      else
        Vars.remove(Var);
    } else if (auto Place = referencedField(Binary->getLHS())) {
      if (StoresPid)
        Vars.addField(*Place);
      else
        Vars.removeField(*Place);
    }
    return;
  }
  if (const auto *Unary = dyn_cast<UnaryOperator>(S)) {
    // ++pid, --pid, &pid: the variable no longer reliably holds the fork's result.
    if (Unary->isIncrementDecrementOp() || Unary->getOpcode() == UO_AddrOf) {
      if (const VarDecl *Var = referencedVariable(Unary->getSubExpr()))
        Vars.remove(Var);
      else if (auto Place = referencedField(Unary->getSubExpr()))
        Vars.removeField(*Place);
    }
  }
}

BinaryOperatorKind swapComparison(BinaryOperatorKind Op) {
  switch (Op) {
  case BO_LT: return BO_GT;
  case BO_GT: return BO_LT;
  case BO_LE: return BO_GE;
  case BO_GE: return BO_LE;
  default: return Op;
  }
}

static std::optional<int64_t> smallConstant(const Expr *E, const ASTContext &Ctx) {
  auto Value = compat::integerConstant(E, Ctx);
  if (!Value || !(Value->isSigned() ? Value->isSignedIntN(64) : Value->isIntN(63)))
    return std::nullopt;
  return Value->getExtValue();
}

std::optional<PidTest> PidTest::fromCondition(const Expr *Cond, const CallExpr *ForkSite,
                                              const PidVarSet &Vars, const ASTContext &Ctx) {
  if (!Cond)
    return std::nullopt;
  Cond = withoutExpectHint(Cond)->IgnoreParenCasts();
  if (const auto *Not = dyn_cast<UnaryOperator>(Cond)) {
    if (Not->getOpcode() != UO_LNot)
      return std::nullopt;
    auto Inner = fromCondition(Not->getSubExpr(), ForkSite, Vars, Ctx);
    if (Inner)
      Inner->Negated = !Inner->Negated;
    return Inner;
  }
  if (const auto *Compare = dyn_cast<BinaryOperator>(Cond)) {
    if (Compare->isComparisonOp()) {
      BinaryOperatorKind Op = Compare->getOpcode();
      if (isPidValue(Compare->getLHS(), ForkSite, Vars)) {
        if (auto C = smallConstant(Compare->getRHS(), Ctx))
          return PidTest(Op, *C, false);
      } else if (isPidValue(Compare->getRHS(), ForkSite, Vars)) {
        if (auto C = smallConstant(Compare->getLHS(), Ctx))
          return PidTest(swapComparison(Op), *C, false);
      }
      return std::nullopt;
    }
  }
  if (isPidValue(Cond, ForkSite, Vars))
    return PidTest(BO_NE, 0, false); // `if (pid)`
  return std::nullopt;
}

static Truth compare(BinaryOperatorKind Op, PidRange R, int64_t C) {
  auto Decide = [](bool AlwaysTrue, bool AlwaysFalse) {
    return AlwaysTrue ? Truth::True : AlwaysFalse ? Truth::False : Truth::Unknown;
  };
  switch (Op) {
  case BO_EQ: return Decide(R.Low == C && R.High == C, C < R.Low || C > R.High);
  case BO_NE: return Decide(C < R.Low || C > R.High, R.Low == C && R.High == C);
  case BO_LT: return Decide(R.High < C, R.Low >= C);
  case BO_LE: return Decide(R.High <= C, R.Low > C);
  case BO_GT: return Decide(R.Low > C, R.High <= C);
  case BO_GE: return Decide(R.Low >= C, R.High < C);
  default: return Truth::Unknown;
  }
}

Truth PidTest::evaluate(PidRange Range) const {
  Truth Result = compare(Op, Range, Constant);
  if (!Negated || Result == Truth::Unknown)
    return Result;
  return Result == Truth::True ? Truth::False : Truth::True;
}

static std::optional<PidRange> caseRange(const CaseStmt *Case, const ASTContext &Ctx) {
  auto Low = smallConstant(Case->getLHS(), Ctx);
  if (!Low)
    return std::nullopt;
  auto High = Case->getRHS() ? smallConstant(Case->getRHS(), Ctx) : Low;
  if (!High)
    return std::nullopt;
  return PidRange{*Low, *High};
}

bool caseMatches(const CaseStmt *Case, PidRange Range, const ASTContext &Ctx) {
  auto Values = caseRange(Case, Ctx);
  return !Values || (Values->Low <= Range.High && Range.Low <= Values->High);
}

bool caseCovers(const CaseStmt *Case, PidRange Range, const ASTContext &Ctx) {
  auto Values = caseRange(Case, Ctx);
  return Values && Values->Low <= Range.Low && Range.High <= Values->High;
}

} // namespace forkhazard
