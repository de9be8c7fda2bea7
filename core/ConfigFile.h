// .fork-hazard.yaml: the plugin's options for a project, found next to the source file or in a
// parent directory, so a build does not have to repeat -fplugin-arg-fork-hazard-... everywhere.
#ifndef FORK_HAZARD_CONFIG_FILE_H
#define FORK_HAZARD_CONFIG_FILE_H

#include "core/Options.h"
#include "llvm/ADT/StringRef.h"
#include <string>

namespace forkhazard {

constexpr const char *ConfigFileName = ".fork-hazard.yaml";

/// The nearest .fork-hazard.yaml in SourceFile's directory or a parent, or "" if there is none.
std::string findConfigFile(llvm::StringRef SourceFile);

/// Applies the keys of the YAML mapping in Path to Opts. Returns "" or one error sentence that
/// starts with "<path>:<line>:<column>: ".
std::string loadConfigFile(llvm::StringRef Path, Options &Opts);

} // namespace forkhazard

#endif
