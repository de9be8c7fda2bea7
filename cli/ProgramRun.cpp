#include "cli/ProgramRun.h"

#include "analysis/ProgramFacts.h"
#include "cli/ResultCache.h"
#include "core/CheckDocs.h"
#include "core/ConfigFile.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/ADT/STLExtras.h"
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
      if (Elsewhere->ForkWrapper || Elsewhere->HandsChildToCaller || Elsewhere->ProcessValues)
        return true; // its calls are checked: a file without fork calls has something to check
      CallsKnownFunction |= Elsewhere->End != Ending::Returns || Elsewhere->Waits ||
                            Elsewhere->MayThrow || !Elsewhere->ParametersOnlyUsed.empty() ||
                            Elsewhere->Unsafe;
    }
  if (!R.Forks)
    return false;
  if (CallsKnownFunction)
    return true;
  // A caller elsewhere throws away what one of its functions tells the processes (child-escape).
  if (llvm::any_of(TU.Functions, [&](const FunctionSummary &F) {
        const ProgramFunction *Merged = F.ProcessValues ? Facts.function(F.Key) : nullptr;
        return Merged && Merged->ResultDiscarded.valid();
      }))
    return true;
  // Only what may run in the processes of this TU's functions counts (ProgramFacts).
  auto AnyFunction = [&](auto Counts) {
    return llvm::any_of(TU.Functions, [&](const FunctionSummary &F) { return Counts(F.Key); });
  };
  if (!TU.ThreadCreation.valid() && Facts.startsThreads() &&
      AnyFunction([&](llvm::StringRef Key) { return Facts.threadCreationFor(Key) != nullptr; }))
    return true; // unsafe-call-in-child: threads started elsewhere
  if (!Facts.signalFactsFor(TU).empty())
    return true; // signal-state-leak: ignores and blocks made elsewhere, or undone elsewhere
  if (AnyFunction([&](llvm::StringRef Key) {
        return !Facts.openDescriptorsFor(Key, TU.File).empty();
      }))
    return true; // fd-leak-into-exec: descriptors other files keep open
  // A SIGCHLD handler of another file, given the benefit of the doubt alone.
  for (const ReaperCandidate &Reaper : TU.Reapers)
    if (!Reaper.FunctionKey.empty() && !Own.count(Reaper.FunctionKey) &&
        Facts.function(Reaper.FunctionKey))
      return true;
  // Reapers elsewhere only silence missing-wait.
  bool MissingWait = false;
  for (const ResolvedFinding &F : R.Findings)
    MissingWait |= F.Check == "missing-wait";
  return MissingWait && AnyFunction([&](llvm::StringRef Key) {
           return Facts.backgroundReaperFor(Key).valid() ||
                  Facts.anyChildWaitOutside(Key).valid();
         });
}

/// The summaries of the files that parsed, moved out of Results.
static std::vector<TranslationUnitSummary> summariesOf(std::vector<FileResult> &Results) {
  std::vector<TranslationUnitSummary> All;
  for (FileResult &R : Results) {
    if (R.Summary && !R.failed())
      All.push_back(std::move(*R.Summary));
    R.Summary.reset();
  }
  return All;
}

namespace {

/// One run's use of --cache-dir (or none): results answered from its entries, new ones stored.
/// Called from the main thread only, between the parallel parses.
class CacheUse {
public:
  CacheUse(const clang::tooling::CompilationDatabase &Database, const CommandLine &Options)
      : Database(Database) {
    if (Options.CacheDir.empty())
      return;
    std::string RunKey = toolVersion().str() + "\n" LLVM_VERSION_STRING "\n";
    for (const auto *List : {&Options.SharedArgs, &Options.ExtraArgsBefore, &Options.ExtraArgs,
                             &Options.RemovedArgs})
      RunKey += llvm::join(*List, "\x1f") + "\n";
    RunKey += Options.Color == ColorMode::Always ? "color" : "";
    Cache = std::make_unique<ResultCache>(Options.CacheDir, RunKey);
    Error = Cache->prepare();
  }
  bool enabled() const { return Cache && Error.empty(); }
  const std::string &error() const { return Error; }
  unsigned answered() const { return Answered; }

