#include "cli/CompileCommands.h"

#include "analysis/Compat.h"
#include "core/ResolvedFinding.h"
#include "clang/Tooling/JSONCompilationDatabase.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Option/Arg.h"
#include "llvm/Option/ArgList.h"
#include "llvm/Option/OptTable.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include <algorithm>
#if __has_include("clang/Options/Options.h")
#include "clang/Options/Options.h" // LLVM 22 and later: clang::getDriverOptTable
namespace forkhazard::cli {
using clang::getDriverOptTable;
}
#else
#include "clang/Driver/Options.h"
namespace forkhazard::cli {
using clang::driver::getDriverOptTable;
}
#endif

using namespace clang;
using namespace clang::tooling;

namespace forkhazard::cli {

std::unique_ptr<CompilationDatabase> loadDatabase(llvm::StringRef Path, std::string &Error) {
  if (Path.empty()) {
    Error = "no compile database: give -p <build directory or compile_commands.json>";
    return nullptr;
  }
  std::string LoadError;
  std::unique_ptr<CompilationDatabase> Database;
  if (llvm::sys::fs::is_directory(Path)) {
    Database = CompilationDatabase::loadFromDirectory(Path, LoadError);
    if (!Database)
      Error = "no compile database in '" + Path.str() +
              "': it holds neither compile_commands.json nor compile_flags.txt (CMake writes "
              "one with -DCMAKE_EXPORT_COMPILE_COMMANDS=ON; for make, use bear or compiledb)";
  } else if (!llvm::sys::fs::exists(Path)) {
    Error = "compile database '" + Path.str() + "' does not exist";
  } else {
    Database = JSONCompilationDatabase::loadFromFile(Path, LoadError,
                                                      JSONCommandLineSyntax::AutoDetect);
    if (!Database)
      Error = "cannot read compile database '" + Path.str() + "': " + LoadError;
  }
  return Database;
}

static std::string absolute(llvm::StringRef Path) {
  llvm::SmallString<256> Result(Path);
  llvm::sys::fs::make_absolute(Result);
  llvm::sys::path::remove_dots(Result, /*remove_dot_dot=*/true);
  return std::string(Result.str());
}

/// Whether File is Selector or lies under the directory Selector.
static bool isUnder(llvm::StringRef File, llvm::StringRef Selector) {
  return File == Selector || !pathBelow(File, Selector).empty();
}

std::vector<std::string> selectShard(const std::vector<std::string> &Files,
                                     const std::vector<std::string> &AllFiles, unsigned Index,
                                     unsigned Count) {
  std::string Common = AllFiles.empty() ? "" : AllFiles.front();
  for (const std::string &File : AllFiles)
    while (!Common.empty() && !isUnder(File, Common))
      Common = llvm::sys::path::parent_path(Common).str();
  std::vector<std::string> Shard;
  for (const std::string &File : Files) {
    llvm::StringRef Below = llvm::StringRef(File).drop_front(Common.size()).ltrim('/');
    uint64_t Hash = 14695981039346656037ull; // FNV-1a: the same on every host and LLVM
    for (char C : Below)
      Hash = (Hash ^ uint8_t(C)) * 1099511628211ull;
    if (Hash % Count == Index - 1)
      Shard.push_back(File);
  }
  return Shard;
}

std::vector<std::string> selectFiles(const CompilationDatabase &Database,
                                     llvm::ArrayRef<std::string> Paths, std::string &Error) {
  std::vector<std::string> All;
  llvm::StringSet<> Seen;
  for (const CompileCommand &Command : Database.getAllCompileCommands()) {
    llvm::SmallString<256> File(Command.Filename);
    if (!llvm::sys::path::is_absolute(File)) {
      File = Command.Directory;
      llvm::sys::path::append(File, Command.Filename);
    }
    std::string Absolute = absolute(File);
    if (Seen.insert(Absolute).second)
      All.push_back(Absolute);
  }
  if (Paths.empty())
    return All;
  std::vector<std::string> Selected;
  llvm::StringSet<> Chosen;
  for (const std::string &Path : Paths) {
    std::string Selector = absolute(Path);
    bool Any = false;
    for (const std::string &File : All)
      if (isUnder(File, Selector)) {
        Any = true;
        if (Chosen.insert(File).second)
          Selected.push_back(File);
      }
    if (!Any) {
      Error = "'" + Path + "' " +
              (llvm::sys::fs::exists(Path) ? "has no entry in the compile database"
                                           : "does not exist");
      return {};
    }
  }
  // Database order, whatever the order of the paths.
  std::vector<std::string> Ordered;
  for (const std::string &File : All)
    if (Chosen.count(File))
      Ordered.push_back(File);
  return Ordered;
}

bool isGccCompiler(llvm::StringRef Compiler) {
  llvm::StringRef Name = llvm::sys::path::filename(Compiler);
  // g++-12, gcc-13, x86_64-linux-gnu-gcc-12: drop a version suffix
  while (!Name.empty() && (llvm::isDigit(Name.back()) || Name.back() == '.'))
    Name = Name.drop_back();
  if (compat::endsWith(Name, "-"))
    Name = Name.drop_back();
  return compat::endsWith(Name, "gcc") || compat::endsWith(Name, "g++") || Name == "cc" ||
         Name == "c++";
}

namespace {
/// Compiler wrappers that run the real compiler given as their first argument.
bool isWrapper(llvm::StringRef Program) {
  llvm::StringRef Name = llvm::sys::path::filename(Program);
  return Name == "ccache" || Name == "sccache" || Name == "distcc" || Name == "icecc" ||
         Name == "buildcache";
}

/// gcc options that clang knows by name but rejects or mis-handles, dropped from gcc commands
/// (the options clang does not know at all are found through clang's own option table).
/// docs/cli.md lists them.
/// (Plugins, gcc's or ours, are dropped from every command; see adjust.)
const llvm::StringRef GccOnlyPrefixes[] = {
    "-mrecord-mcount", "-mabi=", "-mindirect-branch", "-mfunction-return=", "-mharden-sls=",
    "-fzero-call-used-regs=", "-fstrict-flex-arrays=", "-Wp,-MD,", "-Wp,-MMD,",
};

/// clang's driver does not know it (gcc's -fconserve-stack, -fno-ipa-sra, ...).
bool unknownToClang(llvm::StringRef Arg) {
  std::string Owned = Arg.str(); // ParseArgs wants a C string
  const char *Argv[] = {Owned.c_str()};
  unsigned MissingIndex = 0, MissingCount = 0;
  llvm::opt::InputArgList Parsed =
      getDriverOptTable().ParseArgs(Argv, MissingIndex, MissingCount);
  for (const llvm::opt::Arg *A : Parsed)
    if (A->getOption().getKind() == llvm::opt::Option::UnknownClass)
      return true;
  return false;
}

/// gcc accepts as warnings what newer clangs make errors by default in old C code; a lint run
/// must not fail where the build succeeds.
const char *const WarningsNotErrors[] = {
    "-Wno-error=implicit-function-declaration", "-Wno-error=implicit-int",
    "-Wno-error=incompatible-function-pointer-types", "-Wno-error=int-conversion",
    "-Wno-error=return-type",
};

bool isWarningAsErrorFlag(llvm::StringRef Arg) {
  return Arg == "-Werror" || compat::startsWith(Arg, "-Werror=") || Arg == "-pedantic-errors" ||
         Arg == "-Wfatal-errors" || Arg == "-Wno-error" || compat::startsWith(Arg, "-Wno-error=");
}

/// What the command line says to add and remove, prepared once for every command.
struct CommandChanges {
  llvm::StringSet<> Removed;
  std::vector<std::string> ExtraArgs, ExtraArgsBefore;
};

/// The language of an already preprocessed input (.i, .ii) that names none with -x, read as its
/// source language: clang 14-16 make no compiler job of a cpp-output -fsyntax-only command in
/// LibTooling, and preprocessing it again changes nothing (its line markers still place the
/// findings).
const char *sourceLanguageOfPreprocessed(const CommandLineArguments &Args,
                                         llvm::StringRef Filename) {
  if (llvm::any_of(Args, [](const std::string &Arg) {
        return compat::startsWith(Arg, "-x"); // -x c, -xc
      }))
    return nullptr;
  llvm::StringRef Extension = llvm::sys::path::extension(Filename);
  if (Extension == ".i")
    return "c";
  if (Extension == ".ii")
    return "c++";
  return nullptr;
}

CommandLineArguments adjust(const CommandLineArguments &In, llvm::StringRef Filename,
                            const CommandChanges &Changes) {
  CommandLineArguments Args = In;
  if (Args.size() > 1 && isWrapper(Args[0]))
    Args.erase(Args.begin());
  if (Args.empty())
    return Args;
  bool Gcc = isGccCompiler(Args[0]);
  CommandLineArguments Out{Args[0]};
  if (const char *Language = sourceLanguageOfPreprocessed(Args, Filename))
    Out.insert(Out.end(), {"-x", Language});
  for (size_t I = 1; I < Args.size(); ++I) {
    llvm::StringRef Arg = Args[I];
    if (isWarningAsErrorFlag(Arg) || Arg == "-w")
      continue;
    // Another copy of our plugin (a build that already uses it) or any other plugin.
    if (compat::startsWith(Arg, "-fplugin=") || compat::startsWith(Arg, "-fplugin-arg-") ||
        compat::startsWith(Arg, "-fpass-plugin="))
      continue;
    if (Arg == "-Xclang" && I + 3 < Args.size() && Args[I + 1] == "-load" &&
        Args[I + 2] == "-Xclang") {
      I += 3;
      continue;
    }
    if (Gcc && compat::startsWith(Arg, "-") && !compat::startsWith(Arg, "-Wl,") &&
        (llvm::any_of(GccOnlyPrefixes,
                      [&](llvm::StringRef Prefix) { return compat::startsWith(Arg, Prefix); }) ||
         unknownToClang(Arg)))
      continue;
    Out.push_back(Arg.str());
  }
  for (const char *Flag : WarningsNotErrors)
    Out.push_back(Flag);
  Out.push_back("-w"); // clang's own warnings are not ours to report
  Out.push_back("-resource-dir=" FORK_HAZARD_CLANG_RESOURCE_DIR);
  Out.insert(Out.end(), Changes.ExtraArgs.begin(), Changes.ExtraArgs.end());
  Out.insert(Out.begin() + 1, Changes.ExtraArgsBefore.begin(), Changes.ExtraArgsBefore.end());
  // --removed-arg, last: from the database's arguments and also from what --extra-arg added (a
  // shared CI setting, one TU's exception).
  Out.erase(std::remove_if(Out.begin() + 1, Out.end(),
                           [&](const std::string &Arg) { return Changes.Removed.count(Arg) != 0; }),
            Out.end());
  // g++-12 compiles a .c file as C++; x86_64-linux-gnu-gcc names its target (as clangd does).
  addTargetAndModeForProgramName(Out, Out[0]);
  return Out;
}
} // namespace

ArgumentsAdjuster commandAdjuster(const CommandLine &Options) {
  auto Changes = std::make_shared<CommandChanges>();
  for (const std::string &Arg : Options.RemovedArgs)
    Changes->Removed.insert(Arg);
  Changes->ExtraArgs = Options.ExtraArgs;
  Changes->ExtraArgsBefore = Options.ExtraArgsBefore;
  return [Changes](const CommandLineArguments &Args, llvm::StringRef Filename) {
    return adjust(Args, Filename, *Changes);
  };
}

ArgumentsAdjuster toolAdjuster(const CommandLine &Options) {
  return combineAdjusters(
      combineAdjusters(getClangSyntaxOnlyAdjuster(), getClangStripOutputAdjuster()),
      combineAdjusters(getClangStripDependencyFileAdjuster(), commandAdjuster(Options)));
}

} // namespace forkhazard::cli
