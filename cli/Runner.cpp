#include "cli/Runner.h"

#include "cli/CompileCommands.h"
#include "cli/ForkNamePrescan.h"
#include "cli/TextRendering.h"
#include "core/Analyzer.h"
#include "core/ConfigFile.h"
#include "core/NolintComments.h"
#include "analysis/ProgramSummary.h"
#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ASTContext.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Frontend/TextDiagnosticPrinter.h"
#include "clang/Frontend/Utils.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/VirtualFileSystem.h"
#include <atomic>
#include <mutex>
#include <thread>

using namespace clang;
using namespace clang::tooling;

namespace forkhazard::cli {

namespace {

/// Receives a TU's findings: each is resolved, and rendered as clang would print it.
class CollectingSink : public FindingSink {
public:
  CollectingSink(FindingRenderer &Renderer, const LangOptions &Lang, bool IsError,
                 std::vector<ResolvedFinding> &Out)
      : Renderer(Renderer), Lang(Lang), IsError(IsError), Out(Out) {}

  void report(const Finding &F, const SourceManager &SM) override {
    Out.push_back(resolveFinding(F, SM, Lang, IsError));
    Out.back().RenderedText = Renderer.render(F, SM);
  }

private:
  FindingRenderer &Renderer;
  const LangOptions &Lang;
  bool IsError;
  std::vector<ResolvedFinding> &Out;
};

struct TranslationUnitJob {
  const Options &Opts;
  const RunSettings &Settings;
  FileResult &Result;
  bool ParseFailed = false;
};

class AnalysisConsumer : public ASTConsumer {
public:
  AnalysisConsumer(CompilerInstance &CI, TranslationUnitJob &Job) : CI(CI), Job(Job) {}
  void HandleTranslationUnit(ASTContext &Ctx) override {
    if (Ctx.getDiagnostics().hasErrorOccurred()) {
      Job.ParseFailed = true;
      return;
    }
    // The build's -w/-Werror do not matter: a finding is a warning, or an error with werror.
    DiagnosticIDs::Level Level = Job.Opts.Werror ? DiagnosticIDs::Error : DiagnosticIDs::Warning;
    FindingRenderer Renderer(Job.Settings.Color, Level, Ctx.getLangOpts(), &CI.getPreprocessor(),
                             Ctx.getSourceManager());
    CollectingSink Collect(Renderer, Ctx.getLangOpts(), Level == DiagnosticIDs::Error,
                           Job.Result.Findings);
    NolintFilter Sink(Collect);
    ProgramContext Program;
    Program.Facts = Job.Settings.Facts;
    TranslationUnitSummary Summary;
    if (Job.Settings.Summarize)
      Program.Summary = &Summary;
    forkhazard::Options Opts = Job.Opts;
    if (Job.Settings.SummariesOnly)
      Opts.Checks.add("-*"); // the summary only
    AnalysisStatistics Stats = analyzeTranslationUnit(
        Ctx, CI.hasSema() ? &CI.getSema() : nullptr, Opts, Sink, Program);
    if (Job.Settings.Summarize)
      Job.Result.Summary = std::move(Summary);
    Job.Result.Forks |= Stats.Analyzed;
    Job.Result.Suppressed += Sink.suppressed();
    if (Job.Opts.Stats)
      Job.Result.Statistics += statisticsLine(Job.Result.File, Stats,
                                              Stats.Findings - Sink.suppressed(),
                                              Sink.suppressed(), "in the analysis");
  }

private:
  CompilerInstance &CI;
  TranslationUnitJob &Job;
};

/// Every file the preprocessor enters, system headers too (a changed header changes the TU).
class InputCollector : public DependencyCollector {
  bool needSystemDependencies() override { return true; }
};

class AnalysisAction : public ASTFrontendAction {
public:
  explicit AnalysisAction(TranslationUnitJob &Job) : Job(Job) {}
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI, llvm::StringRef) override {
    if (Job.Settings.RecordInputs) {
      Inputs = std::make_shared<InputCollector>();
      Inputs->attachToPreprocessor(CI.getPreprocessor());
    }
    return std::make_unique<AnalysisConsumer>(CI, Job);
  }
  void EndSourceFileAction() override {
    if (!Inputs)
      return;
    FileManager &Files = getCompilerInstance().getFileManager();
    for (const std::string &Input : Inputs->getDependencies()) {
      llvm::SmallString<256> Path(Input);
      Files.makeAbsolutePath(Path); // against the command's directory
      llvm::sys::path::remove_dots(Path, /*remove_dot_dot=*/true);
      Job.Result.Inputs.push_back(std::string(Path.str()));
    }
  }

private:
  TranslationUnitJob &Job;
  std::shared_ptr<InputCollector> Inputs;
};

void analyzeFile(const CompilationDatabase &Database, const CommandLine &Options,
                 const ArgumentsAdjuster &Adjust, const RunSettings &Settings,
                 FileResult &Result) {
  const bool Color = Settings.Color;
  if (!llvm::sys::fs::exists(Result.File)) {
    Result.ToolError = "the compile database names '" + Result.File +
                       "', which does not exist (is the database out of date?)";
    return;
  }
  forkhazard::Options Opts;
  std::string ConfigError = optionsForFile(Options.SharedArgs, CliSyntax, Result.File, Opts);
  if (!ConfigError.empty()) {
    Result.ToolError = ConfigError;
    return;
  }
  // The compiler's own diagnostics (with -w, only errors): printed when the TU does not parse.
  std::string CompilerText;
  llvm::raw_string_ostream CompilerStream(CompilerText);
  CompilerStream.enable_colors(Color);
  TextOptions CompilerOptions(Color);
  TextDiagnosticPrinter Printer(CompilerStream, CompilerOptions.get());
  bool Failed = false;
  for (const CompileCommand &Command : Database.getCompileCommands(Result.File)) {
    // A file system of this file's own, so the working directory is per thread.
    llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS(
        llvm::vfs::createPhysicalFileSystem().release());
    FS->setCurrentWorkingDirectory(Command.Directory);
    llvm::IntrusiveRefCntPtr<FileManager> Files(new FileManager(FileSystemOptions(), FS));
    std::vector<std::string> Args = Adjust(Command.CommandLine, Command.Filename);
    Args.push_back("-fno-caret-diagnostics"); // the compiler's own "N errors generated." off
    // A crash in one TU (clang's or ours) is that TU's error, not the end of the whole run.
    auto RunSafely = [&](std::unique_ptr<FrontendAction> Action) {
      ToolInvocation Invocation(Args, std::move(Action), Files.get());
      Invocation.setDiagnosticConsumer(&Printer);
      bool Ran = false;
      llvm::CrashRecoveryContext Recovery;
      if (!Recovery.RunSafely([&] { Ran = Invocation.run(); }))
        Result.ToolError = "analyzing '" + Result.File +
                           "' crashed; please report it (with the file and its compile command)";
      return Ran && Printer.getNumErrors() == 0;
    };
    if (Options.SkipFilesWithoutFork) {
      bool NamesFork = false;
      bool Preprocessed =
          RunSafely(std::make_unique<ForkNamePrescan>(forkFunctionNames(Opts, Settings.Facts),
                                                      NamesFork));
      if (!Result.ToolError.empty())
        return;
      Failed |= !Preprocessed;
      if (!Preprocessed || !NamesFork) {
        Result.NotParsed |= Preprocessed;
        continue;
      }
    }
    TranslationUnitJob Job{Opts, Settings, Result};
    bool Parsed = RunSafely(std::make_unique<AnalysisAction>(Job));
    if (!Result.ToolError.empty())
      return;
    Failed |= !Parsed || Job.ParseFailed;
  }
  if (Result.NotParsed && Opts.Stats)
    Result.Statistics += "fork-hazard: " + Result.File +
                        ": no fork-family name in its tokens, not parsed "
                        "(--skip-files-without-fork)\n";
  CompilerStream.flush();
  if (Failed)
    Result.CompilerErrors = CompilerText.empty()
                                ? "error: clang could not process '" + Result.File + "'\n"
                                : CompilerText;
}

} // namespace

