// The plugin's options: -fplugin-arg-fork-hazard-<name>[=value] (and, later, the config file).
#ifndef FORK_HAZARD_OPTIONS_H
#define FORK_HAZARD_OPTIONS_H

#include "llvm/ADT/StringRef.h"
#include <string>
#include <vector>

namespace forkhazard {

struct Options {
  /// clang-tidy style globs over check names, applied after the defaults:
  /// "-*,missing-wait", "*,-exit-in-child", "-exit-in-child".
  std::string Checks;
  bool Help = false;
  /// Whether the program creates threads (unsafe-call-in-child): Auto = evidence in the TU.
  enum class ThreadsMode { Auto, Yes, No } Threads = ThreadsMode::Auto;
  /// unknown-calls=unsafe: calls to functions neither defined in the TU nor declared in a
  /// system header count as not async-signal-safe.
  bool UnknownCallsUnsafe = false;
  /// Functions defined elsewhere that end the process (like _exit) / reap the pid they get.
  std::vector<std::string> ExitFunctions;
  std::vector<std::string> WaitFunctions;
  /// Our warnings become errors (like -Werror, for fork-hazard only).
  bool Werror = false;
  /// Print statistics (functions analyzed, fork sites, time) to stderr.
  bool Stats = false;

  /// Parses the plugin arguments; on error returns false and sets Error to one clear sentence.
  bool parse(const std::vector<std::string> &Args, std::string &Error);
  bool isCheckEnabled(llvm::StringRef Check) const;
  /// Verifies that every glob in Checks matches a check; sets Error otherwise.
  bool validateChecks(std::string &Error) const;
};

/// The text printed by -fplugin-arg-fork-hazard-help.
std::string helpText();

} // namespace forkhazard

#endif
