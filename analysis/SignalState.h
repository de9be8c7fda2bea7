// The signal state a process passes through exec: which signals it ignores (an ignored
// disposition survives exec; a handler does not) and which it blocks (the mask survives exec).
// Recognizes the calls that change them: signal, sigset, bsd_signal, sigaction; sigprocmask,
// pthread_sigmask.
#ifndef FORK_HAZARD_SIGNAL_STATE_H
#define FORK_HAZARD_SIGNAL_STATE_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include <optional>
#include <string>

namespace forkhazard {

class TranslationUnitIndex;

/// The library functions whose calls change a disposition or the mask (recorded by the index).
llvm::ArrayRef<llvm::StringRef> signalStateFunctions();

struct DispositionChange {
  enum Kind { Ignores, Defaults, Handles, Unknown } What = Unknown;
  std::optional<int64_t> Signal; // none: not a constant (a loop over every signal)
  std::string SignalName;        // as written ("SIGPIPE"), or "signal 13"
};
/// What a call of signal/sigset/bsd_signal/sigaction, or of a signal wrapper of the file,
/// sets; none for other calls, for a sigaction that only reads the disposition (a null new
/// action), and for the call inside a wrapper (its signal is the caller's) unless OfWrapper.
class SignalWrappers;
std::optional<DispositionChange> dispositionChange(const clang::CallExpr *Call,
                                                   clang::ASTContext &Ctx,
                                                   SignalWrappers *Wrappers = nullptr,
                                                   bool OfWrapper = false);

/// A function of the file that sets the disposition of the signal its caller passes: a
/// project's `install(SIGPIPE, SIG_IGN)`, openssh's ssh_signal, `reset(SIGINT)`: the call inside
/// it, which parameter is the signal, and which the handler (none: the inner call's own).
struct SignalWrapper {
  const clang::CallExpr *Inner;
  unsigned SignalParameter;
  std::optional<unsigned> HandlerParameter;
};

/// The signal wrappers of a TU, each function looked at once.
class SignalWrappers {
public:
  explicit SignalWrappers(clang::ASTContext &Ctx) : Ctx(Ctx) {}
  const SignalWrapper *of(const clang::FunctionDecl *FD);

private:
  clang::ASTContext &Ctx;
  llvm::DenseMap<const clang::FunctionDecl *, std::optional<SignalWrapper>> Known;
};

enum class MaskChange {
  None,     // not a mask call, or one that only reads the mask (a null set)
  Blocks,   // SIG_BLOCK, or SIG_SETMASK with a set the function fills
  Restores, // SIG_UNBLOCK, SIG_SETMASK with a saved or empty set
  Unknown,  // a `how` that is not a constant
};
MaskChange maskChange(const clang::CallExpr *Call, clang::ASTContext &Ctx);

/// A call of the file that changes a disposition or the mask, classified once per TU.
struct SignalCall {
  const clang::CallExpr *Call;
  const clang::FunctionDecl *Owner;
  std::optional<DispositionChange> Disposition;
  MaskChange Mask;
  bool FollowsFork; // a child's own setting, or its parent's after the fork
  const clang::FunctionDecl *Handler; // the handler it installs, if a function of the file

  /// A setting that survives exec: a signal ignored (a constant one), or signals blocked.
  bool ignores() const {
    return Disposition && Disposition->What == DispositionChange::Ignores && Disposition->Signal;
  }
  bool blocks() const { return Mask == MaskChange::Blocks; }
  /// The signal an ignore is for (0 for other calls).
  int64_t signal() const { return ignores() ? *Disposition->Signal : 0; }
  /// Whether this call may undo a setting of the mask (Mask) or of Signal's disposition:
  /// another disposition of that signal, or a restore of the mask.
  bool undoes(bool Mask, int64_t Signal) const;
  bool undoes(const SignalCall &Setting) const { return undoes(Setting.blocks(), Setting.signal()); }
};

/// The file's calls of signalStateFunctions() and of its signal wrappers, in the index's order.
std::vector<SignalCall> signalCallsOf(TranslationUnitIndex &Index, clang::ASTContext &Ctx,
                                      SignalWrappers &Wrappers);

/// Whether Setting, made outside the forking function, is part of the program's setup as far
/// as the file tells: made outside any fork's aftermath and outside a signal handler of the
/// file (a SIGTERM handler that ignores SIGTERM before it signals its group runs when it runs),
/// and undone neither by its own function (a temporary setting) nor anywhere in the file
/// outside a fork's aftermath (paired helpers, block_signals()/unblock_signals(), leave the
/// state at a fork unknown).
bool inProgramSetup(const SignalCall &Setting, llvm::ArrayRef<SignalCall> Calls);

} // namespace forkhazard

#endif
