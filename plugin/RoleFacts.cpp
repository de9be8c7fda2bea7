#include "plugin/RoleFacts.h"

#include "plugin/Compat.h"
#include "plugin/LibcFunctions.h"
#include "plugin/ProcessRoles.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include <deque>

using namespace clang;

namespace forkhazard {

//===----------------------------------------------------------------------------------------===//
// Which variables may be followed
//===----------------------------------------------------------------------------------------===//

namespace {
/// Counts, per variable, all references and those that only read, assign or increment it.
class UseCounter : public RecursiveASTVisitor<UseCounter> {
public:
  llvm::DenseMap<const VarDecl *, unsigned> Uses, PlainUses;

  bool VisitDeclRefExpr(DeclRefExpr *Ref) {
    if (const auto *Var = dyn_cast<VarDecl>(Ref->getDecl()))
      Uses[Var] += Ref->refersToEnclosingVariableOrCapture() ? 2 : 1; // a capture: never plain
    return true;
  }
  bool VisitImplicitCastExpr(ImplicitCastExpr *Cast) {
    if (Cast->getCastKind() == CK_LValueToRValue)
      countPlain(Cast->getSubExpr());
    return true;
  }
  bool VisitBinaryOperator(BinaryOperator *Binary) {
    if (Binary->isAssignmentOp())
      countPlain(Binary->getLHS());
    return true;
  }
  bool VisitCompoundAssignOperator(CompoundAssignOperator *Assign) {
    return VisitBinaryOperator(Assign);
  }
  bool VisitUnaryOperator(UnaryOperator *Unary) {
    if (Unary->isIncrementDecrementOp())
      countPlain(Unary->getSubExpr());
    return true;
  }

private:
  void countPlain(const Expr *E) {
    if (const auto *Ref = dyn_cast<DeclRefExpr>(E->IgnoreParens()))
      if (const auto *Var = dyn_cast<VarDecl>(Ref->getDecl()))
        ++PlainUses[Var];
  }
};

bool isFollowableType(const VarDecl *Var) {
  QualType Type = Var->getType();
  return Var->hasLocalStorage() && !Type.isVolatileQualified() &&
         (Type->isIntegralOrEnumerationType() || Type->isPointerType());
}
} // namespace

TrackedVariables::TrackedVariables(const FunctionDecl *FD) {
  if (!FD || !FD->getBody())
    return;
  UseCounter Counter;
  Counter.TraverseStmt(FD->getBody());
  // Locals of the function itself (not of a lambda or block inside it), parameters included.
  for (const auto &Entry : Counter.Uses) {
    const VarDecl *Var = Entry.first;
    if (isFollowableType(Var) && Var->getDeclContext() == FD &&
        Counter.PlainUses.lookup(Var) == Entry.second)
      Tracked.insert(Var);
  }
}

//===----------------------------------------------------------------------------------------===//
// The facts
//===----------------------------------------------------------------------------------------===//

bool RoleFacts::meet(const RoleFacts &Other) {
  bool Changed = Pids.intersectWith(Other.Pids);
  // Nonzero on both sides, whether as a fact or a constant, stays known as nonzero.
  size_t NonZeroBefore = NonZero.size();
  llvm::erase_if(NonZero, [&](const VarDecl *Var) { return !Other.isNonZero(Var); });
  Changed |= NonZero.size() != NonZeroBefore;
  // A constant that only stays nonzero has still shrunk: the node must be walked again.
  size_t ConstantsBefore = Constants.size();
  llvm::erase_if(Constants, [&](const std::pair<const VarDecl *, int64_t> &Known) {
    auto Theirs = Other.constantOf(Known.first);
    if (Theirs && *Theirs == Known.second)
      return false;
    if (Known.second != 0 && Other.isNonZero(Known.first))
      NonZero.push_back(Known.first);
    return true;
  });
  return Changed || Constants.size() != ConstantsBefore;
}

bool RoleFacts::isNonZero(const VarDecl *Var) const {
  if (llvm::is_contained(NonZero, Var))
    return true;
  auto Value = constantOf(Var);
  return Value && *Value != 0;
}

std::optional<int64_t> RoleFacts::constantOf(const VarDecl *Var) const {
  for (const auto &Known : Constants)
    if (Known.first == Var)
      return Known.second;
  return std::nullopt;
}

void RoleFacts::setConstant(const VarDecl *Var, std::optional<int64_t> Value) {
  llvm::erase_if(NonZero, [Var](const VarDecl *Known) { return Known == Var; });
  for (auto &Known : Constants)
    if (Known.first == Var) {
      if (Value)
        Known.second = *Value;
      else
        llvm::erase_if(Constants, [Var](const auto &Held) { return Held.first == Var; });
      return;
    }
  if (Value)
    Constants.emplace_back(Var, *Value);
}

void RoleFacts::setNonZero(const VarDecl *Var) {
  if (!constantOf(Var) && !llvm::is_contained(NonZero, Var))
    NonZero.push_back(Var);
}

static const VarDecl *trackedVariable(const Expr *E, const FactScope &Scope) {
  const auto *Ref = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
  const auto *Var = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
  return Var && Scope.Tracked.contains(Var) ? Var : nullptr;
}

static std::optional<int64_t> add(int64_t L, int64_t R) {
  int64_t Result = 0;
  if (__builtin_add_overflow(L, R, &Result))
    return std::nullopt;
  return Result;
}

static std::optional<int64_t> subtract(int64_t L, int64_t R) {
  int64_t Result = 0;
  if (__builtin_sub_overflow(L, R, &Result))
    return std::nullopt;
  return Result;
}

std::optional<int64_t> evaluateWithFacts(const Expr *E, const RoleFacts &Facts,
                                         const FactScope &Scope) {
  if (!E)
    return std::nullopt;
  E = withoutExpectHint(E);
  if (E->getType()->isPointerType() &&
      E->IgnoreParenImpCasts()->isNullPointerConstant(
          const_cast<ASTContext &>(Scope.Ctx), Expr::NPC_ValueDependentIsNotNull))
    return 0;
  if (auto Value = compat::integerConstant(E, Scope.Ctx)) {
    if (Value->isSigned() ? Value->isSignedIntN(64) : Value->isIntN(63))
      return Value->getExtValue();
    return std::nullopt;
  }
  // The fork's result, in a process where it has one value (0 in the child, -1 on failure).
  if (Scope.ForkSite && Scope.Range.Low == Scope.Range.High && !Facts.Pids.isUnreached() &&
      isPidValue(E, Scope.ForkSite, Facts.Pids))
    return Scope.Range.Low;
  if (const VarDecl *Var = trackedVariable(E, Scope))
    return Facts.constantOf(Var);
  // An exec function returns only when it fails, and then returns -1 (procps watch:
  // `if (execvp(...) == -1) xerr(4, ...);` has no other way on).
  if (const auto *Call = dyn_cast<CallExpr>(E))
    if (classifyLibcFunction(directCallee(Call)) == LibcKind::Exec)
      return -1;
  if (const auto *Unary = dyn_cast<UnaryOperator>(E)) {
    auto Operand = evaluateWithFacts(Unary->getSubExpr(), Facts, Scope);
    if (!Operand)
      return std::nullopt;
    switch (Unary->getOpcode()) {
    case UO_LNot: return *Operand == 0 ? 1 : 0;
    case UO_Plus: return *Operand;
    case UO_Minus: return subtract(0, *Operand);
    default: return std::nullopt;
    }
  }
  const auto *Binary = dyn_cast<BinaryOperator>(E);
  if (!Binary || Binary->isAssignmentOp() || Binary->getOpcode() == BO_Comma)
    return std::nullopt;
  auto L = evaluateWithFacts(Binary->getLHS(), Facts, Scope);
  if (Binary->getOpcode() == BO_LAnd && L && *L == 0)
    return 0;
  if (Binary->getOpcode() == BO_LOr && L && *L != 0)
    return 1;
  auto R = evaluateWithFacts(Binary->getRHS(), Facts, Scope);
  if (!L || !R)
    return std::nullopt;
  switch (Binary->getOpcode()) {
  case BO_LAnd: return *L != 0 && *R != 0;
  case BO_LOr: return *L != 0 || *R != 0;
  case BO_EQ: return *L == *R;
  case BO_NE: return *L != *R;
  case BO_LT: return *L < *R;
  case BO_LE: return *L <= *R;
  case BO_GT: return *L > *R;
  case BO_GE: return *L >= *R;
  case BO_Add: return add(*L, *R);
  case BO_Sub: return subtract(*L, *R);
  default: return std::nullopt;
  }
}

/// For a comparison `x == e` or `e != x`: the tracked variable compared (if any), the other side.
static std::pair<const VarDecl *, const Expr *> trackedOperand(const BinaryOperator *Compare,
                                                               const FactScope &Scope) {
  if (const VarDecl *Var = trackedVariable(Compare->getLHS(), Scope))
    return {Var, Compare->getRHS()};
  return {trackedVariable(Compare->getRHS(), Scope), Compare->getLHS()};
}

std::optional<bool> truthWithFacts(const Expr *Cond, const RoleFacts &Facts,
                                   const FactScope &Scope) {
  if (!Cond)
    return std::nullopt;
  const Expr *E = withoutExpectHint(Cond);
  // `!`, `&&` and `||` by the truth of their operands (a superset of what evaluateWithFacts
  // decides for them, without evaluating each operand twice).
  if (const auto *Not = dyn_cast<UnaryOperator>(E); Not && Not->getOpcode() == UO_LNot) {
    if (auto Operand = truthWithFacts(Not->getSubExpr(), Facts, Scope))
      return !*Operand;
    return std::nullopt;
  }
  const auto *Binary = dyn_cast<BinaryOperator>(E);
  if (Binary && Binary->isLogicalOp()) {
    bool IsAnd = Binary->getOpcode() == BO_LAnd;
    auto L = truthWithFacts(Binary->getLHS(), Facts, Scope);
    if (L && *L != IsAnd)
      return !IsAnd; // false && ..., true || ...
    auto R = truthWithFacts(Binary->getRHS(), Facts, Scope);
    if (R && *R != IsAnd)
      return !IsAnd;
    if (L && R)
      return IsAnd;
    return std::nullopt;
  }
  if (auto Value = evaluateWithFacts(E, Facts, Scope))
    return *Value != 0;
  if (const VarDecl *Var = trackedVariable(E, Scope))
    return Facts.isNonZero(Var) ? std::optional<bool>(true) : std::nullopt;
  if (Binary && Binary->isEqualityOp()) {
    // `p != NULL`, `n == 0` with p or n known nonzero.
    auto [Var, Other] = trackedOperand(Binary, Scope);
    auto OtherValue = Var ? evaluateWithFacts(Other, Facts, Scope) : std::nullopt;
    if (Var && Facts.isNonZero(Var) && OtherValue && *OtherValue == 0)
      return Binary->getOpcode() == BO_NE;
  }
  return std::nullopt;
}

void updateFacts(const Stmt *S, RoleFacts &Facts, const FactScope &Scope) {
  if (const auto *Decls = dyn_cast<DeclStmt>(S)) {
    for (const Decl *D : Decls->decls())
      if (const auto *Var = dyn_cast<VarDecl>(D))
        if (Scope.Tracked.contains(Var))
          Facts.setConstant(Var, Var->getInit()
                                     ? evaluateWithFacts(Var->getInit(), Facts, Scope)
                                     : std::nullopt);
  } else if (const auto *Binary = dyn_cast<BinaryOperator>(S)) {
    if (Binary->isAssignmentOp())
      if (const VarDecl *Var = trackedVariable(Binary->getLHS(), Scope)) {
        std::optional<int64_t> Value;
        auto R = evaluateWithFacts(Binary->getRHS(), Facts, Scope);
        if (Binary->getOpcode() == BO_Assign) {
          Value = R;
        } else if (Var->getType()->isPointerType()) {
          // pointer arithmetic: not followed
        } else if (auto L = evaluateWithFacts(Binary->getLHS(), Facts, Scope); L && R) {
          if (Binary->getOpcode() == BO_AddAssign)
            Value = add(*L, *R);
          else if (Binary->getOpcode() == BO_SubAssign)
            Value = subtract(*L, *R);
        }
        Facts.setConstant(Var, Value);
      }
  } else if (const auto *Unary = dyn_cast<UnaryOperator>(S)) {
    if (Unary->isIncrementDecrementOp())
      if (const VarDecl *Var = trackedVariable(Unary->getSubExpr(), Scope)) {
        std::optional<int64_t> Value;
        auto Old = evaluateWithFacts(Unary->getSubExpr(), Facts, Scope);
        if (Old && !Var->getType()->isPointerType())
          Value = Unary->isIncrementOp() ? add(*Old, 1) : subtract(*Old, 1);
        Facts.setConstant(Var, Value);
      }
  }
  if (Scope.ForkSite)
    updatePidVars(S, Scope.ForkSite, Facts.Pids);
}

void refineOnEdge(const Expr *Cond, bool TrueEdge, RoleFacts &Facts, const FactScope &Scope) {
  if (!Cond)
    return;
  const Expr *E = withoutExpectHint(Cond);
  bool Holds = TrueEdge;
  while (const auto *Not = dyn_cast<UnaryOperator>(E)) {
    if (Not->getOpcode() != UO_LNot)
      return;
    E = withoutExpectHint(Not->getSubExpr());
    Holds = !Holds;
  }
  if (const VarDecl *Var = trackedVariable(E, Scope)) {
    if (!Holds)
      Facts.setConstant(Var, 0); // `if (flag)` not taken: flag == 0
    else
      Facts.setNonZero(Var);
    return;
  }
  const auto *Compare = dyn_cast<BinaryOperator>(E);
  if (!Compare)
    return;
  // The true edge of `a && b` (or the false edge of `a || b`) decides both sides. (Inside the
  // CFG a two-way `&&` block's condition is one side; whole conditions come from `?:` values.)
  if ((Compare->getOpcode() == BO_LAnd && Holds) || (Compare->getOpcode() == BO_LOr && !Holds)) {
    refineOnEdge(Compare->getLHS(), Holds, Facts, Scope);
    refineOnEdge(Compare->getRHS(), Holds, Facts, Scope);
    return;
  }
  if (!Compare->isEqualityOp())
    return;
  bool Equal = (Compare->getOpcode() == BO_EQ) == Holds;
  auto [Var, Other] = trackedOperand(Compare, Scope);
  if (!Var)
    return;
  auto Value = evaluateWithFacts(Other, Facts, Scope);
  if (Equal && Value)
    Facts.setConstant(Var, Value);
  else if (!Equal && Value && *Value == 0)
    Facts.setNonZero(Var); // `p != NULL`, `n != 0`
}

//===----------------------------------------------------------------------------------------===//
// Constants before the fork
//===----------------------------------------------------------------------------------------===//

const Expr *twoWayCondition(const CFGBlock &Block) {
  const Stmt *Terminator = Block.getTerminatorStmt();
  if (!Terminator || Block.succ_size() != 2)
    return nullptr;
  if (!isa<IfStmt, WhileStmt, DoStmt, ForStmt, AbstractConditionalOperator, BinaryOperator>(
          Terminator))
    return nullptr;
  return branchCondition(&Block);
}

EntryConstants::EntryConstants(const CFG &Cfg, const TrackedVariables &Tracked,
                               const ASTContext &Ctx)
    : Tracked(Tracked), Ctx(Ctx) {
  unsigned NumBlocks = Cfg.getNumBlockIDs();
  In.assign(NumBlocks, std::nullopt);
  if (Tracked.empty())
    return;
  const FactScope Scope{nullptr, ChildPid, Tracked, Ctx};
  // Past this many changes of one block's facts its constants are forgotten: the lattice is
  // finite anyway, this only bounds the work on pathological loops.
  constexpr unsigned MaxChanges = 16;
  std::vector<unsigned> Changes(NumBlocks);
  std::vector<bool> Queued(NumBlocks);
  std::deque<const CFGBlock *> Work;
  In[Cfg.getEntry().getBlockID()] = RoleFacts();
  Work.push_back(&Cfg.getEntry());
  while (!Work.empty()) {
    const CFGBlock *Block = Work.front();
    Work.pop_front();
    Queued[Block->getBlockID()] = false;
    RoleFacts Facts = *In[Block->getBlockID()];
    for (const CFGElement &Element : *Block)
      if (auto S = Element.getAs<CFGStmt>())
        updateFacts(S->getStmt(), Facts, Scope);
    if (Block->hasNoReturnElement())
      continue;
    const Expr *Cond = twoWayCondition(*Block);
    auto Value = truthWithFacts(Cond, Facts, Scope);
    unsigned Index = 0;
    for (const CFGBlock *Succ : Block->succs()) {
      bool TrueEdge = Index++ == 0;
      if (!Succ || (Value && TrueEdge != *Value))
        continue;
      RoleFacts Next = Facts;
      refineOnEdge(Cond, TrueEdge, Next, Scope);
      auto &Target = In[Succ->getBlockID()];
      bool Changed = !Target;
      if (!Target)
        Target = std::move(Next);
      else
        Changed = Target->meet(Next);
      if (!Changed)
        continue;
      if (++Changes[Succ->getBlockID()] > MaxChanges)
        Target->forgetConstants();
      if (!Queued[Succ->getBlockID()]) {
        Queued[Succ->getBlockID()] = true;
        Work.push_back(Succ);
      }
    }
  }
}

RoleFacts EntryConstants::before(const CFGBlock &Block, unsigned Index) const {
  RoleFacts Facts;
  if (Block.getBlockID() >= In.size() || !In[Block.getBlockID()])
    return Facts;
  Facts = *In[Block.getBlockID()];
  const FactScope Scope{nullptr, ChildPid, Tracked, Ctx};
  for (unsigned I = 0; I < Index && I < Block.size(); ++I)
    if (auto S = Block[I].getAs<CFGStmt>())
      updateFacts(S->getStmt(), Facts, Scope);
  Facts.Pids.clear();
  return Facts;
}

} // namespace forkhazard
