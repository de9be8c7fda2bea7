// The clang plugin: registers the `fork-hazard` action, which runs after the compiler's own
// action, so a normal compile (or -fsyntax-only) also reports fork hazards.
#include "plugin/Compat.h"
#include "plugin/Options.h"
#include "plugin/Reporter.h"
#include "plugin/Rule.h"
#include "plugin/TranslationUnitIndex.h"
#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ASTContext.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendPluginRegistry.h"
#include "llvm/Support/raw_ostream.h"

using namespace clang;

namespace forkhazard {
namespace {

class ForkHazardConsumer : public ASTConsumer {
public:
  explicit ForkHazardConsumer(Options Opts) : Opts(std::move(Opts)) {}

  void HandleTranslationUnit(ASTContext &Ctx) override {
    // Like clang's own CFG-based warnings: no analysis of code that did not compile.
    if (Ctx.getDiagnostics().hasErrorOccurred())
      return;
    if (!mayCallFork(Ctx))
      return; // the common case: nothing to do
    std::vector<std::unique_ptr<Rule>> Rules;
    for (const RuleInfo &Info : allRules())
      if (Opts.isCheckEnabled(Info.Name))
        Rules.push_back(Info.Create());
    if (Rules.empty())
      return;
    TranslationUnitIndex Index(Ctx);
    Index.build();
    Reporter Report(Ctx);
    RuleContext Context{Ctx, Index, Report, Opts};
    for (const FunctionRoles *Function : Index.forkingFunctions())
      for (const ForkSiteRoles &Site : Function->sites())
        for (const std::unique_ptr<Rule> &R : Rules)
          R->checkForkSite(Site, Context);
    Report.flush();
  }

private:
  Options Opts;
};

class ForkHazardAction : public PluginASTAction {
protected:
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &, llvm::StringRef) override {
    return std::make_unique<ForkHazardConsumer>(Opts);
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
    std::string Error;
    if (!Opts.parse(Args, Error)) {
      DiagnosticsEngine &Diags = CI.getDiagnostics();
      Diags.Report(compat::customDiagID(Diags, DiagnosticIDs::Error, "%0")) << Error;
      return false;
    }
    if (Opts.Help)
      llvm::outs() << helpText();
    return true;
  }

  ActionType getActionType() override { return AddAfterMainAction; }

private:
  Options Opts;
};

} // namespace
} // namespace forkhazard

static FrontendPluginRegistry::Add<forkhazard::ForkHazardAction>
    RegisterForkHazard("fork-hazard", "find fork() hazards: runaway children, escapes, zombies");
