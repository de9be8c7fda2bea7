#include "cli/ProgramRun.h"

#include "analysis/ProgramFacts.h"
#include "llvm/ADT/StringSet.h"

namespace forkhazard::cli {

bool needsProgramFacts(const FileResult &R, const TranslationUnitSummary &TU,
                       const ProgramFacts &Facts) {
  if (R.failed())
    return false;
  llvm::StringSet<> Own;
  for (const FunctionSummary &F : TU.Functions)
    Own.insert(F.Key);
  bool CallsKnownFunction = false;
  for (const FunctionSummary &F : TU.Functions)
    for (const std::string &Callee : F.Callees) {
      if (Own.count(Callee))
        continue;
      const ProgramFunction *Elsewhere = Facts.function(Callee);
      if (!Elsewhere)
        continue;
      if (Elsewhere->ForkWrapper)
        return true; // its calls are fork sites: a file without fork calls forks after all
      CallsKnownFunction |= Elsewhere->End != Ending::Returns || Elsewhere->Waits;
    }
  if (!R.Forks)
    return false;
  if (CallsKnownFunction)
    return true;
  if (!TU.ThreadCreation.valid() && Facts.startsThreads())
    return true; // unsafe-call-in-child: threads started elsewhere
  // A SIGCHLD handler of another file, given the benefit of the doubt alone.
  for (const ReaperCandidate &Reaper : TU.Reapers)
    if (!Reaper.FunctionKey.empty() && !Own.count(Reaper.FunctionKey) &&
        Facts.function(Reaper.FunctionKey))
      return true;
  // Reapers elsewhere only silence missing-wait.
  bool MissingWait = false;
  for (const ResolvedFinding &F : R.Findings)
    MissingWait |= F.Check == "missing-wait";
  return MissingWait &&
         (Facts.hasBackgroundReaper() || Facts.waitsForAnyChildSomewhere());
}

/// The summaries of the files that parsed, moved out of Results; Owner[i] is the summary of
/// Results[i], or -1.
static std::vector<TranslationUnitSummary> summariesOf(std::vector<FileResult> &Results,
                                                       std::vector<int> *Owner = nullptr) {
  std::vector<TranslationUnitSummary> All;
  for (FileResult &R : Results) {
    bool Kept = R.Summary && !R.failed();
    if (Owner)
      Owner->push_back(Kept ? int(All.size()) : -1);
    if (Kept)
      All.push_back(std::move(*R.Summary));
    R.Summary.reset();
  }
  return All;
}

/// The facts of the database's files outside the selection: summarized, not checked.
static std::vector<FileResult>
summarizeOthers(const clang::tooling::CompilationDatabase &Database,
                const std::vector<std::string> &Files, const std::vector<std::string> &AllFiles,
                const CommandLine &Options, RunSettings Settings) {
  llvm::StringSet<> Selected;
  for (const std::string &File : Files)
    Selected.insert(File);
  std::vector<std::string> Others;
  for (const std::string &File : AllFiles)
    if (!Selected.count(File))
      Others.push_back(File);
  if (Others.empty())
    return {};
  Settings.Summarize = true;
  Settings.SummariesOnly = true;
  return analyzeFiles(Database, Others, Options, Settings);
}

std::vector<FileResult> checkProgram(const clang::tooling::CompilationDatabase &Database,
                                     const std::vector<std::string> &Files,
                                     const std::vector<std::string> &AllFiles,
                                     const CommandLine &Options, RunSettings Settings,
                                     ProgramRunStatistics &Statistics, std::string &Error) {
  if (Options.NoFacts)
    return analyzeFiles(Database, Files, Options, Settings);
  if (!Options.FactsFile.empty()) {
    auto Read = readFactsFile(Options.FactsFile);
    if (!Read) {
      Error = llvm::toString(Read.takeError());
      return {};
    }
    Statistics.FromFile = true;
    Statistics.Summarized = Read->size();
    ProgramFacts Facts(std::move(*Read));
    Settings.Facts = &Facts;
    return analyzeFiles(Database, Files, Options, Settings);
  }
  std::vector<FileResult> Others = summarizeOthers(Database, Files, AllFiles, Options, Settings);
  Settings.Summarize = true;
  std::vector<FileResult> Results = analyzeFiles(Database, Files, Options, Settings);
  std::vector<int> Owner;
  std::vector<TranslationUnitSummary> Summaries = summariesOf(Results, &Owner);
  for (TranslationUnitSummary &Summary : summariesOf(Others))
    Summaries.push_back(std::move(Summary));
  for (const FileResult &Other : Others)
    if (Other.failed())
      Statistics.UnsummarizedOthers.push_back(Other.File);
  ProgramFacts Facts(std::move(Summaries));
  Statistics.Summarized = Facts.summaries().size();
  std::vector<FileResult *> Again;
  for (size_t I = 0; I < Results.size(); ++I) {
    FileResult &R = Results[I];
    if (Owner[I] >= 0 && needsProgramFacts(R, Facts.summaries()[Owner[I]], Facts)) {
      std::string File = std::move(R.File);
      R = FileResult();
      R.File = std::move(File);
      Again.push_back(&R);
    }
  }
  Statistics.Rechecked = Again.size();
  if (Again.empty())
    return Results;
  Settings.Summarize = false;
  Settings.Facts = &Facts;
  analyzeFiles(Database, std::move(Again), Options, Settings);
  return Results;
}

std::vector<FileResult> collectFacts(const clang::tooling::CompilationDatabase &Database,
                                     const std::vector<std::string> &Files,
                                     const CommandLine &Options, RunSettings Settings,
                                     std::string &Error) {
  Settings.Summarize = true;
  Settings.SummariesOnly = true;
  std::vector<FileResult> Results = analyzeFiles(Database, Files, Options, Settings);
  Error = writeFactsFile(Options.OutputFile, summariesOf(Results));
  return Results;
}

} // namespace forkhazard::cli
