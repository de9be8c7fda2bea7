#include "core/Analyzer.h"

#include "analysis/TranslationUnitFacts.h"
#include "analysis/TranslationUnitIndex.h"
#include "core/Reporter.h"
#include "rules/Rule.h"
#include "clang/AST/ASTContext.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"
#include <chrono>

using namespace clang;

namespace forkhazard {

std::string statisticsLine(llvm::StringRef File, const AnalysisStatistics &Stats,
                           unsigned Reported, unsigned Suppressed, llvm::StringRef Where) {
  std::string Line;
  llvm::raw_string_ostream OS(Line);
  OS << "fork-hazard: " << File << ": ";
  if (!Stats.Analyzed)
    OS << "no fork-family call, not analyzed";
  else
    OS << Stats.FunctionsAnalyzed << " functions analyzed, " << Stats.ForkSites
       << " fork sites, " << Reported << " findings, " << Suppressed << " suppressed";
  if (Stats.SkippedSites)
    OS << ", " << Stats.SkippedSites << " fork sites not analyzed (function too large)";
  OS << ", " << llvm::format("%.3f", Stats.Milliseconds) << " ms " << Where << "\n";
  OS.flush();
  return Line;
}

static AnalysisStatistics analyze(ASTContext &Ctx, Sema *S, const Options &Opts,
                                  FindingSink &Sink) {
  AnalysisStatistics Stats;
  if (Ctx.getDiagnostics().hasErrorOccurred())
    return Stats;
  if (!mayCallFork(Ctx, S, Opts.Analysis.ForkFunctions))
    return Stats; // the common case: nothing to do
  std::vector<std::pair<const RuleInfo *, std::unique_ptr<Rule>>> Rules;
  for (const RuleInfo &Info : allRules())
    if (Opts.isCheckEnabled(Info.Name))
      Rules.emplace_back(&Info, Info.Create());
  if (Rules.empty())
    return Stats;
  Stats.Analyzed = true;
  TranslationUnitIndex Index(Ctx);
  Index.setProjectFunctions(Opts.Analysis);
  Index.build();
  TranslationUnitFacts Facts(Ctx, Index);
  Reporter Report(Ctx.getSourceManager());
  RuleContext Context{Ctx, Index, Facts, Report, Opts};
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
  Stats.Findings = Report.flush(Sink);
  Stats.FunctionsAnalyzed = Index.functionsAnalyzed();
  return Stats;
}

AnalysisStatistics analyzeTranslationUnit(ASTContext &Ctx, Sema *S, const Options &Opts,
                                          FindingSink &Sink) {
  auto Start = std::chrono::steady_clock::now();
  AnalysisStatistics Stats = analyze(Ctx, S, Opts, Sink);
  Stats.Milliseconds =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - Start).count();
  return Stats;
}

} // namespace forkhazard
