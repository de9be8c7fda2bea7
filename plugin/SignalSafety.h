// Which calls a child of fork() in a multithreaded program may make before it execs: the
// async-signal-safe functions (rules/async-signal-safe.def), exec and _exit. Functions defined
// in this TU are summarized, once each and only when a child path reaches them: a helper is
// unsafe when it can reach an unsafe call, and the summary keeps the chain for notes.
#ifndef FORK_HAZARD_SIGNAL_SAFETY_H
#define FORK_HAZARD_SIGNAL_SAFETY_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/DenseMap.h"
#include <string>
#include <vector>

namespace forkhazard {

bool isAsyncSignalSafe(llvm::StringRef LibraryFunction);
/// How many functions rules/async-signal-safe.def lists.
unsigned asyncSignalSafeCount();

/// An unsafe operation: a call, `new`, `delete`, `throw`, or a constructor from a system header.
struct UnsafeOperation {
  const clang::Stmt *Where = nullptr;
  std::string Callee;   // "malloc", "std::basic_string<char>::basic_string", "new", "throw"
  std::string Resource; // what lock it may wait for: "the allocator's lock"
};

class SignalSafety {
public:
  SignalSafety(clang::ASTContext &Ctx, bool UnknownCallsUnsafe)
      : Ctx(Ctx), UnknownCallsUnsafe(UnknownCallsUnsafe) {}

  enum class Verdict { Safe, Unsafe, Unknown, ThroughHelper };
  /// Classifies one statement the child runs. For ThroughHelper, Chain holds the calls from
  /// S's callee down to the unsafe operation (Chain.back()).
  Verdict classify(const clang::Stmt *S, UnsafeOperation &Operation,
                   std::vector<const clang::CallExpr *> &Chain);

  /// Classifies the implicit destruction of a local object at the end of its scope (Operation's
  /// Where is left null for a library type's destructor: the caller knows where it runs).
  Verdict classifyDestruction(const clang::VarDecl *Object, UnsafeOperation &Operation,
                              std::vector<const clang::CallExpr *> &Chain);

private:
  struct Summary {
    enum State { NotYet, InProgress, Done } Status = NotYet;
    bool Unsafe = false;
    UnsafeOperation Operation;
    std::vector<const clang::CallExpr *> Chain; // calls inside this function, down to it
  };
  const Summary &summaryOf(const clang::FunctionDecl *Definition);
  Verdict classifyDirect(const clang::Stmt *S, UnsafeOperation &Operation,
                         const clang::FunctionDecl *&LocalCallee);
  bool inSystemHeader(const clang::Decl *D) const;

  clang::ASTContext &Ctx;
  bool UnknownCallsUnsafe;
  llvm::DenseMap<const clang::FunctionDecl *, Summary> Summaries;
  unsigned Depth = 0;
  static constexpr unsigned MaxDepth = 64;
};

} // namespace forkhazard

#endif
