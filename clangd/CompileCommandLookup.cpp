#include "clangd/CompileCommandLookup.h"

#include "clang/Tooling/JSONCompilationDatabase.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include <optional>

using namespace clang::tooling;

namespace forkhazard::clangd {

/// The database file in Directory and its modification time, if there is one.
static bool databaseFile(llvm::StringRef Directory, llvm::sys::TimePoint<> &Modified) {
  for (const char *Name : {"compile_commands.json", "compile_flags.txt"}) {
    llvm::SmallString<256> Path(Directory);
    llvm::sys::path::append(Path, Name);
    llvm::sys::fs::file_status Status;
    if (!llvm::sys::fs::status(Path, Status) && llvm::sys::fs::is_regular_file(Status)) {
      Modified = Status.getLastModificationTime();
      return true;
    }
  }
  return false;
}

CompilationDatabase *CompileCommandLookup::databaseIn(llvm::StringRef Directory) {
  llvm::sys::TimePoint<> Modified;
  if (!databaseFile(Directory, Modified)) {
    Databases.erase(Directory);
    return nullptr;
  }
  auto Found = Databases.find(Directory);
  if (Found != Databases.end() && Found->second.Modified == Modified)
    return Found->second.Database.get();
  std::string Error;
  std::unique_ptr<CompilationDatabase> Database =
      CompilationDatabase::loadFromDirectory(Directory, Error);
  // As clangd: commands for the files it does not list, inferred from similar files.
  if (Database)
    Database = inferMissingCompileCommands(expandResponseFiles(
        std::move(Database), llvm::vfs::getRealFileSystem()));
  Loaded &Entry = Databases[Directory];
  Entry.Database = std::move(Database);
  Entry.Modified = Modified;
  return Entry.Database.get();
}

CompileCommand CompileCommandLookup::commandFor(llvm::StringRef File, std::string &Origin) {
  auto FromDatabase = [&](llvm::StringRef Directory) -> std::optional<CompileCommand> {
    CompilationDatabase *Database = databaseIn(Directory);
    if (!Database)
      return std::nullopt;
    std::vector<CompileCommand> Commands = Database->getCompileCommands(File);
    if (Commands.empty())
      return std::nullopt;
    Origin = "the compile database in " + Directory.str();
    return Commands.front();
  };
  if (!FixedDirectory.empty()) {
    if (auto Command = FromDatabase(FixedDirectory))
      return *Command;
  } else {
    for (llvm::StringRef Directory = llvm::sys::path::parent_path(File); !Directory.empty();
         Directory = llvm::sys::path::parent_path(Directory)) {
      if (auto Command = FromDatabase(Directory))
        return *Command;
      llvm::SmallString<256> Build(Directory);
      llvm::sys::path::append(Build, "build");
      if (auto Command = FromDatabase(Build))
        return *Command;
    }
  }
  // clangd's fallback command (GlobalCompilationDatabase::getFallbackCommand).
  Origin = "clangd's fallback command";
  CompileCommand Fallback;
  Fallback.Directory = llvm::sys::path::parent_path(File).str();
  Fallback.Filename = File.str();
  Fallback.CommandLine = {"clang"};
  Fallback.CommandLine.insert(Fallback.CommandLine.end(), FallbackFlags.begin(),
                              FallbackFlags.end());
  if (llvm::sys::path::extension(File) == ".h")
    Fallback.CommandLine.push_back("-xobjective-c++-header");
  Fallback.CommandLine.push_back(File.str());
  return Fallback;
}

} // namespace forkhazard::clangd
