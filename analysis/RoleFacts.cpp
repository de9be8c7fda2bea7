#include "analysis/RoleFacts.h"
#include "analysis/TrackedLiveness.h"
#include <algorithm>

#include "analysis/Compat.h"
#include "analysis/LibcFunctions.h"
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

/// What a variable of this type can hold at all (what an untracked value of it may be).
static ValueRange typeRange(const VarDecl *Var) {
  QualType Type = Var->getType();
  if (Type->isBooleanType())
    return ValueRange::between(0, 1);
  if (Type->isUnsignedIntegerType())
    return ValueRange::between(0, ValueRange::Max);
  return ValueRange::unknown();
}

// Values is sorted by variable (a function with hundreds of pid variables, generated test
// harnesses, would otherwise make every lookup, and every meet, scan them all).
static auto findValue(llvm::SmallVectorImpl<std::pair<const VarDecl *, ValueRange>> &Values,
                      const VarDecl *Var) {
  return std::lower_bound(Values.begin(), Values.end(), Var,
                          [](const auto &Known, const VarDecl *V) { return Known.first < V; });
}

ValueRange RoleFacts::rangeOf(const VarDecl *Var) const {
  auto &Sorted = const_cast<RoleFacts &>(*this).Values;
  auto It = findValue(Sorted, Var);
  if (It != Sorted.end() && It->first == Var)
    return It->second;
  return typeRange(Var);
}

void RoleFacts::setRange(const VarDecl *Var, ValueRange Range) {
  // A value outside what the type holds was converted (an unsigned counter wrapped, -1 stored
  // in an unsigned): the analysis does not follow conversions.
  const ValueRange Type = typeRange(Var);
  if (Range.Low < Type.Low || Range.High > Type.High)
    Range = Type;
  bool Says = Range != Type && !Range.isEmpty();
  auto It = findValue(Values, Var);
  if (It != Values.end() && It->first == Var) {
    if (Says)
      It->second = Range;
    else
      Values.erase(It);
    return;
  }
  if (Says)
    Values.insert(It, std::make_pair(Var, Range));
}

bool RoleFacts::narrow(const VarDecl *Var, const ValueRange &Range) {
  ValueRange Narrowed = rangeOf(Var).intersect(Range);
  if (Narrowed.isEmpty())
    return false;
  setRange(Var, Narrowed);
  return true;
}

bool RoleFacts::narrowBy(const RoleFacts &Other) {
  for (const auto &Known : Other.Values)
    if (!narrow(Known.first, Known.second))
      return false;
  return true;
}

bool RoleFacts::meet(const RoleFacts &Other, bool Widen) {
  bool Changed = Pids.intersectWith(Other.Pids);
  for (size_t I = 0; I < Values.size();) {
    const VarDecl *Var = Values[I].first;
    const ValueRange Mine = Values[I].second;
    ValueRange Joined = Widen ? Mine.widen(Other.rangeOf(Var), typeRange(Var))
                              : Mine.hull(Other.rangeOf(Var));
    if (Joined == Mine) {
      ++I;
      continue;
    }
    Changed = true;
    if (Joined == typeRange(Var)) {
      Values.erase(Values.begin() + I);
      continue;
    }
    Values[I++].second = Joined;
  }
  return Changed;
}

static const VarDecl *trackedVariable(const Expr *E, const FactScope &Scope) {
  const auto *Ref = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
  const auto *Var = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
  return Var && Scope.Tracked.contains(Var) ? Var : nullptr;
}

/// L + R over ranges. The ends of int64_t stand for "no bound": a bound past them stays there
/// (a loop index in [0, max] is still not negative after `i++`).
static ValueRange add(const ValueRange &L, const ValueRange &R) {
  if (L.isEmpty() || R.isEmpty())
    return ValueRange::unknown();
  int64_t Low = 0, High = 0;
  if (__builtin_add_overflow(L.Low, R.Low, &Low))
    Low = L.Low < 0 ? ValueRange::Min : ValueRange::Max;
  if (__builtin_add_overflow(L.High, R.High, &High))
    High = L.High < 0 ? ValueRange::Min : ValueRange::Max;
  if (L.Low == ValueRange::Min || R.Low == ValueRange::Min)
    Low = ValueRange::Min;
  if (L.High == ValueRange::Max || R.High == ValueRange::Max)
    High = ValueRange::Max;
  // A known nonzero value plus 0 stays nonzero.
  bool NonZero = (L.excludesZero() && R.isZero()) || (R.excludesZero() && L.isZero());
  return ValueRange::between(Low, High, NonZero);
}

static ValueRange negate(const ValueRange &R) {
  if (R.Low == ValueRange::Min)
    return ValueRange::unknown();
  return ValueRange::between(-R.High, -R.Low, R.excludesZero());
}

