// The compile database and how its commands are turned into clang commands: a compiler
// wrapper (ccache, distcc, ...) is dropped, gcc-only flags clang rejects are dropped, the
// build's -Werror/-w do not change what is found, and clang's own resource directory is used.
#ifndef FORK_HAZARD_CLI_COMPILE_COMMANDS_H
#define FORK_HAZARD_CLI_COMPILE_COMMANDS_H

#include "cli/CommandLine.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/CompilationDatabase.h"
#include <memory>
#include <string>
#include <vector>

namespace forkhazard::cli {

/// From a build directory (its compile_commands.json or compile_flags.txt) or a database file.
std::unique_ptr<clang::tooling::CompilationDatabase> loadDatabase(llvm::StringRef Path,
                                                                  std::string &Error);

/// The database's source files (absolute, each once, in database order), or those under Paths
/// (files or directories). A path that selects nothing is an error.
std::vector<std::string> selectFiles(const clang::tooling::CompilationDatabase &Database,
                                     llvm::ArrayRef<std::string> Paths, std::string &Error);

/// The files of shard Index of Count (1-based): a file's shard is a hash of its path below the
/// directory all of AllFiles share, so it is the same on every runner and checkout, and does
/// not move when other files come or go.
std::vector<std::string> selectShard(const std::vector<std::string> &Files,
                                     const std::vector<std::string> &AllFiles, unsigned Index,
                                     unsigned Count);

/// Whether a command's compiler is gcc or g++ (also cross and versioned: arm-linux-gnueabi-gcc,
/// g++-12), or cc/c++ that are not clang.
bool isGccCompiler(llvm::StringRef Compiler);

/// The rewrite applied to every command before clang sees it: wrapper dropped, gcc-only flags,
/// plugins, warning settings, --extra-arg(-before), then --removed-arg (from all of them).
clang::tooling::ArgumentsAdjuster commandAdjuster(const CommandLine &Options);

/// The rewrite of every command a tool parses (the CLI, the editor's worker): syntax only, no
/// output or dependency files, and commandAdjuster's changes.
clang::tooling::ArgumentsAdjuster toolAdjuster(const CommandLine &Options);

} // namespace forkhazard::cli

#endif
