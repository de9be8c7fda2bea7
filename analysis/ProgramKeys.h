// How a translation unit names things for the rest of the program: a function by a key that
// every TU declaring it computes alike, a place by file:line:column.
#ifndef FORK_HAZARD_PROGRAM_KEYS_H
#define FORK_HAZARD_PROGRAM_KEYS_H

#include "analysis/ProgramSummary.h"
#include "clang/AST/Mangle.h"
#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/DenseMap.h"
#include <memory>
#include <string>

namespace clang {
class ASTContext;
class FunctionDecl;
class SourceManager;
} // namespace clang

namespace forkhazard {

/// Path made absolute against the TU's own working directory (a compile command's
/// "directory", which need not be the process'), without . and .. parts.
std::string absolutePath(llvm::StringRef Path, const clang::SourceManager &SM);

/// The TU's main file, absolute ("" when it has none): how summaries and facts name it.
std::string mainFilePath(const clang::SourceManager &SM);

/// Where Loc is written (its expansion, for a macro), as a user reads it; invalid if nowhere.
SourcePosition positionOf(clang::SourceLocation Loc, const clang::SourceManager &SM);

class FunctionKeys {
public:
  explicit FunctionKeys(clang::ASTContext &Ctx);
  ~FunctionKeys();
  /// A function the linker sees (external linkage) is keyed by its linkage name: the name in C
  /// (and for extern "C"), the mangled name in C++, so a call in one TU finds the definition
  /// in another. Any other function (main too: each program of a database has its own) is
  /// keyed by its TU's main file, name and line: it is that TU's own, and a static function of
  /// the same name in another TU is another function.
  const std::string &keyOf(const clang::FunctionDecl *FD);
  /// Whether keyOf(FD) can name FD's definition in another TU.
  static bool isVisibleToOtherTUs(const clang::FunctionDecl *FD);

private:
  clang::ASTContext &Ctx;
  std::unique_ptr<clang::MangleContext> Mangler;
  std::string MainFile;
  llvm::DenseMap<const clang::FunctionDecl *, std::string> Keys;
};

} // namespace forkhazard

#endif
