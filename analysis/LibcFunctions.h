// Recognizes the C library functions that create, replace or end a process.
#ifndef FORK_HAZARD_LIBC_FUNCTIONS_H
#define FORK_HAZARD_LIBC_FUNCTIONS_H

#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/StringRef.h"

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

/// Names of the fork-family functions, for the cheap pre-scan of a translation unit.
llvm::ArrayRef<llvm::StringRef> forkFamilyNames();

} // namespace forkhazard

#endif
