// What a fork-like call returns in each process, and how conditions on that value split the
// processes: 0 in the child, the child's pid (> 0) in the parent, -1 when the fork failed.
#ifndef FORK_HAZARD_PID_VALUES_H
#define FORK_HAZARD_PID_VALUES_H

#include "analysis/ValueRange.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/Stmt.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include <cstdint>
#include <optional>

namespace forkhazard {


enum class Truth { False, True, Unknown };

/// The variables that hold the value returned by the latest execution of one fork site.
/// A "must" fact: a variable is in the set only if every path from the fork put the value there.
class PidVarSet {
public:
  static PidVarSet unreached() {
    PidVarSet Set;
    Set.Unreached = true;
    return Set;
  }
  bool isUnreached() const { return Unreached; }
  bool contains(const clang::VarDecl *Var) const;
  void add(const clang::VarDecl *Var);
  void remove(const clang::VarDecl *Var);
  /// A field of a variable (`cmd->pid`, `child.pid`) that holds the fork's result; a null
  /// field is the object a pointer variable points to (`*pid`), a null variable the object a
  /// method runs on (`pid_`, `this->pid_`).
  using FieldPlace = std::pair<const clang::VarDecl *, const clang::FieldDecl *>;
  bool containsField(FieldPlace Place) const;
  void addField(FieldPlace Place);
  void removeField(FieldPlace Place);
  /// Forgets the fields of Base (Base itself was assigned: it is another object now).
  void removeFieldsOf(const clang::VarDecl *Base);
  void clear() {
    Vars.clear();
    Fields.clear();
    Unreached = false;
  }
  /// Keeps only the variables both sets hold; returns whether *this changed.
  bool intersectWith(const PidVarSet &Other);
  /// The variables (not the fields) in the set.
  llvm::ArrayRef<const clang::VarDecl *> variables() const { return Vars; }
  bool hasFields() const { return !Fields.empty(); }
  bool empty() const { return !Unreached && Vars.empty() && Fields.empty(); }
  /// Whether both hold the same variables and places (in any order).
  bool sameAs(const PidVarSet &Other) const {
    if (Unreached || Other.Unreached)
      return Unreached == Other.Unreached;
    return Vars.size() == Other.Vars.size() && Fields.size() == Other.Fields.size() &&
           llvm::all_of(Vars, [&](const clang::VarDecl *V) { return Other.contains(V); }) &&
           llvm::all_of(Fields, [&](const FieldPlace &F) { return Other.containsField(F); });
  }
  /// Keeps the variables Keep says yes to (and every field).
  template <typename Predicate> void keepVariables(Predicate Keep) {
    llvm::erase_if(Vars, [&](const clang::VarDecl *Var) { return !Keep(Var); });
  }

private:
  llvm::SmallVector<const clang::VarDecl *, 4> Vars;
  llvm::SmallVector<FieldPlace, 2> Fields;
  bool Unreached = false;
};

/// The operator Op' with `R Op' L` meaning `L Op R` (`0 <= x` is `x >= 0`).
clang::BinaryOperatorKind swapComparison(clang::BinaryOperatorKind Op);

/// E without parentheses, implicit casts and likely()/unlikely() wrappers
/// (`__builtin_expect(cond, hint)` has the value of cond).
const clang::Expr *withoutExpectHint(const clang::Expr *E);

/// Whether E evaluates to the fork site's result: the call itself, a variable holding it, or an
/// assignment of it (`(pid = fork())`).
bool isPidValue(const clang::Expr *E, const clang::CallExpr *ForkSite, const PidVarSet &Vars);

/// Updates Vars for one statement of the control-flow graph, executed after ForkSite.
void updatePidVars(const clang::Stmt *S, const clang::CallExpr *ForkSite, PidVarSet &Vars);
/// The same for a constructor's member initializer (`Process() : pid_(fork())`).
void updatePidVarsForInitializer(const clang::CXXCtorInitializer *Init,
                                 const clang::CallExpr *ForkSite, PidVarSet &Vars);

/// A condition that compares a fork's result with a constant (`pid == 0`, `!pid`, `pid < 0`,
/// `fork() > 0`, `(pid = fork()) == -1`, `if (pid)`).
class PidTest {
public:
  static std::optional<PidTest> fromCondition(const clang::Expr *Cond,
                                              const clang::CallExpr *ForkSite,
                                              const PidVarSet &Vars, const clang::ASTContext &Ctx);
  Truth evaluate(PidRange Range) const;

private:
  PidTest(clang::BinaryOperatorKind Op, int64_t Constant, bool Negated)
      : Op(Op), Constant(Constant), Negated(Negated) {}
  clang::BinaryOperatorKind Op;
  int64_t Constant;
  bool Negated;
};

/// Whether a `case` label's values can hold a value of Range (GNU case ranges included).
bool caseMatches(const clang::CaseStmt *Case, PidRange Range, const clang::ASTContext &Ctx);
/// Whether a `case` label's values cover every value of Range.
bool caseCovers(const clang::CaseStmt *Case, PidRange Range, const clang::ASTContext &Ctx);

} // namespace forkhazard

#endif
