// What the AST says about exceptions in one function: which try statements and handlers enclose
// its throws and calls (clang's CFG has no edges from calls to handlers), the type a `throw`
// throws, and whether a handler catches it. Used by the may-throw summaries of
// analysis/TranslationUnitIndex.
#ifndef FORK_HAZARD_EXCEPTIONS_H
#define FORK_HAZARD_EXCEPTIONS_H

#include "analysis/ProcessRoles.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include <vector>

namespace forkhazard {

/// The try statements and handlers around the throws and calls of one function body (lambdas
/// and blocks inside it are functions of their own and are left out).
class TryNesting {
public:
  explicit TryNesting(const clang::Stmt *Body);
  /// The try statements whose try block holds S (a throw or a call), innermost first.
  llvm::SmallVector<const clang::CXXTryStmt *, 2> triesAround(const clang::Stmt *S) const;
  /// The innermost handler that holds S, or null.
  const clang::CXXCatchStmt *handlerAround(const clang::Stmt *S) const;
  llvm::ArrayRef<const clang::CXXThrowExpr *> throws() const { return Throws; }
  llvm::ArrayRef<const clang::CallExpr *> calls() const { return Calls; }

private:
  friend class TryNestingBuilder;
  struct Scope {
    int Parent;                           // -1 for the body itself
    const clang::CXXTryStmt *Try;         // inside this try's try block, or
    const clang::CXXCatchStmt *Handler;   // inside this handler
  };
  std::vector<Scope> Scopes;
  llvm::DenseMap<const clang::Stmt *, int> ScopeOf;
  std::vector<const clang::CXXThrowExpr *> Throws;
  std::vector<const clang::CallExpr *> Calls;
};

/// The exception `throw E;` creates (E's type, arrays and functions decayed, cv dropped); for
/// `throw;`, the type its enclosing handler catches, or any type.
ThrownException exceptionThrownBy(const clang::CXXThrowExpr *Throw, const TryNesting &Nesting,
                                  clang::ASTContext &Ctx);

/// Whether Handler catches every exception E may be: `catch (...)`, the same type, a base class,
/// a pointer it converts to.
bool surelyCatches(const clang::CXXCatchStmt *Handler, const ThrownException &E);
/// Whether Handler may catch E: surely, or E's type is not known exactly.
bool mayCatch(const clang::CXXCatchStmt *Handler, const ThrownException &E);

/// Whether a function's exception specification says it never lets an exception out (noexcept,
/// throw()): an exception inside calls std::terminate instead.
bool isNoThrow(const clang::FunctionDecl *FD);

} // namespace forkhazard

#endif
