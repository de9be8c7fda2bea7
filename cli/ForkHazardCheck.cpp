// fork-hazard-check: the CI lint step. Runs every enabled check over the translation units of a
// compile database (CMake's, bear's, meson's; gcc-built projects too) and writes the findings as
// clang-style text, JSON or SARIF. A thin front end: options, files, output; the analysis is the
// core's (core/Analyzer.h), exactly as the plugin runs it.
#include "analysis/ProgramFacts.h"
#include "cli/Baseline.h"
#include "cli/ChangedLines.h"
#include "cli/CommandLine.h"
#include "cli/CompileCommands.h"
#include "cli/Fixes.h"
#include "cli/ProgramRun.h"
#include "cli/Runner.h"
#include "core/CheckDocs.h"
#include "core/ConfigFile.h"
#include "core/HtmlReport.h"
#include "core/JsonOutput.h"
#include "core/SarifMerge.h"
#include "rules/Rule.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"
#include <chrono>
#include <map>
#include <thread>

using namespace forkhazard;
using namespace forkhazard::cli;

namespace {

int toolError(const std::string &Message) {
  llvm::errs() << "fork-hazard-check: error: " << Message << "\n";
  return 2;
}

/// 0 for "", else the tool error.
int reportError(const std::string &Message) { return Message.empty() ? 0 : toolError(Message); }

/// -o's file, or standard output.
class OutputStream {
public:
  explicit OutputStream(const CommandLine &Options) {
    if (Options.OutputFile.empty() || Options.OutputFile == "-")
      return;
    std::error_code EC;
    File = std::make_unique<llvm::raw_fd_ostream>(Options.OutputFile, EC, llvm::sys::fs::OF_Text);
    if (EC)
      Error = "cannot write '" + Options.OutputFile + "': " + EC.message();
  }
  llvm::raw_ostream &get() { return File ? *File : llvm::outs(); }
  const std::string &error() const { return Error; }

private:
  std::unique_ptr<llvm::raw_fd_ostream> File;
  std::string Error;
};

/// The checks and whether the options (and a --config file) enable each.
int listChecks(const CommandLine &Options) {
  forkhazard::Options Opts;
  std::string Error = optionsForFile(Options.SharedArgs, CliSyntax, "", Opts);
  if (!Error.empty())
    return toolError(Error);
  for (const RuleInfo &Rule : allRules())
    llvm::outs() << fullCheckName(Rule.Name)
                 << (Opts.isCheckEnabled(Rule.Name) ? "" : " (disabled)") << "\n";
  return 0;
}

/// The progress line: rewritten in place on a terminal.
class Progress {
public:
  explicit Progress(bool Enabled) : Enabled(Enabled) {}
  void update(unsigned Done, unsigned Total, llvm::StringRef File) {
    if (!Enabled)
      return;
    unsigned Width = std::to_string(Total).size();
    llvm::errs() << "\r\x1b[K[" << llvm::format_decimal(Done, Width) << "/" << Total << "] "
                 << relativePath(File);
  }
  void finish() {
    if (Enabled)
      llvm::errs() << "\r\x1b[K";
  }
  /// File relative to the working directory when it lies below it, as users typed it.
  static std::string relativePath(llvm::StringRef File) {
    llvm::SmallString<256> Cwd;
    llvm::StringRef Below = llvm::sys::fs::current_path(Cwd) ? "" : pathBelow(File, Cwd);
    return (Below.empty() ? File : Below).str();
  }

private:
  bool Enabled;
};

void printSummary(const std::vector<FileResult> &Results,
                  const std::vector<ResolvedFinding> &Findings,
                  const ProgramRunStatistics &Program, double Seconds) {
  unsigned Failed = 0, Suppressed = 0, NotParsed = 0;
  for (const FileResult &R : Results) {
    Failed += R.failed();
    Suppressed += R.Suppressed;
    NotParsed += R.NotParsed && !R.failed();
  }
  std::map<std::string, unsigned> PerCheck;
  for (const ResolvedFinding &F : Findings)
    ++PerCheck[F.Check];
  auto Count = [](size_t N, llvm::StringRef One, llvm::StringRef Many) {
    return std::to_string(N) + " " + (N == 1 ? One : Many).str();
  };
  llvm::errs() << "fork-hazard-check: " << Count(Results.size() - Failed, "file", "files")
               << " analyzed";
  if (NotParsed)
    llvm::errs() << " (" << NotParsed << " without a fork-family name, not parsed)";
  llvm::errs() << ", " << Failed << " failed, "
               << Count(Findings.size(), "finding", "findings");
  if (!PerCheck.empty()) {
    llvm::errs() << " (";
    bool First = true;
    for (const RuleInfo &Rule : allRules())
      if (PerCheck.count(Rule.Name.str())) {
        llvm::errs() << (First ? "" : ", ") << Rule.Name << " " << PerCheck[Rule.Name.str()];
        First = false;
      }
    llvm::errs() << ")";
  }
  llvm::errs() << ", " << Suppressed << " suppressed by NOLINT, ";
  if (Program.FromFile)
    llvm::errs() << "the facts of " << Count(Program.Summarized, "file", "files")
                 << " from --facts, ";
  else if (Program.Summarized)
    llvm::errs() << "the facts of " << Count(Program.Summarized, "file", "files") << " ("
                 << Program.Rechecked << " checked again with them), ";
  if (Program.Cached)
    llvm::errs() << Program.Cached << " answered by the cache, ";
  llvm::errs() << llvm::format("%.1f", Seconds) << " s\n";
}

/// A file's errors on stderr: clang's, and a tool error once however many files share it (one
/// bad config file read for many sources); Consequence says what the failure costs.
void reportFileErrors(const FileResult &R, llvm::StringSet<> &ToolErrors,
                      llvm::StringRef Consequence) {
  if (!R.ToolError.empty() && ToolErrors.insert(R.ToolError).second)
    llvm::errs() << "fork-hazard-check: error: " << R.ToolError << "\n";
  if (!R.CompilerErrors.empty())
    llvm::errs() << R.CompilerErrors << "fork-hazard-check: error: '"
                 << Progress::relativePath(R.File) << "' does not compile with clang; "
                 << Consequence << "\n";
}

/// merge-facts / merge: the inputs (Options.Paths) into Options.OutputFile.
int mergeFiles(const CommandLine &Options) {
  std::string Error;
  if (Options.Subcommand == "merge-facts") {
    std::vector<TranslationUnitSummary> All;
    llvm::StringSet<> Files;
    for (const std::string &Path : Options.Paths) {
      auto Read = readFactsFile(Path);
      if (!Read)
        return toolError(llvm::toString(Read.takeError()));
      for (TranslationUnitSummary &Summary : *Read)
        if (Files.insert(Summary.File).second) // a file in two shards' facts: once
          All.push_back(std::move(Summary));
    }
    Error = writeFactsFile(Options.OutputFile, All);
    if (Error.empty() && !Options.Quiet)
      llvm::errs() << "fork-hazard-check: the facts of " << All.size() << " files written to '"
                   << Options.OutputFile << "'\n";
    return Error.empty() ? 0 : toolError(Error);
  }
  OutputStream Out(Options);
  if (!Out.error().empty())
    return toolError(Out.error());
  Error = mergeSarifLogs(Options.Paths, Out.get());
  return Error.empty() ? 0 : toolError(Error);
}

/// collect: what could not be summarized, and the exit status.
int reportCollected(const std::vector<FileResult> &Results, const CommandLine &Options) {
  unsigned Failed = 0;
  llvm::StringSet<> ToolErrors;
  for (const FileResult &R : Results) {
    Failed += R.failed();
    reportFileErrors(R, ToolErrors, "its facts are missing");
  }
  if (!Options.Quiet)
    llvm::errs() << "fork-hazard-check: the facts of " << Results.size() - Failed << " of "
                 << Results.size() << " files written to '" << Options.OutputFile << "'\n";
  return Failed ? 2 : 0;
}

/// Where the output's paths (and fingerprints) are relative to: the current directory.
std::string sourceRoot() {
  llvm::SmallString<256> Cwd;
  return llvm::sys::fs::current_path(Cwd) ? std::string() : std::string(Cwd.str());
}

void writeOutput(const CommandLine &Options, const std::vector<ResolvedFinding> &Findings,
                 llvm::raw_ostream &OS) {
  switch (Options.Format) {
  case OutputFormat::Text:
    for (const ResolvedFinding &F : Findings)
      OS << F.RenderedText;
    break;
  case OutputFormat::Json:
    writeJson(OS, Findings, sourceRoot());
    break;
  case OutputFormat::CodeQuality:
    writeCodeQuality(OS, Findings, sourceRoot());
    break;
  case OutputFormat::Html: // written by writeFindings: a directory, not a stream
    break;
  case OutputFormat::Sarif: {
    SarifRun Run;
    Run.ToolVersion = toolVersion().str();
    Run.SourceRoot = sourceRoot();
    writeSarif(OS, Findings, Run);
    break;
  }
  }
}

/// The findings to -o (or standard output) in the chosen format; "" or one error sentence.
std::string writeFindings(const CommandLine &Options,
                          const std::vector<ResolvedFinding> &Findings) {
  if (Options.Format == OutputFormat::Html)
    return writeHtmlReport(Options.OutputFile, Findings, {toolVersion().str(), sourceRoot()});
  OutputStream Output(Options);
  if (Output.error().empty())
    writeOutput(Options, Findings, Output.get());
  return Output.error();
}

struct NewFindingsOnly {
  unsigned InBaseline = 0, OffChangedLines = 0;
};

/// --baseline, --diff and --changed-lines-from: drops the findings that are not new; returns ""
/// or one error sentence (an unreadable baseline or diff is a tool error, never "no findings").
std::string keepNewFindings(const CommandLine &Options, std::vector<ResolvedFinding> &Findings,
                            NewFindingsOnly &Counts) {
  if (!Options.Baseline.empty()) {
    std::vector<BaselineEntry> Baseline;
    std::string Error = readBaseline(Options.Baseline, Baseline);
    if (!Error.empty())
      return Error;
    Counts.InBaseline = removeBaselineFindings(Findings, std::move(Baseline), sourceRoot());
  }
  if (Options.DiffFile.empty() && Options.ChangedLinesFrom.empty())
    return "";
  if (!Options.DiffFile.empty() && !Options.ChangedLinesFrom.empty())
    return "--diff and --changed-lines-from both name the changed lines; give one";
  ChangedLines Lines;
  std::string Error = Options.DiffFile.empty() ? changedLinesFromGit(Options.ChangedLinesFrom, Lines)
                                               : readDiffFile(Options.DiffFile, Lines);
  if (!Error.empty())
    return Error;
  Counts.OffChangedLines = keepChangedFindings(Findings, Lines);
  return "";
}

int run(int Argc, const char **Argv) {
  auto Start = std::chrono::steady_clock::now();
  CommandLine Options;
  std::string Error = parseCommandLine(Argc, Argv, Options);
  if (!Error.empty())
    return toolError(Error);
  if (Options.Help) {
    llvm::outs() << cliHelpText();
    return 0;
  }
  if (Options.Version) {
    llvm::outs() << "fork-hazard-check " << toolVersion() << " (LLVM " LLVM_VERSION_STRING ")\n";
    return 0;
  }
  if (Options.ListChecks) {
    return listChecks(Options);
  }
  if (Options.Subcommand == "merge-facts" || Options.Subcommand == "merge")
    return mergeFiles(Options);
  auto Database = loadDatabase(Options.BuildPath, Error);
  if (!Database)
    return toolError(Error);
  std::vector<std::string> Files = selectFiles(*Database, Options.Paths, Error);
  if (!Error.empty())
    return toolError(Error);
  if (Files.empty())
    return toolError("the compile database '" + Options.BuildPath + "' has no entries");
  std::vector<std::string> AllFiles =
      Options.Paths.empty() ? Files : selectFiles(*Database, {}, Error);
  if (Options.ShardCount) {
    Files = selectShard(Files, AllFiles, Options.ShardIndex, Options.ShardCount);
    if (Files.empty()) { // a small database, many runners: nothing for this one
      if (!Options.Quiet)
        llvm::errs() << "fork-hazard-check: shard " << Options.ShardIndex << "/"
                     << Options.ShardCount << " has no files\n";
      if (Options.Subcommand == "collect")
        return reportError(writeFactsFile(Options.OutputFile, {}));
      return reportError(writeFindings(Options, {}));
    }
  }

  bool ToFile = !Options.OutputFile.empty() && Options.OutputFile != "-";
  RunSettings Settings;
  Settings.Jobs = Options.Jobs ? Options.Jobs : std::max(1u, std::thread::hardware_concurrency());
  Settings.Color = Options.Format == OutputFormat::Text &&
                   (Options.Color == ColorMode::Always ||
                    (Options.Color == ColorMode::Auto && !ToFile &&
                     llvm::sys::Process::StandardOutIsDisplayed()));
  Progress Bar(!Options.Quiet && llvm::sys::Process::StandardErrIsDisplayed());
  Settings.Progress = [&](unsigned Done, unsigned Total, llvm::StringRef File) {
    Bar.update(Done, Total, File);
  };
  ProgramRunStatistics Program;
  std::vector<FileResult> Results =
      Options.Subcommand == "collect"
          ? collectFacts(*Database, Files, Options, Settings, Error)
          : checkProgram(*Database, Files, AllFiles, Options, Settings, Program, Error);
  Bar.finish();
  if (!Error.empty())
    return toolError(Error);
  if (Options.Subcommand == "collect")
    return reportCollected(Results, Options);

  bool AnyFailed = false;
  std::vector<ResolvedFinding> Findings;
  llvm::StringSet<> ToolErrors;
  for (FileResult &R : Results) {
    AnyFailed |= R.failed();
    reportFileErrors(R, ToolErrors, "it was not analyzed");
    llvm::errs() << R.Statistics; // the stats option's lines, in database order
    for (ResolvedFinding &F : R.Findings)
      Findings.push_back(std::move(F));
  }
  sortAndMerge(Findings);
  NewFindingsOnly Filtered;
  Error = keepNewFindings(Options, Findings, Filtered);
  if (!Error.empty())
    return toolError(Error);
  if (!Program.UnsummarizedOthers.empty())
    llvm::errs() << "fork-hazard-check: warning: '"
                 << Progress::relativePath(Program.UnsummarizedOthers.front()) << "'"
                 << (Program.UnsummarizedOthers.size() > 1
                         ? " and " + std::to_string(Program.UnsummarizedOthers.size() - 1) +
                               " more files"
                         : std::string())
                 << " of the database, outside the files checked, do not compile with clang; "
                    "the program's facts lack theirs\n";

  Error = writeFindings(Options, Findings);
  if (!Error.empty())
    return toolError(Error);
  if (!Options.ExportFixes.empty()) {
    Error = exportFixes(Options.ExportFixes, Findings);
    if (!Error.empty())
      return toolError(Error);
  }
  if (Options.Fix) {
    unsigned Applied = 0;
    Error = applyFixes(Findings, Applied);
    if (!Error.empty())
      return toolError(Error);
    if (!Options.Quiet)
      llvm::errs() << "fork-hazard-check: applied the fix-its of " << Applied << " findings\n";
  }
  if (!Options.Quiet) {
    printSummary(Results, Findings, Program,
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - Start).count());
    if (!Options.Baseline.empty())
      llvm::errs() << "fork-hazard-check: " << Filtered.InBaseline
                   << " findings of the baseline not reported\n";
    if (!Options.DiffFile.empty() || !Options.ChangedLinesFrom.empty())
      llvm::errs() << "fork-hazard-check: " << Filtered.OffChangedLines
                   << " findings off the changed lines not reported\n";
  }
  if (AnyFailed)
    return 2;
  for (const ResolvedFinding &F : Findings)
    if (Options.FailOn == FailLevel::Warning || (Options.FailOn == FailLevel::Error && F.IsError))
      return 1;
  return 0;
}

} // namespace

int main(int Argc, const char **Argv) {
  llvm::CrashRecoveryContext::Enable(); // each TU runs under its own recovery context
  return run(Argc, Argv);
}
