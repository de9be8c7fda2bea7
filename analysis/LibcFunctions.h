// Recognizes the C library functions that create, replace, end or reap a process, or create a
// thread.
#ifndef FORK_HAZARD_LIBC_FUNCTIONS_H
#define FORK_HAZARD_LIBC_FUNCTIONS_H

#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/StringRef.h"
#include <optional>

namespace forkhazard {

enum class LibcKind {
  Other,
  Fork,          // fork, _Fork, forkpty: the child gets a copy of the address space
  VFork,         // vfork: the child borrows the parent's memory until exec or _exit
  Exec,          // exec family: returns only when it fails
  ExitRunsHooks, // exit: runs atexit handlers and flushes stdio buffers
  ExitImmediate, // _exit, _Exit, abort, quick_exit
};

/// The name of FD if it is a C library-style function (global scope, extern "C" or namespace
/// std, not a class member); empty otherwise.
llvm::StringRef libcName(const clang::FunctionDecl *FD);

LibcKind classifyLibcFunction(const clang::FunctionDecl *FD);

/// The function a call names directly, or null (calls through pointers).
const clang::FunctionDecl *directCallee(const clang::CallExpr *Call);

/// Whether returning from FD ends the process: main, or the entry point of one program of a
/// multi-call binary (`int nbdclient_main(int argc, char **argv)` in busybox), whose caller
/// passes the result to exit().
bool isProgramEntry(const clang::FunctionDecl *FD);

/// How a function of the wait family chooses the child it reaps.
enum class WaitFamily {
  None,
  AnyChild, // wait, wait3
  ByPid,    // waitpid, wait4: the pid (or -1, 0, -pgid) first
  ById,     // waitid(idtype, id, ...)
};
WaitFamily waitFamilyOf(const clang::FunctionDecl *FD);

/// The C library's thread-creating functions (pthread_create, thrd_create).
llvm::ArrayRef<llvm::StringRef> threadCreationFunctions();
/// Which argument of a thread-creating function (by its libcName) is the thread's start
/// function; none for other functions.
std::optional<unsigned> threadStartArgument(llvm::StringRef LibcName);

/// Names of the fork-family functions, for the cheap pre-scan of a translation unit.
llvm::ArrayRef<llvm::StringRef> forkFamilyNames();

} // namespace forkhazard

#endif
