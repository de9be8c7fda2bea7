// The clang plugin: registers the `fork-hazard` action, which runs after the compiler's own
// action, so a normal compile (or -fsyntax-only) also reports fork hazards.
#include "analysis/Compat.h"
#include "core/ConfigFile.h"
#include "core/Options.h"
#include "core/Reporter.h"
#include "rules/Rule.h"
#include "analysis/TranslationUnitIndex.h"
#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ASTContext.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendPluginRegistry.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"
#include <chrono>
#include <cstdlib>

using namespace clang;

namespace forkhazard {
namespace {

struct Statistics {
  unsigned FunctionsAnalyzed = 0, ForkSites = 0, SkippedSites = 0, Findings = 0, Suppressed = 0;
  bool Skipped = true; // no fork-family call: nothing was analyzed
};

class ForkHazardConsumer : public ASTConsumer {
public:
  ForkHazardConsumer(CompilerInstance &CI, Options Opts, std::string File)
      : CI(CI), Opts(std::move(Opts)), File(File) {}

  void HandleTranslationUnit(ASTContext &Ctx) override {
    auto Start = std::chrono::steady_clock::now();
    Statistics Stats;
    analyze(Ctx, Stats);
    if (Opts.Stats) {
      double Milliseconds =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - Start)
              .count();
      llvm::errs() << "fork-hazard: " << File << ": ";
      if (Stats.Skipped)
        llvm::errs() << "no fork-family call, not analyzed";
      else
        llvm::errs() << Stats.FunctionsAnalyzed << " functions analyzed, " << Stats.ForkSites
                     << " fork sites, " << Stats.Findings << " findings, " << Stats.Suppressed
                     << " suppressed";
      if (Stats.SkippedSites)
        llvm::errs() << ", " << Stats.SkippedSites
                     << " fork sites not analyzed (function too large)";
      llvm::errs() << ", " << llvm::format("%.3f", Milliseconds) << " ms in the plugin\n";
    }
  }

private:
  void analyze(ASTContext &Ctx, Statistics &Stats) {
    // Like clang's own CFG-based warnings: no analysis of code that did not compile.
    if (Ctx.getDiagnostics().hasErrorOccurred())
      return;
    if (!mayCallFork(Ctx, CI.hasSema() ? &CI.getSema() : nullptr, Opts.ForkFunctions))
      return; // the common case: nothing to do
    std::vector<std::pair<const RuleInfo *, std::unique_ptr<Rule>>> Rules;
    for (const RuleInfo &Info : allRules())
      if (Opts.isCheckEnabled(Info.Name))
        Rules.emplace_back(&Info, Info.Create());
    if (Rules.empty())
      return;
    Stats.Skipped = false;
    TranslationUnitIndex Index(Ctx);
    Index.setProjectFunctions(Opts);
    Index.build();
    Reporter Report(Ctx, Opts.Werror);
    RuleContext Context{Ctx, Index, Report, Opts};
    for (const FunctionRoles *Function : Index.forkingFunctions()) {
      Stats.SkippedSites += Function->skippedSites();
      for (const ForkSiteRoles &Site : Function->sites()) {
        ++Stats.ForkSites;
        for (const auto &Check : Rules)
          if (Check.first->judges(Site.site())) {
            Report.setCheck(Check.first->Name); // every finding it adds is of this check
            Check.second->checkForkSite(Site, Context);
          }
        Site.releaseStatements(); // keeps memory linear in the function, not sites x function
      }
    }
    Report.flush();
    Stats.FunctionsAnalyzed = Index.functionsAnalyzed();
    Stats.Findings = Report.emitted();
    Stats.Suppressed = Report.suppressed();
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

    // The command line is checked first (and decides which config file to read), then applied
    // again on top of the config file, so that it wins.
    std::string Error;
    Options CommandLine;
    for (const std::string &Arg : Args)
      if (!CommandLine.applyArgument(Arg, Error))
        return fail(CI, Error);
    if (CommandLine.Help) {
      llvm::outs() << helpText();
      llvm::outs().flush();
      std::exit(0); // like --help: print, then stop with success
    }
    std::string ConfigPath = CommandLine.ConfigFile;
    if (ConfigPath.empty() && !CI.getFrontendOpts().Inputs.empty() &&
        CI.getFrontendOpts().Inputs[0].isFile())
      ConfigPath = findConfigFile(CI.getFrontendOpts().Inputs[0].getFile());
    if (!ConfigPath.empty() && ConfigPath != "none") {
      Error = loadConfigFile(ConfigPath, Opts);
      if (!Error.empty())
        return fail(CI, Error);
    }
    for (const std::string &Arg : Args)
      Opts.applyArgument(Arg, Error);
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
