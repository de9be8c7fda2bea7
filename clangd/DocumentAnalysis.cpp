#include "clangd/DocumentAnalysis.h"

#include "analysis/ProgramFacts.h"
#include "cli/CommandLine.h"
#include "cli/CompileCommands.h"
#include "clangd/LspFindings.h"
#include "core/Analyzer.h"
#include "core/ConfigFile.h"
#include "core/NolintComments.h"
#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ASTContext.h"
#include "clang/Basic/DiagnosticOptions.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/CompilerInvocation.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Frontend/PrecompiledPreamble.h"
#include "clang/Lex/PreprocessorOptions.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/VirtualFileSystem.h"
#include <chrono>
#include <cstdlib>
#include <thread>
#include <type_traits>

using namespace clang;

namespace forkhazard::clangd {

const OptionSyntax ProxySyntax{"--fork-hazard-", "fork-hazard-clangd"};

namespace {

/// DiagnosticOptions as this LLVM's engines take them (by reference from LLVM 21).
struct DiagnosticSettings {
#if LLVM_VERSION_MAJOR >= 21
  DiagnosticOptions Options;
  DiagnosticOptions &get() { return Options; }
#else
  llvm::IntrusiveRefCntPtr<DiagnosticOptions> Options{new DiagnosticOptions()};
  DiagnosticOptions *get() { return Options.get(); }
#endif
};

/// CompilerInvocation::getLangOpts() is a pointer before LLVM 18 and a reference after.
template <typename T> const auto &deref(const T &Value) {
  if constexpr (std::is_pointer_v<T>)
    return *Value;
  else
    return Value;
}

/// PrecompiledPreamble::Build as each LLVM spells it: the engine by reference (14 to 21) or
/// reference-counted (22), a storage path (17 and later) or none.
struct Spelling2 {};
struct Spelling1 : Spelling2 {};
struct Spelling0 : Spelling1 {};
using PreambleVFS = llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem>;
template <typename P>
auto buildPreamble(Spelling0, const CompilerInvocation &CI, const llvm::MemoryBuffer *Main,
                   PreambleBounds Bounds, llvm::IntrusiveRefCntPtr<DiagnosticsEngine> Diags,
                   PreambleVFS VFS, std::shared_ptr<PCHContainerOperations> Ops,
                   PreambleCallbacks &Callbacks)
    -> decltype(P::Build(CI, Main, Bounds, Diags, VFS, Ops, true, llvm::StringRef(), Callbacks)) {
  return P::Build(CI, Main, Bounds, Diags, VFS, Ops, /*StoreInMemory=*/true, "", Callbacks);
}
template <typename P>
auto buildPreamble(Spelling1, const CompilerInvocation &CI, const llvm::MemoryBuffer *Main,
                   PreambleBounds Bounds, llvm::IntrusiveRefCntPtr<DiagnosticsEngine> Diags,
                   PreambleVFS VFS, std::shared_ptr<PCHContainerOperations> Ops,
                   PreambleCallbacks &Callbacks)
    -> decltype(P::Build(CI, Main, Bounds, *Diags, VFS, Ops, true, llvm::StringRef(), Callbacks)) {
  return P::Build(CI, Main, Bounds, *Diags, VFS, Ops, /*StoreInMemory=*/true, "", Callbacks);
}
template <typename P>
auto buildPreamble(Spelling2, const CompilerInvocation &CI, const llvm::MemoryBuffer *Main,
                   PreambleBounds Bounds, llvm::IntrusiveRefCntPtr<DiagnosticsEngine> Diags,
                   PreambleVFS VFS, std::shared_ptr<PCHContainerOperations> Ops,
                   PreambleCallbacks &Callbacks)
    -> decltype(P::Build(CI, Main, Bounds, *Diags, VFS, Ops, true, Callbacks)) {
  return P::Build(CI, Main, Bounds, *Diags, VFS, Ops, /*StoreInMemory=*/true, Callbacks);
}

/// A test hook: the analysis waits this long before it runs the checks, so that a test can
/// kill the worker in the middle of one.
unsigned testDelayMilliseconds() {
  const char *Value = std::getenv("FORK_HAZARD_CLANGD_TEST_ANALYSIS_DELAY_MS");
  return Value ? unsigned(std::strtoul(Value, nullptr, 10)) : 0;
}

struct AnalysisJob {
  const AnalysisRequest &Request;
  const forkhazard::Options &Opts;
  const ProgramFacts *Facts;
  LspFindings Findings;
  bool Parsed = false;
};

class AnalysisConsumer : public ASTConsumer {
public:
  AnalysisConsumer(CompilerInstance &CI, AnalysisJob &Job) : CI(CI), Job(Job) {}
  void HandleTranslationUnit(ASTContext &Ctx) override {
    if (Ctx.getDiagnostics().hasErrorOccurred())
      return; // clangd shows the errors; like clang's CFG-based warnings, we wait for a clean parse
    Job.Parsed = true;
    if (unsigned Delay = testDelayMilliseconds())
      std::this_thread::sleep_for(std::chrono::milliseconds(Delay));
    LspFindingSink Collect(Job.Findings, Ctx.getLangOpts(), Job.Opts.Werror, Job.Request);
    NolintFilter Sink(Collect);
    ProgramContext Program;
    Program.Facts = Job.Facts;
    analyzeTranslationUnit(Ctx, CI.hasSema() ? &CI.getSema() : nullptr, Job.Opts, Sink, Program);
  }

private:
  CompilerInstance &CI;
  AnalysisJob &Job;
};

class AnalysisAction : public ASTFrontendAction {
public:
  explicit AnalysisAction(AnalysisJob &Job) : Job(Job) {}
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI, llvm::StringRef) override {
    return std::make_unique<AnalysisConsumer>(CI, Job);
  }

private:
  AnalysisJob &Job;
};

} // namespace

