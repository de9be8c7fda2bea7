// The plugin's options: -fplugin-arg-fork-hazard-<name>[=value].
#ifndef FORK_HAZARD_OPTIONS_H
#define FORK_HAZARD_OPTIONS_H

#include "llvm/ADT/StringRef.h"
#include <string>
#include <vector>

namespace forkhazard {

struct Options {
  /// clang-tidy style globs over check names: "-*,missing-wait", "*,-exit-in-child".
  std::string Checks = "*";
  bool Help = false;

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
