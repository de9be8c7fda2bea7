// Where a fork's pid goes, for missing-wait. After the fork: the local variables that may hold
// it (a may-analysis over the statements the processes run, unlike the must-set that splits
// roles: here a missed copy would be a false report), and whether the parent hands it to code
// that may reap it later. One step up: whether the caller of a function that returns a pid
// drops it.
#ifndef FORK_HAZARD_PID_ESCAPE_H
#define FORK_HAZARD_PID_ESCAPE_H

#include "analysis/ProcessRoles.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/SmallPtrSet.h"
#include <optional>
#include <vector>

namespace forkhazard {

class TranslationUnitIndex;

class PidFlow {
public:
  /// With Index, a call of a function (of this TU, or of another by the program's facts) that
  /// only tests or prints the parameter the pid is passed to is no escape.
  explicit PidFlow(const ForkSiteRoles &Site, const TranslationUnitIndex *Index = nullptr);

  /// Whether E evaluates to the pid: the fork call, a local variable that may hold it, or an
  /// expression that passes it through (`a ? pid : -1`, `std::move(pid)`, `(copy = pid)`).
  bool holdsPid(const clang::Expr *E) const;

  /// The first statement where the parent hands the pid to code that may keep it: returns it;
  /// stores it in a global, a static, a field, an array element or through a pointer; passes it
  /// (or its address) to a function other than those that only use it; gives it to a
  /// constructor, an initializer list or `new`; captures it in a lambda. Null if none.
  const clang::Stmt *escape() const;

  /// A `return` of the pid that the parent runs, or null.
  const clang::ReturnStmt *parentReturnsPid() const;

  /// The first call the parent hands the pid to whose callee only tests or prints it (a
  /// function of the program, not a library one), or null.
  const clang::CallExpr *handedToUserOnly() const;

private:
  /// Whether Call passes the pid on only to parameters its callee does not keep.
  bool passesOnlyToUsers(const clang::CallExpr *Call) const;

  bool isHolder(const clang::Expr *E) const;
  bool takesAddressOfHolder(const clang::Expr *E) const;

  const ForkSiteRoles &Site;
  const TranslationUnitIndex *Index;
  llvm::SmallPtrSet<const clang::VarDecl *, 8> Holders;
};

/// The integer parameters (from 0) Definition only tests, prints or signals: it calls only
/// library functions that do not wait, and neither keeps, returns nor passes them on (but to
/// the library functions that only use a pid).
std::vector<unsigned> parametersOnlyUsed(const clang::FunctionDecl *Definition);

/// Library functions that use a pid without keeping it (kill, setpgid, printf, ...).
bool usesPidWithoutKeepingIt(const clang::CallExpr *Call);

/// How a caller drops the pid that Call returns: it throws the value away, only tests or prints
/// it, or keeps it in a local variable (KeptIn) that it then only tests or prints.
struct DroppedPid {
  const clang::VarDecl *KeptIn = nullptr;
};
/// With Effects, a caller that ends the process in the very next statement drops nothing: its
/// child is handed to init (a worker's `spawn(...); _exit(0);`).
std::optional<DroppedPid> droppedResult(const clang::CallExpr *Call,
                                        const clang::FunctionDecl *Caller,
                                        CallEffects *Effects = nullptr);

} // namespace forkhazard

#endif