  /// R's summary (and with Findings its findings judged alone) from a valid entry.
  bool answerAlone(FileResult &R, bool Findings) {
    CacheEntry *Entry = entryOf(R.File);
    if (!Entry || (Findings && !Entry->Alone))
      return false;
    R.Summary = Entry->Summary;
    if (Findings)
      fill(R, *Entry->Alone);
    ++Answered;
    return true;
  }
  /// R's findings judged with facts whose digest is Digest.
  bool answerWithFacts(FileResult &R, const std::string &Digest) {
    CacheEntry *Entry = entryOf(R.File);
    if (!Entry || !Entry->WithFacts || Entry->FactsDigest != Digest)
      return false;
    fill(R, *Entry->WithFacts);
    return true;
  }
  const TranslationUnitSummary *cachedSummary(const std::string &File) {
    CacheEntry *Entry = entryOf(File);
    return Entry ? &Entry->Summary : nullptr;
  }

  void storeAlone(const FileResult &R, bool Findings) {
    if (!enabled() || R.failed() || !R.Summary || R.NotParsed)
      return;
    CacheEntry Entry = fresh(R, *R.Summary);
    if (Findings)
      Entry.Alone = findingsOf(R);
    keep(R.File, std::move(Entry));
  }
  void storeWithFacts(const FileResult &R, const TranslationUnitSummary &Summary,
                      const std::string &Digest) {
    if (!enabled() || R.failed() || R.NotParsed)
      return;
    CacheEntry *Known = entryOf(R.File);
    CacheEntry Entry = Known ? *Known : fresh(R, Summary);
    Entry.WithFacts = findingsOf(R);
    Entry.FactsDigest = Digest;
    keep(R.File, std::move(Entry));
  }

private:
  CacheEntry *entryOf(const std::string &File) {
    if (!enabled())
      return nullptr;
    auto Found = Entries.find(File);
    if (Found == Entries.end())
      Found = Entries.try_emplace(File, Cache->load(File, commandKey(File))).first;
    return Found->second ? &*Found->second : nullptr;
  }
  /// The file's commands (and its config file, whose content is one of its inputs), computed
  /// once per file: each lookup and store of its entry needs it.
  const std::string &commandKey(const std::string &File) {
    auto Known = CommandKeys.find(File);
    if (Known != CommandKeys.end())
      return Known->second;
    std::string Key = findConfigFile(File) + "\n";
    for (const clang::tooling::CompileCommand &Command : Database.getCompileCommands(File))
      Key += Command.Directory + "\x1f" + llvm::join(Command.CommandLine, "\x1f") + "\n";
    return CommandKeys[File] = llvm::utohexstr(stableHash(Key));
  }
  CacheEntry fresh(const FileResult &R, const TranslationUnitSummary &Summary) {
    CacheEntry Entry;
    for (const std::string &Input : R.Inputs)
      Entry.Inputs.emplace_back(Input, 0);
    std::string Config = findConfigFile(R.File);
    if (!Config.empty())
      Entry.Inputs.emplace_back(Config, 0);
    Entry.Summary = Summary;
    return Entry;
  }
  void keep(const std::string &File, CacheEntry Entry) {
    Cache->store(File, commandKey(File), Entry);
    Entries[File] = std::move(Entry);
  }
  static CachedFindings findingsOf(const FileResult &R) {
    return {R.Findings, R.Suppressed, R.Statistics, R.Forks};
  }
  static void fill(FileResult &R, const CachedFindings &C) {
    R.Findings = C.Findings;
    R.Suppressed = C.Suppressed;
    R.Statistics = C.Statistics;
    R.Forks = C.Forks;
  }

  const clang::tooling::CompilationDatabase &Database;
  std::unique_ptr<ResultCache> Cache;
  std::string Error;
  llvm::StringMap<std::optional<CacheEntry>> Entries;
  llvm::StringMap<std::string> CommandKeys;
  unsigned Answered = 0;
};

std::vector<FileResult> resultsFor(const std::vector<std::string> &Files) {
  std::vector<FileResult> Results(Files.size());
  for (size_t I = 0; I < Files.size(); ++I)
    Results[I].File = Files[I];
  return Results;
}

/// Parses the results the cache does not answer, then lets the cache keep them.
template <typename Answer, typename Store>
void parseUnanswered(const clang::tooling::CompilationDatabase &Database,
                     std::vector<FileResult> &Results, const CommandLine &Options,
                     const RunSettings &Settings, Answer AnswerFromCache, Store Keep) {
  std::vector<FileResult *> Pending;
  for (FileResult &R : Results)
    if (!AnswerFromCache(R))
      Pending.push_back(&R);
  analyzeFiles(Database, Pending, Options, Settings);
  for (FileResult *R : Pending)
    Keep(*R);
}

std::vector<std::string> othersThan(const std::vector<std::string> &Files,
                                    const std::vector<std::string> &AllFiles) {
  llvm::StringSet<> Selected;
  for (const std::string &File : Files)
    Selected.insert(File);
  std::vector<std::string> Others;
  for (const std::string &File : AllFiles)
    if (!Selected.count(File))
      Others.push_back(File);
  return Others;
}

} // namespace