static ValueRange subtract(const ValueRange &L, const ValueRange &R) {
  return add(L, negate(R));
}

static ValueRange truthRange(std::optional<bool> Truth) {
  if (!Truth)
    return ValueRange::between(0, 1);
  return ValueRange::exactly(*Truth ? 1 : 0);
}

/// Whether `L Op R` holds for every pair of values of the two ranges (true), for none (false).
static std::optional<bool> compare(BinaryOperatorKind Op, const ValueRange &L,
                                   const ValueRange &R) {
  switch (Op) {
  case BO_EQ:
  case BO_NE: {
    std::optional<bool> Equal;
    if (L.constant() && R.constant())
      Equal = *L.constant() == *R.constant();
    else if (L.intersect(R).isEmpty())
      Equal = false;
    if (!Equal)
      return std::nullopt;
    return Op == BO_EQ ? *Equal : !*Equal;
  }
  case BO_LT:
    if (L.High < R.Low)
      return true;
    if (L.Low >= R.High)
      return false;
    return std::nullopt;
  case BO_LE:
    if (L.High <= R.Low)
      return true;
    if (L.Low > R.High)
      return false;
    return std::nullopt;
  case BO_GT:
    return compare(BO_LT, R, L);
  case BO_GE:
    return compare(BO_LE, R, L);
  default:
    return std::nullopt;
  }
}

/// What another fork site of the function returns to a process that goes on past it.
static std::optional<ValueRange> otherForkValue(const Expr *E, const FactScope &Scope) {
  const auto *Call = dyn_cast<CallExpr>(E);
  if (!Call || !Scope.OtherForks || Call == Scope.ForkSite)
    return std::nullopt;
  auto It = Scope.OtherForks->find(Call);
  if (It == Scope.OtherForks->end())
    return std::nullopt;
  return It->second;
}

ValueRange rangeWithFacts(const Expr *E, const RoleFacts &Facts, const FactScope &Scope) {
  if (!E)
    return ValueRange::unknown();
  E = withoutExpectHint(E);
  if (E->getType()->isPointerType() &&
      E->IgnoreParenImpCasts()->isNullPointerConstant(
          const_cast<ASTContext &>(Scope.Ctx), Expr::NPC_ValueDependentIsNotNull))
    return ValueRange::exactly(0);
  if (auto Value = compat::integerConstant(E, Scope.Ctx)) {
    if (Value->isSigned() ? Value->isSignedIntN(64) : Value->isIntN(63))
      return ValueRange::exactly(Value->getExtValue());
    return ValueRange::unknown();
  }
  // The fork's result, in this process: 0 in the child, -1 on failure, a pid in the parent
  // (for a role-telling call, the constant the callee returns to this process).
  if (Scope.ForkSite && !Facts.Pids.isUnreached() && isPidValue(E, Scope.ForkSite, Facts.Pids))
    return ValueRange::between(Scope.Range.Low, Scope.Range.High);
  // Another fork of the function: this process goes on past it as its parent, whose fork
  // returned a pid or failed; its child is a new process of that fork's own analysis.
  if (auto GoingOn = otherForkValue(E->IgnoreParenCasts(), Scope))
    return *GoingOn;
  if (const VarDecl *Var = trackedVariable(E, Scope))
    return Facts.rangeOf(Var);
  // `(int)i` of an unsigned loop index: the ends of the range stand for "no bound", so a
  // counter from 0 stays non-negative (a cast that wraps a real value is not followed).
  if (const auto *Cast = dyn_cast<ExplicitCastExpr>(E))
    if (Cast->getType()->isIntegerType() && Cast->getSubExpr()->getType()->isIntegerType())
      return rangeWithFacts(Cast->getSubExpr(), Facts, Scope);
  if (const auto *Choice = dyn_cast<ConditionalOperator>(E)) {
    auto Taken = truthWithFacts(Choice->getCond(), Facts, Scope);
    if (Taken)
      return rangeWithFacts(*Taken ? Choice->getTrueExpr() : Choice->getFalseExpr(), Facts, Scope);
    return rangeWithFacts(Choice->getTrueExpr(), Facts, Scope)
        .hull(rangeWithFacts(Choice->getFalseExpr(), Facts, Scope));
  }
  // An exec function returns only when it fails, and then returns -1 (procps watch:
  // `if (execvp(...) == -1) xerr(4, ...);` has no other way on).
  if (const auto *Call = dyn_cast<CallExpr>(E))
    if (classifyLibcFunction(directCallee(Call)) == LibcKind::Exec)
      return ValueRange::exactly(-1);
  if (const auto *Unary = dyn_cast<UnaryOperator>(E)) {
    switch (Unary->getOpcode()) {
    case UO_LNot: return truthRange(truthWithFacts(E, Facts, Scope));
    case UO_Plus: return rangeWithFacts(Unary->getSubExpr(), Facts, Scope);
    case UO_Minus: return negate(rangeWithFacts(Unary->getSubExpr(), Facts, Scope));
    default: return ValueRange::unknown();
    }
  }
  const auto *Binary = dyn_cast<BinaryOperator>(E);
  if (!Binary || Binary->isAssignmentOp() || Binary->getOpcode() == BO_Comma)
    return ValueRange::unknown();
  if (Binary->isLogicalOp() || Binary->isComparisonOp())
    return truthRange(truthWithFacts(E, Facts, Scope));
  ValueRange L = rangeWithFacts(Binary->getLHS(), Facts, Scope);
  ValueRange R = rangeWithFacts(Binary->getRHS(), Facts, Scope);
  switch (Binary->getOpcode()) {
  case BO_Add: return add(L, R);
  case BO_Sub: return subtract(L, R);
  default: return ValueRange::unknown();
  }
}