struct DocumentAnalyzer::PreambleEntry {
  std::vector<std::string> Command; // the one it was built for
  std::unique_ptr<PrecompiledPreamble> Preamble;
  unsigned LastUse = 0;
};

struct DocumentAnalyzer::LoadedFacts {
  std::string Path;
  llvm::sys::TimePoint<> Modified;
  std::unique_ptr<ProgramFacts> Facts;
  std::string Warning;
};

namespace {
/// Runs the analysis through the document's preamble: reused when the #include block, the
/// command and the headers it read are unchanged, built again otherwise.
class PreambleAnalysis : public tooling::FrontendActionFactory {
public:
  PreambleAnalysis(DocumentAnalyzer::PreambleEntry &Entry, const llvm::MemoryBuffer &Main,
                   PreambleVFS VFS, AnalysisJob &Job)
      : Entry(Entry), Main(Main), VFS(std::move(VFS)), Job(Job) {}

  std::unique_ptr<FrontendAction> create() override {
    return std::make_unique<AnalysisAction>(Job);
  }

  bool runInvocation(std::shared_ptr<CompilerInvocation> Invocation, FileManager *Files,
                     std::shared_ptr<PCHContainerOperations> Ops,
                     DiagnosticConsumer *Consumer) override;

  const char *PreambleUse = "none";

private:
  DocumentAnalyzer::PreambleEntry &Entry;
  const llvm::MemoryBuffer &Main;
  PreambleVFS VFS;
  AnalysisJob &Job;
};
} // namespace

bool PreambleAnalysis::runInvocation(std::shared_ptr<CompilerInvocation> Invocation,
                                     FileManager *Files,
                                     std::shared_ptr<PCHContainerOperations> Ops,
                                     DiagnosticConsumer *Consumer) {
  PreambleBounds Bounds =
      ComputePreambleBounds(deref(Invocation->getLangOpts()), Main.getMemBufferRef(), 0);
  if (Entry.Preamble &&
      !Entry.Preamble->CanReuse(*Invocation, Main.getMemBufferRef(), Bounds, *VFS))
    Entry.Preamble.reset();
  if (Entry.Preamble) {
    PreambleUse = "reused";
  } else if (Bounds.Size > 0) {
    DiagnosticSettings Settings;
    IgnoringDiagConsumer Ignore;
    llvm::IntrusiveRefCntPtr<DiagnosticsEngine> Diags(new DiagnosticsEngine(
        llvm::IntrusiveRefCntPtr<DiagnosticIDs>(new DiagnosticIDs()), Settings.get(), &Ignore,
        /*ShouldOwnClient=*/false));
    PreambleCallbacks Callbacks;
    auto Built = buildPreamble<PrecompiledPreamble>(Spelling0(), *Invocation, &Main, Bounds,
                                                    Diags, VFS, Ops, Callbacks);
    if (Built) {
      Entry.Preamble = std::make_unique<PrecompiledPreamble>(std::move(*Built));
      PreambleUse = "built";
    }
  }
  PreambleVFS Used = VFS;
  if (Entry.Preamble) {
    Entry.Preamble->AddImplicitPreamble(*Invocation, Used, const_cast<llvm::MemoryBuffer *>(&Main));
    // The main file's buffer is remapped to ours, which we free.
    Invocation->getPreprocessorOpts().RetainRemappedFileBuffers = true;
  }
  // Reference-counted: the compiler instance holds on to its file manager.
  llvm::IntrusiveRefCntPtr<FileManager> PreambleFiles(
      new FileManager(Files->getFileSystemOpts(), Used));
  return FrontendActionFactory::runInvocation(std::move(Invocation), PreambleFiles.get(), Ops,
                                              Consumer);
}

