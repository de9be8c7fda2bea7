#include "analysis/KnownCallees.h"

#include "analysis/Recognizers.h"
#include "clang/AST/RecursiveASTVisitor.h"

using namespace clang;

namespace forkhazard {

namespace {
/// Whether every mention of Var in a function body reads its value. An assignment, `&cb`, a
/// reference bound to it (also in a lambda that captures it) mention it without reading it.
class OnlyRead : public RecursiveASTVisitor<OnlyRead> {
public:
  explicit OnlyRead(const VarDecl *Var) : Var(Var) {}
  bool holdsIn(Stmt *Body) {
    TraverseStmt(Body);
    return Mentions == Reads;
  }
  bool VisitDeclRefExpr(DeclRefExpr *Ref) {
    Mentions += Ref->getDecl() == Var;
    return true;
  }
  bool VisitImplicitCastExpr(ImplicitCastExpr *Cast) {
    if (Cast->getCastKind() == CK_LValueToRValue)
      if (const auto *Ref = dyn_cast<DeclRefExpr>(Cast->getSubExpr()->IgnoreParens()))
        Reads += Ref->getDecl() == Var;
    return true;
  }

private:
  const VarDecl *Var;
  unsigned Mentions = 0, Reads = 0;
};
} // namespace

/// The local variable a callee expression reads: `cb`, `(*cb)`, `(**cb)`.
static const VarDecl *pointerCalled(const Expr *Callee) {
  const Expr *E = Callee->IgnoreParenImpCasts();
  while (const auto *Deref = dyn_cast<UnaryOperator>(E)) {
    if (Deref->getOpcode() != UO_Deref)
      return nullptr;
    E = Deref->getSubExpr()->IgnoreParenImpCasts();
  }
  const auto *Ref = dyn_cast<DeclRefExpr>(E);
  return Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
}

static const FunctionDecl *onlyTarget(const VarDecl *Var) {
  // A parameter's "initializer" is its default argument: the caller may pass anything.
  if (isa<ParmVarDecl>(Var) || !Var->hasLocalStorage() || !Var->getInit() ||
      !Var->getType()->isFunctionPointerType() || Var->getType().isVolatileQualified())
    return nullptr;
  const auto *Function = dyn_cast<FunctionDecl>(Var->getDeclContext());
  const FunctionDecl *Target = functionNamedBy(Var->getInit());
  if (!Function || !Function->getBody() || !Target)
    return nullptr;
  return OnlyRead(Var).holdsIn(Function->getBody()) ? Target : nullptr;
}

std::optional<KnownCallee> KnownCallees::of(const CallExpr *Call) {
  const VarDecl *Pointer = pointerCalled(Call->getCallee());
  if (!Pointer)
    return std::nullopt;
  auto Found = Targets.find(Pointer);
  if (Found == Targets.end())
    Found = Targets.try_emplace(Pointer, onlyTarget(Pointer)).first;
  if (!Found->second)
    return std::nullopt;
  return KnownCallee{Found->second, Pointer};
}

} // namespace forkhazard