std::optional<int64_t> evaluateWithFacts(const Expr *E, const RoleFacts &Facts,
                                         const FactScope &Scope) {
  return rangeWithFacts(E, Facts, Scope).constant();
}

std::optional<bool> truthWithFacts(const Expr *Cond, const RoleFacts &Facts,
                                   const FactScope &Scope) {
  if (!Cond)
    return std::nullopt;
  const Expr *E = withoutExpectHint(Cond);
  // `!`, `&&` and `||` by the truth of their operands, each evaluated once.
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
  if (Binary && Binary->isComparisonOp())
    return compare(Binary->getOpcode(), rangeWithFacts(Binary->getLHS(), Facts, Scope),
                   rangeWithFacts(Binary->getRHS(), Facts, Scope));
  ValueRange Value = rangeWithFacts(E, Facts, Scope);
  if (Value.excludesZero())
    return true;
  if (Value.isZero())
    return false;
  return std::nullopt;
}

void updateFacts(const Stmt *S, RoleFacts &Facts, const FactScope &Scope) {
  if (const auto *Decls = dyn_cast<DeclStmt>(S)) {
    for (const Decl *D : Decls->decls())
      if (const auto *Var = dyn_cast<VarDecl>(D))
        if (Scope.Tracked.contains(Var))
          Facts.setRange(Var, Var->getInit() ? rangeWithFacts(Var->getInit(), Facts, Scope)
                                             : ValueRange::unknown());
  } else if (const auto *Binary = dyn_cast<BinaryOperator>(S)) {
    if (Binary->isAssignmentOp())
      if (const VarDecl *Var = trackedVariable(Binary->getLHS(), Scope)) {
        ValueRange Value;
        ValueRange R = rangeWithFacts(Binary->getRHS(), Facts, Scope);
        if (Binary->getOpcode() == BO_Assign) {
          Value = R;
        } else if (Var->getType()->isPointerType()) {
          // pointer arithmetic: not followed
        } else if (Binary->getOpcode() == BO_AddAssign) {
          Value = add(Facts.rangeOf(Var), R);
        } else if (Binary->getOpcode() == BO_SubAssign) {
          Value = subtract(Facts.rangeOf(Var), R);
        }
        Facts.setRange(Var, Value);
      }
  } else if (const auto *Unary = dyn_cast<UnaryOperator>(S)) {
    if (Unary->isIncrementDecrementOp())
      if (const VarDecl *Var = trackedVariable(Unary->getSubExpr(), Scope)) {
        ValueRange Value;
        if (!Var->getType()->isPointerType())
          Value = add(Facts.rangeOf(Var), ValueRange::exactly(Unary->isIncrementOp() ? 1 : -1));
        // An unsigned counter that stepped past its bounds wraps: what the type allows.
        Facts.setRange(Var, Value);
      }
  }
  if (Scope.ForkSite)
    updatePidVars(S, Scope.ForkSite, Facts.Pids);
}

/// The operator that holds exactly when Op does not.
static BinaryOperatorKind negated(BinaryOperatorKind Op) {
  switch (Op) {
  case BO_LT: return BO_GE;
  case BO_GE: return BO_LT;
  case BO_GT: return BO_LE;
  case BO_LE: return BO_GT;
  case BO_EQ: return BO_NE;
  default: return BO_EQ;
  }
}

