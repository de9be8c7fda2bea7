// fork-hazard-check's command line: its own options (database, paths, jobs, output) and the
// options every front end shares (core/Options.h), spelled --<name>[=value].
#ifndef FORK_HAZARD_CLI_COMMAND_LINE_H
#define FORK_HAZARD_CLI_COMMAND_LINE_H

#include "core/Options.h"
#include <string>
#include <vector>

namespace forkhazard::cli {

/// How the CLI spells the shared options in messages and help.
extern const OptionSyntax CliSyntax;

enum class OutputFormat { Text, Json, Sarif, Html, CodeQuality };
enum class ColorMode { Auto, Always, Never };
/// The lowest level of finding that makes the exit status 1.
enum class FailLevel { Warning, Error, Never };

struct CommandLine {
  std::string BuildPath; // -p: a build directory or a compile_commands.json
  std::vector<std::string> Paths; // files or directories; none = every TU of the database
  unsigned Jobs = 0;              // 0 = the number of cores
  OutputFormat Format = OutputFormat::Text;
  std::string OutputFile; // -o; "" = stdout
  ColorMode Color = ColorMode::Auto;
  FailLevel FailOn = FailLevel::Warning;
  std::vector<std::string> ExtraArgs, ExtraArgsBefore, RemovedArgs;
  std::string ExportFixes;
  /// New findings only: not in this earlier output (cli/Baseline.h), or on lines this diff or
  /// `git diff <ref>` changed (cli/ChangedLines.h).
  std::string Baseline, DiffFile, ChangedLinesFrom;
  std::string CacheDir; // cli/ResultCache.h
  bool Fix = false;
  bool SkipFilesWithoutFork = false; // cli/ForkNamePrescan.h
  /// The program's facts (cli/ProgramRun.h): collected from the analyzed files (default),
  /// read from FactsFile, or none.
  std::string FactsFile;
  bool NoFacts = false;
  /// "collect": write the facts of the files to OutputFile instead of checking them;
  /// "merge-facts" / "merge": merge the facts files / SARIF logs named in Paths into OutputFile.
  std::string Subcommand;
  /// --shard=I/N: only the files whose stable hash falls in the I-th of N parts (1-based).
  unsigned ShardIndex = 0, ShardCount = 0;
  bool ListChecks = false, Help = false, Version = false, Quiet = false;
  /// The shared options as given, "name[=value]", for optionsForFile (per source file, since
  /// each may have its own .fork-hazard.yaml).
  std::vector<std::string> SharedArgs;
};

/// Parses argv; returns "" or one error sentence (the caller prints it and exits 2).
std::string parseCommandLine(int Argc, const char **Argv, CommandLine &Out);
std::string cliHelpText();

} // namespace forkhazard::cli

#endif
