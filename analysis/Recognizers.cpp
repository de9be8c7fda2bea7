#include "analysis/Recognizers.h"

#include "clang/AST/ExprCXX.h"

using namespace clang;

namespace forkhazard {

const VarDecl *referencedVariable(const Expr *E) {
  const auto *Ref = E ? dyn_cast<DeclRefExpr>(E->IgnoreParenCasts()) : nullptr;
  return Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
}

const Expr *addressOperand(const Expr *E) {
  const auto *AddressOf = E ? dyn_cast<UnaryOperator>(E->IgnoreParenCasts()) : nullptr;
  if (!AddressOf || AddressOf->getOpcode() != UO_AddrOf)
    return nullptr;
  return AddressOf->getSubExpr()->IgnoreParenCasts();
}

const VarDecl *addressedVariable(const Expr *E) {
  return referencedVariable(addressOperand(E));
}

const FunctionDecl *functionNamedBy(const Expr *E) {
  if (!E)
    return nullptr;
  E = E->IgnoreImplicit()->IgnoreParenCasts();
  if (const Expr *Operand = addressOperand(E))
    E = Operand;
  if (const auto *Ref = dyn_cast<DeclRefExpr>(E))
    return dyn_cast<FunctionDecl>(Ref->getDecl());
  if (const auto *Lambda = dyn_cast<LambdaExpr>(E))
    return Lambda->getCallOperator();
  return nullptr;
}

bool declaredInSystemHeader(const Decl *D, const SourceManager &SM) {
  return !isa<TranslationUnitDecl>(D) && D->getLocation().isValid() &&
         SM.isInSystemHeader(SM.getExpansionLoc(D->getLocation()));
}

} // namespace forkhazard
