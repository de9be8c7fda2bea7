#include "cli/ProgramRun.h"

#include "analysis/ProgramFacts.h"
#include "llvm/ADT/StringSet.h"

namespace forkhazard::cli {

bool needsProgramFacts(const FileResult &R, const ProgramFacts &Facts) {
  if (!R.Summary || R.failed())
    return false;
  const TranslationUnitSummary &TU = *R.Summary;
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
  if (!TU.ThreadCreation.valid() && Facts.threadCreation().valid())
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
         (Facts.backgroundReaper().valid() || Facts.anyChildWaitOutside("").valid());
}

static std::vector<TranslationUnitSummary> summariesOf(std::vector<FileResult> &Results) {
  std::vector<TranslationUnitSummary> All;
  for (FileResult &R : Results)
    if (R.Summary && !R.failed())
      All.push_back(*R.Summary);
  return All;
}

std::vector<FileResult> checkProgram(const clang::tooling::CompilationDatabase &Database,
                                     const std::vector<std::string> &Files,
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
  Settings.Summarize = true;
  std::vector<FileResult> Results = analyzeFiles(Database, Files, Options, Settings);
  ProgramFacts Facts(summariesOf(Results));
  Statistics.Summarized = Facts.summaries().size();
  std::vector<FileResult *> Again;
  for (FileResult &R : Results)
    if (needsProgramFacts(R, Facts)) {
      std::string File = std::move(R.File);
      R = FileResult();
      R.File = std::move(File);
      Again.push_back(&R);
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
