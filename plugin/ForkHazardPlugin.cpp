// The clang plugin: registers the `fork-hazard` action, which runs after the compiler's own
// action, so a normal compile (or -fsyntax-only) also reports fork hazards.
#include "analysis/Compat.h"
#include "analysis/ProgramFacts.h"
#include "core/Analyzer.h"
#include "core/ClangDiagnostics.h"
#include "core/ConfigFile.h"
#include "core/NolintComments.h"
#include "core/Options.h"
#include "core/ProgramFactsLoader.h"
#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ASTContext.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendPluginRegistry.h"
#include "llvm/Support/raw_ostream.h"
#include <cstdlib>

using namespace clang;

namespace forkhazard {
namespace {

/// How the plugin spells its options in messages and help.
const OptionSyntax PluginSyntax{"-fplugin-arg-fork-hazard-", "plugin 'fork-hazard'"};

class ForkHazardConsumer : public ASTConsumer {
public:
  ForkHazardConsumer(CompilerInstance &CI, Options Opts, std::string File)
      : CI(CI), Opts(std::move(Opts)), File(File) {}

  void HandleTranslationUnit(ASTContext &Ctx) override {
    ClangDiagnosticSink Diagnostics(
        Ctx.getDiagnostics(),
        ClangDiagnosticSink::levelLikeClang(Ctx.getDiagnostics(), Opts.Werror));
    NolintFilter Sink(Diagnostics);
    Sema *S = CI.hasSema() ? &CI.getSema() : nullptr;
    ProgramContext Program;
    std::unique_ptr<ProgramFacts> Facts = loadFacts(Ctx, S);
    Program.Facts = Facts.get();
    AnalysisStatistics Stats = analyzeTranslationUnit(Ctx, S, Opts, Sink, Program);
    if (Opts.Stats)
      llvm::errs() << statisticsLine(File, Stats, Diagnostics.emitted(),
                                     Sink.suppressed() + Diagnostics.ignored(), "in the plugin");
  }

private:
  /// The facts option's program facts (read only when the TU may fork); each problem with
  /// the file is one warning.
  std::unique_ptr<ProgramFacts> loadFacts(ASTContext &Ctx, Sema *S) {
    return loadProgramFacts(Ctx, S, Opts, [&](const std::string &Text) { warn(Ctx, Text); });
  }

  void warn(ASTContext &Ctx, const std::string &Text) {
    DiagnosticsEngine &Diags = Ctx.getDiagnostics();
    Diags.Report(compat::customDiagID(Diags, DiagnosticIDs::Warning, "%0 [fork-hazard-facts]"))
        << Text;
  }

  CompilerInstance &CI;
  Options Opts;
  std::string File;
};

class ForkHazardAction : public PluginASTAction {
protected:
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                 llvm::StringRef InFile) override {
    return std::make_unique<ForkHazardConsumer>(CI, Opts, InFile.str());
  }

  bool ParseArgs(const CompilerInstance &CI, const std::vector<std::string> &Direct) override {
    std::vector<std::string> Args = Direct;
    // The driver splits -fplugin-arg-<plugin>-<arg> at the first dash, so
    // -fplugin-arg-fork-hazard-checks=x reaches clang as plugin "fork", argument "hazard-checks=x".
    auto &AllPluginArgs = CI.getFrontendOpts().PluginArgs;
    auto Split = AllPluginArgs.find("fork");
    if (Split != AllPluginArgs.end())
      for (const std::string &Arg : Split->second)
        if (compat::startsWith(Arg, "hazard-"))
          Args.push_back(Arg.substr(strlen("hazard-")));

    std::string SourceFile;
    if (!CI.getFrontendOpts().Inputs.empty() && CI.getFrontendOpts().Inputs[0].isFile()) {
      const clang::FrontendInputFile &Input = CI.getFrontendOpts().Inputs[0];
      SourceFile = Input.getFile().str();
      // ccache's or a distributed build's .i: the config of the source it came from.
      if (Input.getKind().isPreprocessed()) {
        std::string Original = originalOfPreprocessed(SourceFile);
        if (!Original.empty())
          SourceFile = Original;
      }
    }
    std::string Error = optionsForFile(Args, PluginSyntax, SourceFile, Opts);
    if (!Error.empty())
      return fail(CI, Error);
    if (Opts.Help) {
      llvm::outs() << helpText(PluginSyntax);
      llvm::outs().flush();
      std::exit(0); // like --help: print, then stop with success
    }
    return true;
  }

  ActionType getActionType() override { return AddAfterMainAction; }

private:
  /// One clear error; the compile fails (a plugin that rejects its arguments is not run).
  static bool fail(const CompilerInstance &CI, const std::string &Error) {
    DiagnosticsEngine &Diags = CI.getDiagnostics();
    Diags.Report(compat::customDiagID(Diags, DiagnosticIDs::Error, "%0")) << Error;
    return false;
  }

  Options Opts;
};

} // namespace
} // namespace forkhazard

static FrontendPluginRegistry::Add<forkhazard::ForkHazardAction>
    RegisterForkHazard("fork-hazard", "find fork() hazards: runaway children, escapes, zombies");
