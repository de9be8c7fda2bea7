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

  /// What in this file may reap every child of the process whatever the parent's code does: a
  /// signal()/sigaction() call that sets SIGCHLD to SIG_IGN, sets SA_NOCLDWAIT or an action
  /// the file cannot see (Reaps), one that installs a handler (reaps if the handler waits), the
  /// start of a thread (reaps if its function waits for any child). In source order.
  struct ReaperCandidate {
    enum Kind { Reaps, Handler, Thread } What;
    const clang::Expr *Where;
    const clang::FunctionDecl *Function; // Handler, Thread
  };
  std::vector<ReaperCandidate> reaperCandidates();

  /// Whether something reaps every child of Forking's process whatever the parent does: one
  /// of this file's candidates that does (a handler defined nowhere the analysis sees is given
  /// the benefit of the doubt), or, with the program's facts, one of the program's that may run
  /// in its process.
  bool hasBackgroundReaper(const clang::FunctionDecl *Forking);

  /// Whether FD, or a function it calls (transitively), waits for any child. Only the
  /// functions of this file are followed, or, with the program's facts, those of every file.
  bool anyChildWaitUnder(const clang::FunctionDecl *FD);

  /// Whether a function other than Except waits for any child: one of this file, or, with the
  /// program's facts, of any file.
  bool anyChildWaitOutside(const clang::FunctionDecl *Except);
  /// The waits for any child inside FD (in source order).
  std::vector<const clang::CallExpr *> anyChildWaitsIn(const clang::FunctionDecl *FD);

  /// Whether FD calls a wait function (any pid), directly or through the functions it calls
  /// (as anyChildWaitUnder follows them).
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
  bool reachable(const clang::FunctionDecl *FD, bool AnyChildOnly);
  bool externalWait(llvm::ArrayRef<const clang::FunctionDecl *> Callees, bool AnyChildOnly);

  clang::ASTContext &Ctx;
  const TranslationUnitIndex &Index;
  std::unique_ptr<Facts> Walked;
  llvm::DenseMap<const clang::FunctionDecl *, bool> AnyChildMemo, AnyWaitMemo;
};

} // namespace forkhazard

#endif
