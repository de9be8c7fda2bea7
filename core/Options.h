// The plugin's options: -fplugin-arg-fork-hazard-<name>[=value], and the same keys in a
// .fork-hazard.yaml file (see core/ConfigFile.h); command-line values win.
#ifndef FORK_HAZARD_OPTIONS_H
#define FORK_HAZARD_OPTIONS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <string>
#include <vector>

namespace forkhazard {

/// A function defined elsewhere that ends the process (exit-functions): like _exit, or through
/// exit() (`name:exit`), which runs the atexit handlers.
struct ExitFunction {
  std::string Name;
  bool RunsExitHooks = false;
};

struct Options {
  /// clang-tidy style globs over check names, applied after the defaults (config file first,
  /// then the command line): "-*,missing-wait", "*,-exit-in-child", "-exit-in-child".
  std::string Checks;
  bool Help = false;
  /// Whether the program creates threads (unsafe-call-in-child): Auto = evidence in the TU.
  enum class ThreadsMode { Auto, Yes, No } Threads = ThreadsMode::Auto;
  /// unknown-calls=unsafe: calls to functions neither defined in the TU nor declared in a
  /// system header count as not async-signal-safe.
  bool UnknownCallsUnsafe = false;
  /// Functions defined elsewhere that return fork's result in both processes, like fork.
  std::vector<std::string> ForkFunctions;
  /// Functions defined elsewhere that end the process / reap the pid they get.
  std::vector<ExitFunction> ExitFunctions;
  std::vector<std::string> WaitFunctions;
  /// Our warnings become errors (like -Werror, for fork-hazard only).
  bool Werror = false;
  /// Print statistics (functions analyzed, fork sites, time) to stderr.
  bool Stats = false;
  /// The config file to read: "" = search from the source file's directory up, "none" = none.
  std::string ConfigFile;

  /// Applies one command-line argument, "name" or "name=value"; on error returns false and sets
  /// Error to one clear sentence.
  bool applyArgument(llvm::StringRef Arg, std::string &Error);
  /// Applies one config-file key. Value is a scalar, or a list already joined with commas.
  /// Returns "" or what is wrong (without the file position, which the caller adds).
  std::string applyConfigKey(llvm::StringRef Key, llvm::StringRef Value);
  bool isCheckEnabled(llvm::StringRef Check) const;
};

/// The keys a config file may hold (the options, without help and config).
std::vector<llvm::StringRef> configKeys();
/// The closest of Candidates to Name, if it is close enough to be a likely typo; else "".
llvm::StringRef closestName(llvm::StringRef Name, llvm::ArrayRef<llvm::StringRef> Candidates);
/// The text printed by -fplugin-arg-fork-hazard-help.
std::string helpText();

} // namespace forkhazard

#endif
