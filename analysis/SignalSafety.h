// Which operations a child of fork() in a multithreaded program may perform before it execs:
// calls to the async-signal-safe functions (analysis/async-signal-safe.def), exec and _exit, and
// C++ library operations that neither allocate nor lock. Functions defined in this TU are
// summarized once each, and only when a child path reaches them: a helper is unsafe when a path
// through it, before it execs or ends the process, reaches an unsafe operation; the summary
// keeps the chain of calls down to it, for notes.
#ifndef FORK_HAZARD_SIGNAL_SAFETY_H
#define FORK_HAZARD_SIGNAL_SAFETY_H

#include "analysis/KnownCallees.h"
#include "analysis/ProcessRoles.h"
#include "analysis/Recognizers.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/DenseMap.h"
#include <optional>
#include <string>
#include <vector>

namespace forkhazard {

class TranslationUnitIndex;
struct ProgramFunction;

/// Whether a C library function is on POSIX's list of async-signal-safe functions (or one of
/// its extensions), and, when GlibcTarget, not one of glibc's deviations from that list.
bool isAsyncSignalSafe(llvm::StringRef LibraryFunction, bool GlibcTarget);
/// Whether the C library of the compile's target is glibc (analysis/async-signal-safe.def, 4.).
bool targetsGlibc(const clang::ASTContext &Ctx);
/// How many functions POSIX's list in analysis/async-signal-safe.def holds.
unsigned asyncSignalSafeCount();

/// One operation that is not async-signal-safe.
struct UnsafeOperation {
  enum Kind {
    Call,         // a library function not on the list ('malloc', 'std::vector<int>::push_back')
    New,          // new-expression (allocates)
    Delete,       // delete-expression (frees)
    Throw,        // throw-expression (allocates the exception, unwinds)
    Construction, // constructing an object of a library type that allocates or locks
    Destruction,  // destroying one (implicitly, at the end of a scope)
    UnknownCall,  // unknown-calls=unsafe: a function defined elsewhere, or through a pointer
  };
  Kind What = Call;
  /// Where it happens: the call, the expression, or the statement whose end destroys an object.
  const clang::Stmt *Where = nullptr;
  std::string Name;     // the callee ('malloc') or the type ('std::string'), as the user sees it
  std::string Resource; // the lock a child may find held: "the allocator's lock"
  bool ThroughPointer = false; // UnknownCall through a pointer: Name is the callee expression
};

/// A call to a function of this TU on the way from a child's statement to an unsafe operation.
struct HelperCall {
  const clang::Stmt *At;           // the call (or construction, or end of scope) in Caller
  const clang::FunctionDecl *Caller; // null: the forking function, where the child runs it
  const clang::FunctionDecl *Callee;
};

/// The kind's name in the program's facts: "call", "new", "delete", "throw", ...
const char *unsafeKindName(UnsafeOperation::Kind What);

class SignalSafety {
public:
  /// Effects: what calls do (exec, end the process), to stop a helper's walk where the child
  /// would. ExitReportedElsewhere: exit() is exit-in-child's to report.
  SignalSafety(clang::ASTContext &Ctx, CallEffects &Effects, bool UnknownCallsUnsafe,
               bool ExitReportedElsewhere)
      : Ctx(Ctx), Effects(Effects), UnknownCallsUnsafe(UnknownCallsUnsafe),
        ExitReportedElsewhere(ExitReportedElsewhere), Glibc(targetsGlibc(Ctx)) {}

  /// The verdict on one statement or destruction the child runs. For a call into a function of
  /// this TU that can reach an unsafe operation, Chain starts with that call.
  struct Verdict {
    bool Unsafe = false;
    UnsafeOperation Operation;
    std::vector<HelperCall> Chain; // empty: the statement itself is the unsafe operation
    /// A call through a local function pointer, judged as a call to its only target.
    std::optional<KnownCallee> Through;
    /// The chain ends in a function of another TU (Chain.back().Callee) whose facts tell the
    /// operation; Operation.Where is then null.
    const ProgramFunction *Elsewhere = nullptr;
  };
  Verdict classify(const clang::Stmt *S);
  /// The implicit destruction of a local object at the end of its scope (Trigger: that end).
  Verdict classifyDestruction(const clang::VarDecl *Object, const clang::Stmt *Trigger);

  /// The program's facts, through Index: a function of another TU is judged by them.
  void setProgram(const TranslationUnitIndex *Index) { Program = Index; }

  /// For the TU's summary: the verdict on Definition (of this TU) as a child runs it from its
  /// entry, and, when it is safe, the functions of other TUs the child may call on the way.
  const Verdict &judgeHelper(const clang::FunctionDecl *Definition,
                             std::vector<const clang::FunctionDecl *> &Elsewhere);

private:
  struct Summary {
    enum State { NotYet, InProgress, Done } Status = NotYet;
    Verdict Result; // Chain: the calls inside this function down to the operation
    std::vector<const clang::FunctionDecl *> Elsewhere; // functions of other TUs reached
  };
  void reachesElsewhere(const clang::FunctionDecl *Caller, const clang::FunctionDecl *Callee);
  Verdict elsewhereVerdict(const clang::CallExpr *Call, const clang::FunctionDecl *Caller,
                           const clang::FunctionDecl *Callee, const ProgramFunction &Facts);
  const Summary &summaryOf(const clang::FunctionDecl *Definition);
  Verdict summarize(const clang::FunctionDecl *Definition);
  Verdict throughHelper(const clang::Stmt *At, const clang::FunctionDecl *Caller,
                        const clang::FunctionDecl *Callee);
  Verdict classifyIn(const clang::Stmt *S, const clang::FunctionDecl *Caller);
  Verdict classifyTypeDestruction(clang::QualType Type, const clang::Stmt *Where,
                                  const clang::FunctionDecl *Caller);
  Verdict classifyCall(const clang::CallExpr *Call, const clang::FunctionDecl *Caller);
  Verdict classifyCallTo(const clang::CallExpr *Call, const clang::FunctionDecl *Callee,
                         const clang::FunctionDecl *Caller);
  Verdict classifyUnknownPointerCall(const clang::CallExpr *Call);
  Verdict classifyConstruction(const clang::CXXConstructExpr *Construct,
                               const clang::FunctionDecl *Caller);
  bool inSystemHeader(const clang::Decl *D) const;
  /// The definition of FD if this TU defines it outside system headers (a helper to summarize).
  const clang::FunctionDecl *localDefinition(const clang::FunctionDecl *FD) const;
  std::string typeName(clang::QualType Type) const;

  clang::ASTContext &Ctx;
  CallEffects &Effects;
  bool UnknownCallsUnsafe;
  bool ExitReportedElsewhere;
  bool Glibc; // aio_suspend and glibc's other deviations from POSIX's list are unsafe
  KnownCallees Pointers;
  const TranslationUnitIndex *Program = nullptr;
  llvm::DenseMap<const clang::FunctionDecl *, Summary> Summaries;
  RecursionBudget Depth;
};

} // namespace forkhazard

#endif
