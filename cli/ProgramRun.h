// The whole-program run (issue 15): every file is parsed once, summarized for the program's
// facts and checked with what it knows alone; once every summary is in, the facts are merged and
// only the files whose answers they can change (a call of another file's exit helper, reaper or
// fork wrapper; threads started elsewhere) are checked again with them.
#ifndef FORK_HAZARD_CLI_PROGRAM_RUN_H
#define FORK_HAZARD_CLI_PROGRAM_RUN_H

#include "cli/Runner.h"

namespace forkhazard::cli {

struct ProgramRunStatistics {
  unsigned Summarized = 0;  // files whose facts the run used
  unsigned Rechecked = 0;   // files checked again with the program's facts
  bool FromFile = false;    // the facts came from --facts
  unsigned Cached = 0;      // files the cache answered without a parse (--cache-dir)
  /// Files of the database outside the selection that did not parse: their facts are missing.
  std::vector<std::string> UnsummarizedOthers;
};

/// Checks Files as the options say: with the facts collected from every file of the database
/// (AllFiles: those outside the selection are only summarized), read from --facts, or none
/// (--no-facts). Error: an unreadable facts file.
std::vector<FileResult> checkProgram(const clang::tooling::CompilationDatabase &Database,
                                     const std::vector<std::string> &Files,
                                     const std::vector<std::string> &AllFiles,
                                     const CommandLine &Options, RunSettings Settings,
                                     ProgramRunStatistics &Statistics, std::string &Error);

/// fork-hazard-check collect: the summaries of Files, written to Options.OutputFile.
std::vector<FileResult> collectFacts(const clang::tooling::CompilationDatabase &Database,
                                     const std::vector<std::string> &Files,
                                     const CommandLine &Options, RunSettings Settings,
                                     std::string &Error);

/// Whether checking R (whose summary is TU) again with Facts can change its findings.
bool needsProgramFacts(const FileResult &R, const TranslationUnitSummary &TU,
                       const ProgramFacts &Facts);

} // namespace forkhazard::cli

#endif