std::vector<FileResult> checkProgram(const clang::tooling::CompilationDatabase &Database,
                                     const std::vector<std::string> &Files,
                                     const std::vector<std::string> &AllFiles,
                                     const CommandLine &Options, RunSettings Settings,
                                     ProgramRunStatistics &Statistics, std::string &Error) {
  CacheUse Cache(Database, Options);
  if (!Cache.error().empty()) {
    Error = Cache.error();
    return {};
  }
  Settings.RecordInputs = Cache.enabled();
  Settings.Summarize = Cache.enabled(); // the cache keeps every TU's summary
  std::vector<FileResult> Results = resultsFor(Files);
  if (Options.NoFacts) {
    parseUnanswered(
        Database, Results, Options, Settings,
        [&](FileResult &R) { return Cache.answerAlone(R, true); },
        [&](FileResult &R) { Cache.storeAlone(R, true); });
    Statistics.Cached = Cache.answered();
    return Results;
  }
  std::optional<ProgramFacts> FromFile;
  if (!Options.FactsFile.empty()) {
    auto Read = readFactsFile(Options.FactsFile);
    if (!Read) {
      Error = llvm::toString(Read.takeError());
      return {};
    }
    Statistics.FromFile = true;
    Statistics.Summarized = Read->size();
    FromFile.emplace(std::move(*Read));
    Settings.Facts = &*FromFile;
    parseUnanswered(
        Database, Results, Options, Settings,
        [&](FileResult &R) {
          const TranslationUnitSummary *TU = Cache.cachedSummary(R.File);
          bool Answered = TU && Cache.answerWithFacts(R, factsDigest(*TU, *FromFile));
          Statistics.Cached += Answered;
          return Answered;
        },
        [&](FileResult &R) {
          if (R.Summary)
            Cache.storeWithFacts(R, *R.Summary, factsDigest(*R.Summary, *FromFile));
        });
    return Results;
  }

  // The default: summaries of every file of the database (the others only summarized), the
  // facts merged, the files they concern checked again.
  std::vector<FileResult> Others = resultsFor(othersThan(Files, AllFiles));
  RunSettings SummariesOnly = Settings;
  SummariesOnly.Summarize = SummariesOnly.SummariesOnly = true;
  parseUnanswered(
      Database, Others, Options, SummariesOnly,
      [&](FileResult &R) { return Cache.answerAlone(R, false); },
      [&](FileResult &R) { Cache.storeAlone(R, false); });
  Settings.Summarize = true;
  parseUnanswered(
      Database, Results, Options, Settings,
      [&](FileResult &R) { return Cache.answerAlone(R, true); },
      [&](FileResult &R) { Cache.storeAlone(R, true); });
  Statistics.Cached = Cache.answered();
  for (const FileResult &Other : Others)
    if (Other.failed())
      Statistics.UnsummarizedOthers.push_back(Other.File);

  std::vector<TranslationUnitSummary> Summaries = summariesOf(Results);
  for (TranslationUnitSummary &Summary : summariesOf(Others))
    Summaries.push_back(std::move(Summary));
  ProgramFacts Facts(std::move(Summaries));
  Statistics.Summarized = Facts.summaries().size();
  llvm::StringMap<const TranslationUnitSummary *> SummaryOf;
  for (const TranslationUnitSummary &TU : Facts.summaries())
    SummaryOf[TU.File] = &TU;

  std::vector<FileResult *> Again;
  std::vector<std::string> Digests;
  for (FileResult &R : Results) {
    const TranslationUnitSummary *TU = SummaryOf.lookup(R.File);
    if (!TU || !needsProgramFacts(R, *TU, Facts))
      continue;
    ++Statistics.Rechecked;
    std::string Digest = Cache.enabled() ? factsDigest(*TU, Facts) : "";
    if (Cache.answerWithFacts(R, Digest))
      continue;
    std::string File = std::move(R.File);
    R = FileResult();
    R.File = std::move(File);
    Again.push_back(&R);
    Digests.push_back(std::move(Digest));
  }
  Settings.Summarize = false;
  Settings.Facts = &Facts;
  analyzeFiles(Database, Again, Options, Settings);
  for (size_t I = 0; I < Again.size(); ++I)
    Cache.storeWithFacts(*Again[I], *SummaryOf.lookup(Again[I]->File), Digests[I]);
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
