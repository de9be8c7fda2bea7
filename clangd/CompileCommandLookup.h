// Where a document's compile command comes from: the compile database clangd itself would use
// for it, so that both parse the file the same way. --compile-commands-dir (or the client's
// compilationDatabasePath) names the one directory; else the nearest compile_commands.json or
// compile_flags.txt in the file's directory, a parent, or a parent's build/; else clangd's
// fallback command, "clang <fallbackFlags> <file>". A file the database does not list (a
// header) gets the command of its nearest listed neighbour, as clangd infers it.
#ifndef FORK_HAZARD_CLANGD_COMPILE_COMMAND_LOOKUP_H
#define FORK_HAZARD_CLANGD_COMPILE_COMMAND_LOOKUP_H

#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Chrono.h"
#include <memory>
#include <string>
#include <vector>

namespace forkhazard::clangd {

class CompileCommandLookup {
public:
  CompileCommandLookup(std::string Directory, std::vector<std::string> FallbackFlags)
      : FixedDirectory(std::move(Directory)), FallbackFlags(std::move(FallbackFlags)) {}

  /// The command for File (absolute). Origin says where it came from, for the log.
  clang::tooling::CompileCommand commandFor(llvm::StringRef File, std::string &Origin);

private:
  struct Loaded {
    std::shared_ptr<clang::tooling::CompilationDatabase> Database; // null: none there
    llvm::sys::TimePoint<> Modified;                               // of the file read
  };
  /// The database in Directory itself (reloaded when its file changes), or null.
  clang::tooling::CompilationDatabase *databaseIn(llvm::StringRef Directory);

  std::string FixedDirectory;
  std::vector<std::string> FallbackFlags;
  llvm::StringMap<Loaded> Databases;
};

} // namespace forkhazard::clangd

#endif