DocumentAnalyzer::DocumentAnalyzer(CompileCommandLookup &Commands,
                                   std::vector<std::string> SharedArgs)
    : Commands(Commands), SharedArgs(std::move(SharedArgs)),
      Adjust(cli::toolAdjuster(cli::CommandLine())) {}
DocumentAnalyzer::~DocumentAnalyzer() = default;

void DocumentAnalyzer::forget(llvm::StringRef Path) { Preambles.erase(Path.str()); }

const ProgramFacts *DocumentAnalyzer::factsFor(llvm::StringRef FactsFile, std::string &Warning) {
  if (FactsFile.empty())
    return nullptr;
  llvm::sys::fs::file_status Status;
  if (llvm::sys::fs::status(FactsFile, Status)) {
    Warning = "the facts file '" + FactsFile.str() + "' does not exist; files are judged alone";
    return nullptr;
  }
  if (!Facts || Facts->Path != FactsFile || Facts->Modified != Status.getLastModificationTime()) {
    Facts = std::make_unique<LoadedFacts>();
    Facts->Path = FactsFile.str();
    Facts->Modified = Status.getLastModificationTime();
    auto Read = readFactsFile(FactsFile);
    if (Read)
      Facts->Facts = std::make_unique<ProgramFacts>(std::move(*Read));
    else
      Facts->Warning = llvm::toString(Read.takeError()) + "; files are judged alone";
  }
  Warning = Facts->Warning;
  return Facts->Facts.get();
}

llvm::json::Object DocumentAnalyzer::analyze(const AnalysisRequest &Request) {
  llvm::json::Object Reply;
  forkhazard::Options Opts;
  std::string Error = optionsForFile(SharedArgs, ProxySyntax, Request.Path, Opts);
  if (!Error.empty()) {
    Reply["error"] = Error;
    return Reply;
  }
  std::string Warning;
  const ProgramFacts *Program = factsFor(Opts.FactsFile, Warning);
  if (!Warning.empty())
    Reply["error"] = Warning;
  if (Program) {
    std::string Stale = staleFactsWarning(Opts.FactsFile, *Program, Request.Path);
    if (!Stale.empty())
      Reply["error"] = Stale;
  }

  std::string Origin;
  tooling::CompileCommand Command = Commands.commandFor(Request.Path, Origin);
  std::vector<std::string> Args = Adjust(Command.CommandLine, Command.Filename);

  // The unsaved text as an in-memory file over the real ones.
  llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> Overlay(
      new llvm::vfs::OverlayFileSystem(llvm::vfs::createPhysicalFileSystem()));
  llvm::IntrusiveRefCntPtr<llvm::vfs::InMemoryFileSystem> Unsaved(
      new llvm::vfs::InMemoryFileSystem());
  Unsaved->addFile(Request.Path, 0, llvm::MemoryBuffer::getMemBufferCopy(Request.Text, Request.Path));
  Overlay->pushOverlay(Unsaved);
  Overlay->setCurrentWorkingDirectory(Command.Directory);
  std::unique_ptr<llvm::MemoryBuffer> Main =
      llvm::MemoryBuffer::getMemBufferCopy(Request.Text, Request.Path);

  std::unique_ptr<PreambleEntry> &Entry = Preambles[Request.Path];
  if (!Entry || Entry->Command != Args) {
    Entry = std::make_unique<PreambleEntry>();
    Entry->Command = Args;
  }
  Entry->LastUse = ++UseCounter;

  AnalysisJob Job{Request, Opts, Program, {}};
  PreambleAnalysis Action(*Entry, *Main, Overlay, Job);
  llvm::IntrusiveRefCntPtr<FileManager> Files(new FileManager(FileSystemOptions(), Overlay));
  IgnoringDiagConsumer Quiet; // clangd reports the compiler's own diagnostics
  tooling::ToolInvocation Invocation(Args, &Action, Files.get(),
                                     std::make_shared<PCHContainerOperations>());
  Invocation.setDiagnosticConsumer(&Quiet);
  Invocation.run();

  // Only a few documents keep their preamble (each is megabytes): the least recently used go.
  while (Preambles.size() > 8) {
    auto Oldest = Preambles.begin();
    for (auto It = Preambles.begin(); It != Preambles.end(); ++It)
      if (It->second->LastUse < Oldest->second->LastUse)
        Oldest = It;
    Preambles.erase(Oldest);
  }

  Reply["parsed"] = Job.Parsed;
  Reply["preamble"] = Action.PreambleUse;
  Reply["command"] = Origin;
  Reply["diagnostics"] = std::move(Job.Findings.Diagnostics);
  Reply["fixes"] = std::move(Job.Findings.Fixes);
  return Reply;
}

} // namespace forkhazard::clangd
