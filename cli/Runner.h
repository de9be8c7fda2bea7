// Runs the analysis over the selected files of a compile database, N files at a time; the
// results come back in the order of the files, whatever N is.
#ifndef FORK_HAZARD_CLI_RUNNER_H
#define FORK_HAZARD_CLI_RUNNER_H

#include "analysis/ProgramSummary.h"
#include "cli/CommandLine.h"
#include "core/ResolvedFinding.h"
#include "clang/Tooling/CompilationDatabase.h"
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace forkhazard {
class ProgramFacts;
}

namespace forkhazard::cli {

struct FileResult {
  std::string File;
  std::vector<ResolvedFinding> Findings; // in source order
  std::string CompilerErrors;            // clang's errors, rendered, when it did not parse
  std::string ToolError;                 // why it was not analyzed at all (missing file, config)
  unsigned Suppressed = 0;               // by NOLINT comments
  bool NotParsed = false; // --skip-files-without-fork: it names no fork-family function
  bool Forks = false;     // it has fork sites: the checks ran
  /// Its facts for the rest of the program (RunSettings::Summarize), when it parsed.
  std::optional<TranslationUnitSummary> Summary;
  /// Every file its parse read, absolute (RunSettings::RecordInputs).
  std::vector<std::string> Inputs;
  std::string Statistics;                // the stats option's line, as the plugin prints it
  bool failed() const { return !CompilerErrors.empty() || !ToolError.empty(); }
};

struct RunSettings {
  unsigned Jobs = 1;
  bool Color = false;
  /// Summarize each TU for the program's facts; judge calls of other TUs' functions by Facts.
  bool Summarize = false;
  const ProgramFacts *Facts = nullptr;
  /// Only the checks, no findings (fork-hazard-check collect).
  bool SummariesOnly = false;
  /// Record the files each parse reads (for the cache).
  bool RecordInputs = false;
  /// Called after each file, from the thread that analyzed it (serialized by the runner).
  std::function<void(unsigned Done, unsigned Total, llvm::StringRef File)> Progress;
};

/// Analyzes Files into Results (one per file, in that order; File set by the caller).
void analyzeFiles(const clang::tooling::CompilationDatabase &Database,
                  std::vector<FileResult *> Results, const CommandLine &Options,
                  const RunSettings &Settings);
std::vector<FileResult> analyzeFiles(const clang::tooling::CompilationDatabase &Database,
                                     const std::vector<std::string> &Files,
                                     const CommandLine &Options, const RunSettings &Settings);

} // namespace forkhazard::cli

#endif
