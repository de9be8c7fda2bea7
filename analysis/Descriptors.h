// File descriptors across fork and exec: the calls that create one (open, socket, pipe, fopen,
// dup, epoll_create, eventfd, ...), whether they ask for close-on-exec, where the result is kept
// (a variable, a field, an element of an array), and what a process later does with it (close,
// dup2 onto another descriptor, FD_CLOEXEC, any other use).
#ifndef FORK_HAZARD_DESCRIPTORS_H
#define FORK_HAZARD_DESCRIPTORS_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/Basic/Diagnostic.h"
#include <optional>
#include <string>
#include <vector>

namespace forkhazard {

class TranslationUnitIndex;

/// The library functions that create descriptors (recorded by the index).
llvm::ArrayRef<llvm::StringRef> descriptorCreatingFunctions();

/// Where a descriptor is kept: a variable or a field, and for an array (pipe's int fds[2]) the
/// element. Two expressions with equal keys name the same descriptor as far as the checks tell.
struct DescriptorKey {
  const clang::ValueDecl *Decl = nullptr;
  int Element = -1; // -1: the whole variable or field
  bool operator==(const DescriptorKey &Other) const {
    return Decl == Other.Decl && Element == Other.Element;
  }
};

/// The key of an expression that reads a descriptor: `fd`, `fds[1]`, `s->fd`, `fileno(fp)`.
std::optional<DescriptorKey> descriptorKeyOf(const clang::Expr *E);

struct CreatedDescriptor {
  DescriptorKey Key;
  std::string Name; // as written: "fd", "fds[0]", "server->sock"
};

struct DescriptorCreation {
  const clang::CallExpr *Call = nullptr;
  std::string Function;  // "open", "pipe"
  std::string Flag;      // what asks for close-on-exec: "O_CLOEXEC", "SOCK_CLOEXEC", "e"
  /// The descriptors it creates where the program keeps them (pipe: both ends).
  std::vector<CreatedDescriptor> Created;
  /// What makes it close-on-exec, when that is mechanical (the flag added to its flags
  /// argument, `pipe` to `pipe2`, ...); none otherwise.
  std::vector<clang::FixItHint> AddFlag;
};
/// A call (made by Owner) that creates descriptors without asking for close-on-exec and keeps
/// them somewhere; none for other calls, one that asks for it, or one whose flags are not a
/// constant.
std::optional<DescriptorCreation> creationWithoutCloseOnExec(const clang::CallExpr *Call,
                                                             const clang::FunctionDecl *Owner,
                                                             clang::ASTContext &Ctx);

/// Where the result of Call (made by Owner) is kept (`fd = open(...)`, `FILE *in =
/// fdopen(...)`); none when it is not kept (passed on, returned, compared).
std::optional<CreatedDescriptor> resultOf(const clang::CallExpr *Call,
                                          const clang::FunctionDecl *Owner, clang::ASTContext &Ctx);

/// Whether Call reads from the descriptor Key (one of its names) or from one of Streams
/// (read, recv, fgets, getline, fread, fgetc, fscanf, ...).
bool readsFrom(const clang::CallExpr *Call, llvm::ArrayRef<DescriptorKey> Key,
               llvm::ArrayRef<DescriptorKey> Streams);

/// The innermost loop statement of its function around S (S in its condition or body), or
/// null.
const clang::Stmt *loopAround(const clang::Stmt *S, clang::ASTContext &Ctx);

/// Key and the places function F copies that descriptor into (`c_in = fds[0]`, `*in = fds[0]`,
/// `cmd->in = fds[1]`, `int rfd = fds[0]`), transitively: a process may close or redirect it
/// under any of these names.
std::vector<DescriptorKey> namesOf(const DescriptorKey &Key, const clang::FunctionDecl *F);
/// The loop around Read (a read of a descriptor or stream) that ends when the read reports
/// end-of-file: the read or its result (`n = read(...)`) in the loop's condition, `feof` there,
/// or an `if` on it that leaves the loop; null for a loop that goes on regardless (driven by
/// select and a flag) and for a read outside any loop.
const clang::Stmt *readLoopEndedBy(const clang::CallExpr *Read, clang::ASTContext &Ctx);
/// The first of Calls that copies the descriptor Source (one of its names) onto descriptor
/// number Target with dup2/dup3 (`dup2(fds[0], 0)`: the pipe's read end as stdin), or null.
const clang::CallExpr *copyOnto(llvm::ArrayRef<const clang::CallExpr *> Calls,
                                llvm::ArrayRef<DescriptorKey> Source, int64_t Target,
                                clang::ASTContext &Ctx);

/// What a call does to the descriptors it is passed.
enum class DescriptorUse {
  None,        // a call that only reads or writes through it (read, write, fstat, ...)
  Closes,      // close, fclose: gone
  Redirects,   // dup2 / dup3 of it onto another descriptor (its copy is meant for the exec)
  CloseOnExec, // fcntl(fd, F_SETFD, FD_CLOEXEC), ioctl(fd, FIOCLEX)
  ClosesAll,   // closefrom, close_range, the project's close-everything helper
  Other,       // passed to anything else: handed over or dealt with, as far as this TU tells
};
/// What Call does to the descriptor Key, one of its names (ClosesAll regardless of Key).
/// Passing the whole array a pipe's end is in (`close_pair(fds)`) passes the end.
DescriptorUse useOf(const clang::CallExpr *Call, llvm::ArrayRef<DescriptorKey> Key,
                    const clang::SourceManager &SM);

/// Whether one of Calls closes the descriptor (one of its names), makes it close-on-exec, or
/// hands it to something the TU does not see into (a registry, a helper of another file);
/// with RedirectCounts, a dup2 of it onto another descriptor too.
bool dealtWith(llvm::ArrayRef<const clang::CallExpr *> Calls, llvm::ArrayRef<DescriptorKey> Names,
               const clang::SourceManager &SM, bool RedirectCounts);

/// A creation of the file without close-on-exec, the function that makes it, and which of the
/// descriptors it creates the program keeps open: each in a file-scope variable, opened outside
/// a fork's aftermath by a function that neither closes it nor makes it close-on-exec (open at
/// every later fork of its process).
struct FileCreation {
  DescriptorCreation Creation;
  const clang::FunctionDecl *Owner = nullptr;
  std::vector<bool> HeldByProgram; // per Creation.Created
};
std::vector<FileCreation> creationsOf(TranslationUnitIndex &Index, clang::ASTContext &Ctx);

/// Whether Call is a `close(x)` of a loop's counter, inside that loop (closing every
/// descriptor from 3 on).
bool closesInLoop(const clang::CallExpr *Call, clang::ASTContext &Ctx);

} // namespace forkhazard

#endif
