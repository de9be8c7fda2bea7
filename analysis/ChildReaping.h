// What a translation unit does about its children as a whole, for missing-wait: whether
// something reaps them without a wait on the parent's own path (SIGCHLD ignored, SA_NOCLDWAIT, a
// SIGCHLD handler that waits, a thread that waits for any child), which functions wait for any
// child (wait(), waitpid(-1, ...)), directly or through the functions they call, and where each
// function of the file is called. Built by one walk over the translation unit the first time it
// is asked, which missing-wait does only when it is about to report.
#ifndef FORK_HAZARD_CHILD_REAPING_H
#define FORK_HAZARD_CHILD_REAPING_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/DenseMap.h"
#include <memory>
#include <vector>

namespace forkhazard {

class TranslationUnitIndex;

/// A call of a function defined in this translation unit, and the function that makes it.
struct LocalCall {
  const clang::CallExpr *Call;
  const clang::FunctionDecl *Caller;
};

class ChildReaping {
public:
  ChildReaping(clang::ASTContext &Ctx, const TranslationUnitIndex &Index);
  ~ChildReaping();

  /// Something that reaps every child of this process whatever the parent's code does: a
  /// signal()/sigaction() call that sets SIGCHLD to SIG_IGN, sets SA_NOCLDWAIT or installs a
  /// handler that waits, or the start of a thread whose function waits for any child. Null if
  /// there is none.
  const clang::Expr *backgroundReaper();

  /// A call that waits for any child, made by FD or by a function of this file FD calls
  /// (transitively); null if none.
  const clang::CallExpr *anyChildWaitUnder(const clang::FunctionDecl *FD);

  /// A call anywhere in this file, outside Except, that waits for any child; null if none.
  const clang::CallExpr *anyChildWaitOutside(const clang::FunctionDecl *Except);
  /// The waits for any child inside FD (in source order).
  std::vector<const clang::CallExpr *> anyChildWaitsIn(const clang::FunctionDecl *FD);

  /// Whether FD calls a wait function (any pid), directly or through functions of this file.
  bool waitsUnder(const clang::FunctionDecl *FD);

  /// The calls of FD (a function defined in this file) made in this file.
  llvm::ArrayRef<LocalCall> callsOf(const clang::FunctionDecl *FD);

  /// Whether Call waits for any child rather than one pid: wait(), wait3(), waitpid/wait4 with
  /// a pid <= 0, waitid(P_ALL or P_PGID, ...), a project wait function given a pid <= 0.
  static bool waitsForAnyChild(const clang::CallExpr *Call, const TranslationUnitIndex &Index,
                               const clang::ASTContext &Ctx);
  /// Whether Call is a call of a wait-family function or of a project wait function.
  static bool isWaitCall(const clang::CallExpr *Call, const TranslationUnitIndex &Index);

  struct Facts; // the walk's results (ChildReaping.cpp)

private:
  Facts &facts();
  const clang::CallExpr *reachable(const clang::FunctionDecl *FD, bool AnyChildOnly);

  clang::ASTContext &Ctx;
  const TranslationUnitIndex &Index;
  std::unique_ptr<Facts> Walked;
  llvm::DenseMap<const clang::FunctionDecl *, const clang::CallExpr *> AnyChildMemo, AnyWaitMemo;
};

} // namespace forkhazard

#endif