/// The values of a variable for which `variable Op Other` can hold.
static ValueRange satisfying(BinaryOperatorKind Op, const ValueRange &Other) {
  auto Below = [](int64_t Bound) { // the values < Bound
    return Bound == ValueRange::Min ? ValueRange::between(1, 0)
                                    : ValueRange::between(ValueRange::Min, Bound - 1);
  };
  auto Above = [](int64_t Bound) { // the values > Bound
    return Bound == ValueRange::Max ? ValueRange::between(1, 0)
                                    : ValueRange::between(Bound + 1, ValueRange::Max);
  };
  switch (Op) {
  case BO_EQ: return Other;
  case BO_NE:
    if (Other.isZero())
      return ValueRange::nonZero();
    return ValueRange::unknown(); // one value out of an interval: kept only at its ends below
  case BO_LT: return Below(Other.High);
  case BO_LE: return ValueRange::between(ValueRange::Min, Other.High);
  case BO_GT: return Above(Other.Low);
  case BO_GE: return ValueRange::between(Other.Low, ValueRange::Max);
  default: return ValueRange::unknown();
  }
}

/// Narrows Var for `Var Op Other` holding; false when no value is left.
static bool narrowByComparison(const VarDecl *Var, BinaryOperatorKind Op,
                               const ValueRange &Other, RoleFacts &Facts) {
  if (!Facts.narrow(Var, satisfying(Op, Other)))
    return false;
  // `x != 5` where x is 5 or more: x is more than 5.
  auto Excluded = Other.constant();
  if (Op != BO_NE || !Excluded)
    return true;
  ValueRange Known = Facts.rangeOf(Var);
  if (Known.Low == *Excluded)
    return Facts.narrow(Var, satisfying(BO_GT, Other));
  if (Known.High == *Excluded)
    return Facts.narrow(Var, satisfying(BO_LT, Other));
  return true;
}

bool refineOnEdge(const Expr *Cond, bool TrueEdge, RoleFacts &Facts, const FactScope &Scope) {
  if (!Cond)
    return true;
  const Expr *E = withoutExpectHint(Cond);
  bool Holds = TrueEdge;
  while (const auto *Not = dyn_cast<UnaryOperator>(E)) {
    if (Not->getOpcode() != UO_LNot)
      return true;
    E = withoutExpectHint(Not->getSubExpr());
    Holds = !Holds;
  }
  if (const VarDecl *Var = trackedVariable(E, Scope)) // `if (flag)`: flag == 0 or not
    return Facts.narrow(Var, Holds ? ValueRange::nonZero() : ValueRange::exactly(0));
  const auto *Compare = dyn_cast<BinaryOperator>(E);
  if (!Compare)
    return true;
  // The true edge of `a && b` (or the false edge of `a || b`) decides both sides. (Inside the
  // CFG a two-way `&&` block's condition is one side; whole conditions come from `?:` values.)
  if ((Compare->getOpcode() == BO_LAnd && Holds) || (Compare->getOpcode() == BO_LOr && !Holds))
    return refineOnEdge(Compare->getLHS(), Holds, Facts, Scope) &&
           refineOnEdge(Compare->getRHS(), Holds, Facts, Scope);
  if (!Compare->isComparisonOp())
    return true;
  BinaryOperatorKind Op = Holds ? Compare->getOpcode() : negated(Compare->getOpcode());
  // Each tracked side is narrowed by what the other side may be (both ranges taken before).
  ValueRange L = rangeWithFacts(Compare->getLHS(), Facts, Scope);
  ValueRange R = rangeWithFacts(Compare->getRHS(), Facts, Scope);
  if (const VarDecl *Var = trackedVariable(Compare->getLHS(), Scope))
    if (!narrowByComparison(Var, Op, R, Facts))
      return false;
  if (const VarDecl *Var = trackedVariable(Compare->getRHS(), Scope))
    if (!narrowByComparison(Var, swapComparison(Op), L, Facts))
      return false;
  return true;
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
                               const ASTContext &Ctx, const TrackedLiveness *Liveness)
    : Tracked(Tracked), Ctx(Ctx) {
  unsigned NumBlocks = Cfg.getNumBlockIDs();
  In.assign(NumBlocks, std::nullopt);
  if (Tracked.empty())
    return;
  const FactScope Scope{nullptr, ChildPid, Tracked, Ctx};
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
      if (!refineOnEdge(Cond, TrueEdge, Next, Scope))
        continue;
      if (Liveness)
        Liveness->forgetDead(Next, Liveness->liveIn(*Succ));
      auto &Target = In[Succ->getBlockID()];
      bool Changed = !Target;
      if (!Target)
        Target = std::move(Next);
      else
        Changed = Target->meet(Next, Changes[Succ->getBlockID()] >= FactWidening::After);
      if (!Changed)
        continue;
      if (++Changes[Succ->getBlockID()] > FactWidening::Forget)
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

const Expr *branchCondition(const CFGBlock *Block) {
  if (!Block || Block->succ_size() != 2 || Block->empty())
    return nullptr;
  auto Last = Block->back().getAs<CFGStmt>();
  const auto *Cond = Last ? dyn_cast<Expr>(Last->getStmt()) : nullptr;
  return Cond ? Cond->IgnoreParens() : nullptr;
}

} // namespace forkhazard