void analyzeFiles(const CompilationDatabase &Database, std::vector<FileResult *> Results,
                  const CommandLine &Options, const RunSettings &Settings) {
  const ArgumentsAdjuster Adjust = toolAdjuster(Options); // shared: it only reads
  std::atomic<size_t> Next{0};
  std::mutex ProgressLock;
  unsigned Done = 0;
  auto Work = [&] {
    for (size_t I = Next++; I < Results.size(); I = Next++) {
      analyzeFile(Database, Options, Adjust, Settings, *Results[I]);
      std::lock_guard<std::mutex> Guard(ProgressLock);
      ++Done;
      if (Settings.Progress)
        Settings.Progress(Done, Results.size(), Results[I]->File);
    }
  };
  unsigned Jobs = std::max(1u, std::min<unsigned>(Settings.Jobs, Results.size()));
  std::vector<std::thread> Threads;
  for (unsigned I = 1; I < Jobs; ++I)
    Threads.emplace_back(Work);
  Work();
  for (std::thread &Thread : Threads)
    Thread.join();
}

std::vector<FileResult> analyzeFiles(const CompilationDatabase &Database,
                                     const std::vector<std::string> &Files,
                                     const CommandLine &Options, const RunSettings &Settings) {
  std::vector<FileResult> Results(Files.size());
  std::vector<FileResult *> Pointers;
  for (size_t I = 0; I < Files.size(); ++I) {
    Results[I].File = Files[I];
    Pointers.push_back(&Results[I]);
  }
  analyzeFiles(Database, std::move(Pointers), Options, Settings);
  return Results;
}

} // namespace forkhazard::cli
