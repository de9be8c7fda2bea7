// .fork-hazard.yaml: a project's options, found next to the source file or in a parent
// directory, so a build does not have to repeat them on every command line; it serves every
// front end.
#ifndef FORK_HAZARD_CONFIG_FILE_H
#define FORK_HAZARD_CONFIG_FILE_H

#include "core/Options.h"
#include "llvm/ADT/StringRef.h"
#include <string>

namespace forkhazard {

constexpr const char *ConfigFileName = ".fork-hazard.yaml";

/// The nearest .fork-hazard.yaml in SourceFile's directory or a parent, or "" if there is none.
std::string findConfigFile(llvm::StringRef SourceFile);

/// The source file a preprocessed file (.i, .ii: a cache's or a distributed build's) was made
/// from: the name in its first line marker (`# 1 "src/worker.c"`) when that file exists, else "".
/// Its config file is the one the source's directory has.
std::string originalOfPreprocessed(llvm::StringRef PreprocessedFile);

/// Applies the keys of the YAML mapping in Path to Opts. Returns "" or one error sentence that
/// starts with "<path>:<line>:<column>: ".
std::string loadConfigFile(llvm::StringRef Path, Options &Opts);

/// The options in effect for SourceFile, as every front end computes them: Args (one option
/// each, "name" or "name=value") are checked first and decide which config file is read (their
/// config=, else the nearest .fork-hazard.yaml), then that file is applied, then Args again, so
/// that they win. With help among Args, no file is read. Returns "" or one error sentence.
std::string optionsForFile(llvm::ArrayRef<std::string> Args, const OptionSyntax &Syntax,
                           llvm::StringRef SourceFile, Options &Out);

} // namespace forkhazard

#endif
