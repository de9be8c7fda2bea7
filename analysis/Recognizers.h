// Small recognizers of expressions that the analysis and the rules share, so that `&x`, `x` and
// `f` mean the same everywhere, and the one recursion budget of the analysis' summaries.
#ifndef FORK_HAZARD_RECOGNIZERS_H
#define FORK_HAZARD_RECOGNIZERS_H

#include "clang/AST/Expr.h"
#include "clang/Basic/SourceManager.h"

namespace forkhazard {

/// The variable E names: `x`, `(x)`, a cast of x; null otherwise.
const clang::VarDecl *referencedVariable(const clang::Expr *E);
/// `&x` (parentheses and casts around and inside ignored): x; null when E takes no address.
const clang::Expr *addressOperand(const clang::Expr *E);
/// `&x`'s variable x; null otherwise.
const clang::VarDecl *addressedVariable(const clang::Expr *E);
/// The function E names: `f`, `&f`, `(f)`, a cast of those, a lambda (its call operator).
const clang::FunctionDecl *functionNamedBy(const clang::Expr *E);

/// Whether D is declared in a system header (the translation unit itself never is): not the
/// program's code, never analyzed or reported.
bool declaredInSystemHeader(const clang::Decl *D, const clang::SourceManager &SM);

/// How deep summaries of functions may call each other before a summary gives its cautious
/// default (recursion through many helpers must not exhaust the stack).
class RecursionBudget {
public:
  static constexpr unsigned MaxDepth = 64;
  bool exhausted() const { return Depth >= MaxDepth; }
  /// One level more while it lives.
  class Level {
  public:
    explicit Level(RecursionBudget &Budget) : Budget(Budget) { ++Budget.Depth; }
    ~Level() { --Budget.Depth; }
    Level(const Level &) = delete;
    Level &operator=(const Level &) = delete;

  private:
    RecursionBudget &Budget;
  };

private:
  unsigned Depth = 0;
};

} // namespace forkhazard

#endif
