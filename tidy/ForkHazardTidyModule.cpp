// The clang-tidy front end: build/lib/ForkHazardTidy.so, loaded with `clang-tidy --load=...`.
// Every row of rules/checks.def becomes the clang-tidy check fork-hazard-<check>. The first
// enabled one of a TU (in registry order) runs the shared analysis once for all the enabled
// ones and reports each finding under its own check's name, so NOLINT, WarningsAsErrors,
// --export-fixes and -fix are clang-tidy's own (KDE clazy's ClazyClangTidyModule.cpp is the
// pattern). Like the plugin, the module is loaded into its host and links no clang library.
// Docs: docs/clang-tidy.md.
#include "core/Analyzer.h"
#include "core/ClangDiagnostics.h"
#include "core/ConfigFile.h"
#include "core/Finding.h"
#include "core/ProgramFactsLoader.h"
#include "analysis/ProgramFacts.h"
#include "rules/Rule.h"
#include "tidy/TidyOptions.h"
#include "clang-tidy/ClangTidyCheck.h"
#include "clang-tidy/ClangTidyModule.h"
#ifdef FORK_HAZARD_TIDY_SEPARATE_REGISTRY_HEADER
#include "clang-tidy/ClangTidyModuleRegistry.h"
#endif
#include "clang/AST/ASTContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "llvm/Support/raw_ostream.h"
#include <cstring>

using namespace clang;
using namespace clang::tidy;

namespace forkhazard {
namespace tidy {
namespace {

/// How errors in .fork-hazard.yaml name their owner.
const OptionSyntax TidySyntax{"", "the fork-hazard clang-tidy module"};

/// Findings become clang-tidy diagnostics of their own check, notes and fix-its attached.
class TidySink : public FindingSink {
public:
  explicit TidySink(ClangTidyContext &Context) : Context(Context) {}
  void report(const Finding &F, const SourceManager &) override {
    std::string Check = F.fullCheckName();
    {
      DiagnosticBuilder Builder =
          Context.diag(Check, F.Location, escapeDiagnosticFormat(F.Message));
      for (const FixItHint &Fix : F.FixIts)
        Builder << Fix;
    }
    for (const Finding::Note &N : F.Notes) {
      DiagnosticBuilder Builder = Context.diag(Check, N.Location, escapeDiagnosticFormat(N.Message),
                                               DiagnosticIDs::Note);
      for (const FixItHint &Fix : N.FixIts)
        Builder << Fix;
    }
    ++Reported;
  }
  unsigned reported() const { return Reported; }

private:
  ClangTidyContext &Context;
  unsigned Reported = 0;
};

class ForkHazardTidyCheck : public ClangTidyCheck {
public:
  ForkHazardTidyCheck(llvm::StringRef Name, ClangTidyContext *Context)
      : ClangTidyCheck(Name, Context), Context(*Context),
        Check(Name.drop_front(strlen("fork-hazard-")).str()),
        Configured(configuredValues(*Context, Name)) {}

  void registerMatchers(ast_matchers::MatchFinder *Finder) override {
    if (leadsTheAnalysis())
      Finder->addMatcher(ast_matchers::translationUnitDecl(), this);
  }

  void check(const ast_matchers::MatchFinder::MatchResult &Result) override {
    analyze(*Result.Context);
  }

  /// This check's own options, and those of every check (--dump-config shows them once each).
  void storeOptions(ClangTidyOptions::OptionMap &Map) override {
    for (const TidyOption &Option : tidyOptions()) {
      if (!readsOption(fullCheckName(Check), Option))
        continue;
      std::string Value = Option.Description.Default.str();
      for (const auto &[Set, Text] : Configured)
        if (Set == &Option)
          Value = Text;
      Map[Option.key()] = ClangTidyOptions::ClangTidyValue(Value);
    }
  }

private:
  /// Whether this is the first enabled fork-hazard check, the one that runs the analysis.
  bool leadsTheAnalysis() const {
    for (const RuleInfo &Rule : allRules())
      if (Context.isCheckEnabled(fullCheckName(Rule.Name)))
        return Rule.Name == Check;
    return false;
  }

  /// The options in effect for the TU: the nearest .fork-hazard.yaml, the CheckOptions over
  /// it, and clang-tidy's selection of checks.
  std::string optionsFor(llvm::StringRef File, forkhazard::Options &Opts) const {
    std::string Error = optionsForFile({}, TidySyntax, File, Opts);
    if (Error.empty())
      Error = applyConfiguredValues(configuredValues(Context, ""), Opts);
    std::string Enabled = "-*";
    for (const RuleInfo &Rule : allRules())
      if (Context.isCheckEnabled(fullCheckName(Rule.Name)))
        Enabled += "," + Rule.Name.str();
    Opts.Checks = CheckSelection();
    Opts.Checks.add(Enabled);
    return Error;
  }

  void analyze(ASTContext &Ctx) {
    const SourceManager &SM = Ctx.getSourceManager();
    llvm::StringRef File;
    if (auto Entry = SM.getFileEntryRefForID(SM.getMainFileID()))
      File = Entry->getName();
    forkhazard::Options Opts;
    std::string Error = optionsFor(File, Opts);
    if (!Error.empty()) {
      configurationDiag("%0", DiagnosticIDs::Error) << Error;
      return;
    }
    TidySink Sink(Context);
    ProgramContext Program;
    std::unique_ptr<ProgramFacts> Facts = loadProgramFacts(
        Ctx, nullptr, Opts, [&](const std::string &Text) { configurationDiag("%0") << Text; });
    Program.Facts = Facts.get();
    AnalysisStatistics Stats = analyzeTranslationUnit(Ctx, nullptr, Opts, Sink, Program);
    // clang-tidy applies NOLINT after this: the findings are counted before it.
    if (Opts.Stats)
      llvm::errs() << statisticsLine(File, Stats, Sink.reported(), std::nullopt, "in clang-tidy");
  }

  ClangTidyContext &Context;
  std::string Check; // without the fork-hazard- prefix
  /// The options this check reads, as the configuration sets them (read when the check is
  /// made, as clang-tidy's --verify-config expects).
  std::vector<std::pair<const TidyOption *, std::string>> Configured;
};

class ForkHazardTidyModule : public ClangTidyModule {
public:
  void addCheckFactories(ClangTidyCheckFactories &Factories) override {
    for (const RuleInfo &Rule : allRules())
      Factories.registerCheck<ForkHazardTidyCheck>(fullCheckName(Rule.Name));
  }
};

} // namespace
} // namespace tidy
} // namespace forkhazard

static clang::tidy::ClangTidyModuleRegistry::Add<forkhazard::tidy::ForkHazardTidyModule>
    RegisterForkHazard("fork-hazard-module", "fork() hazards: runaway children, escapes, zombies");
