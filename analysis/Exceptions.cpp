#include "analysis/Exceptions.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"

using namespace clang;

namespace forkhazard {

/// One pass over a function body, keeping the stack of try blocks and handlers it is in.
class TryNestingBuilder : public RecursiveASTVisitor<TryNestingBuilder> {
public:
  explicit TryNestingBuilder(TryNesting &Result) : N(Result) {}

  bool TraverseCXXTryStmt(CXXTryStmt *Try) {
    enter(Try, nullptr);
    TraverseStmt(Try->getTryBlock());
    leave();
    for (unsigned I = 0, E = Try->getNumHandlers(); I < E; ++I) {
      enter(nullptr, Try->getHandler(I));
      TraverseStmt(Try->getHandler(I));
      leave();
    }
    return true;
  }
  // Functions of their own: their throws do not leave this function.
  bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  bool TraverseBlockExpr(BlockExpr *) { return true; }

  bool VisitCXXThrowExpr(CXXThrowExpr *Throw) {
    N.ScopeOf[Throw] = Current;
    N.Throws.push_back(Throw);
    return true;
  }
  bool VisitCallExpr(CallExpr *Call) {
    N.ScopeOf[Call] = Current;
    N.Calls.push_back(Call);
    return true;
  }

private:
  void enter(const CXXTryStmt *Try, const CXXCatchStmt *Handler) {
    N.Scopes.push_back({Current, Try, Handler});
    Current = static_cast<int>(N.Scopes.size()) - 1;
  }
  void leave() { Current = N.Scopes[Current].Parent; }

  TryNesting &N;
  int Current = -1;
};

TryNesting::TryNesting(const Stmt *Body) {
  TryNestingBuilder(*this).TraverseStmt(const_cast<Stmt *>(Body));
}

llvm::SmallVector<const CXXTryStmt *, 2> TryNesting::triesAround(const Stmt *S) const {
  llvm::SmallVector<const CXXTryStmt *, 2> Tries;
  auto It = ScopeOf.find(S);
  for (int I = It == ScopeOf.end() ? -1 : It->second; I >= 0; I = Scopes[I].Parent)
    if (Scopes[I].Try)
      Tries.push_back(Scopes[I].Try);
  return Tries;
}

const CXXCatchStmt *TryNesting::handlerAround(const Stmt *S) const {
  auto It = ScopeOf.find(S);
  for (int I = It == ScopeOf.end() ? -1 : It->second; I >= 0; I = Scopes[I].Parent)
    if (Scopes[I].Handler)
      return Scopes[I].Handler;
  return nullptr;
}

/// T as a handler or thrown object compares: no reference, no top-level cv, canonical.
static QualType matchable(QualType T) {
  return T.getNonReferenceType().getCanonicalType().getUnqualifiedType();
}

ThrownException exceptionThrownBy(const CXXThrowExpr *Throw, const TryNesting &Nesting,
                                  ASTContext &Ctx) {
  ThrownException E;
  if (const Expr *Operand = Throw->getSubExpr()) {
    QualType T = Operand->getType();
    if (T->isArrayType())
      T = Ctx.getArrayDecayedType(T);
    else if (T->isFunctionType())
      T = Ctx.getPointerType(T);
    E.Type = matchable(T);
    return E;
  }
  // `throw;` rethrows what its handler caught: at least that type, maybe a derived one.
  if (const CXXCatchStmt *Handler = Nesting.handlerAround(Throw))
    if (!Handler->getCaughtType().isNull()) {
      E.Type = matchable(Handler->getCaughtType());
      E.OrDerived = true;
    }
  return E;
}

static bool isDerivedClass(QualType Derived, QualType Base) {
  const auto *D = Derived->getAsCXXRecordDecl();
  const auto *B = Base->getAsCXXRecordDecl();
  // (Access and ambiguity are not checked: a private base counts as catching.)
  return D && B && D->hasDefinition() && B->hasDefinition() && D->isDerivedFrom(B);
}

/// A handler `catch (H *)` catches a thrown `X *` when the pointer converts: same or base
/// class pointee, `void *`, with at least X's qualifiers; and it catches a thrown nullptr.
static bool pointerCatches(const PointerType *Handler, QualType Thrown) {
  if (Thrown->isNullPtrType())
    return true;
  const auto *ThrownPointer = Thrown->getAs<PointerType>();
  if (!ThrownPointer)
    return false;
  QualType H = Handler->getPointeeType(), X = ThrownPointer->getPointeeType();
  if (X.getCVRQualifiers() & ~H.getCVRQualifiers())
    return false;
  H = H.getUnqualifiedType();
  X = X.getUnqualifiedType();
  return H == X || isDerivedClass(X, H) || (H->isVoidType() && !X->isFunctionType());
}

bool surelyCatches(const CXXCatchStmt *Handler, const ThrownException &E) {
  QualType Caught = Handler->getCaughtType();
  if (Caught.isNull())
    return true; // catch (...)
  if (E.Type.isNull())
    return false;
  QualType H = matchable(Caught);
  if (H == E.Type || isDerivedClass(E.Type, H))
    return true;
  const auto *Pointer = H->getAs<PointerType>();
  return Pointer && pointerCatches(Pointer, E.Type);
}

bool mayCatch(const CXXCatchStmt *Handler, const ThrownException &E) {
  if (surelyCatches(Handler, E) || E.Type.isNull())
    return true;
  return E.OrDerived && isDerivedClass(matchable(Handler->getCaughtType()), E.Type);
}

bool isNoThrow(const FunctionDecl *FD) {
  const auto *Proto = FD->getType()->getAs<FunctionProtoType>();
  if (!Proto)
    return false;
  // Asked of the specification kind directly: FunctionProtoType::canThrow() must not see an
  // unevaluated one (an implicit destructor's).
  switch (Proto->getExceptionSpecType()) {
  case EST_DynamicNone:
  case EST_BasicNoexcept:
  case EST_NoexceptTrue:
  case EST_NoThrow:
    return true;
  default:
    return false;
  }
}

} // namespace forkhazard
