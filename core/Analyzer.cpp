#include "core/Analyzer.h"

#include "analysis/LibcFunctions.h"
#include "analysis/ProgramFacts.h"
#include "analysis/SummaryCollector.h"
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
                           unsigned Reported, std::optional<unsigned> Suppressed,
                           llvm::StringRef Where) {
  std::string Line;
  llvm::raw_string_ostream OS(Line);
  OS << "fork-hazard: " << File << ": ";
  if (!Stats.Analyzed)
    OS << "no fork-family call, not analyzed";
  else
    OS << Stats.FunctionsAnalyzed << " functions analyzed, " << Stats.ForkSites
       << " fork sites, " << Reported << " findings";
  if (Stats.Analyzed && Suppressed)
    OS << ", " << *Suppressed << " suppressed";
  if (Stats.SkippedSites)
    OS << ", " << Stats.SkippedSites << " fork sites not analyzed (function too large)";
  OS << ", " << llvm::format("%.3f", Stats.Milliseconds) << " ms " << Where << "\n";
  OS.flush();
  return Line;
}

/// The names whose calls make a TU fork: the project's fork-functions and, with the
/// program's facts, its fork wrappers.
std::vector<std::string> forkFunctionNames(const Options &Opts, const ProgramFacts *Program) {
  std::vector<std::string> Names = Opts.Analysis.ForkFunctions;
  if (Program)
    Names.insert(Names.end(), Program->forkingFunctionNames().begin(),
                 Program->forkingFunctionNames().end());
  return Names;
}

static std::unique_ptr<TranslationUnitIndex> buildIndex(ASTContext &Ctx, const Options &Opts,
                                                       const ProgramFacts *Program) {
  auto Index = std::make_unique<TranslationUnitIndex>(Ctx);
  Index->setProjectFunctions(Opts.Analysis);
  Index->setProgramFacts(Program);
  Index->build();
  return Index;
}

namespace {
/// The analysis asks for the parents of statements in the TU's own functions
/// (ASTContext::getParents), whose first call maps every declaration in the traversal scope:
/// by default the whole TU, system headers included (12 ms of sshd.c's 18 in the plugin).
/// While the analysis runs the scope is the TU's own top-level declarations; the host's scope
/// (clang-tidy's, clangd's) is put back afterwards, which also drops this map.
class OwnDeclarationsScope {
public:
  explicit OwnDeclarationsScope(ASTContext &Ctx) : Ctx(Ctx), Saved(Ctx.getTraversalScope()) {
    const SourceManager &SM = Ctx.getSourceManager();
    std::vector<Decl *> Own;
    for (Decl *D : Ctx.getTranslationUnitDecl()->decls())
      if (!SM.isInSystemHeader(SM.getExpansionLoc(D->getLocation())))
        Own.push_back(D);
    Ctx.setTraversalScope(Own);
  }
  ~OwnDeclarationsScope() { Ctx.setTraversalScope(Saved); }

private:
  ASTContext &Ctx;
  std::vector<Decl *> Saved;
};
} // namespace

static AnalysisStatistics analyze(ASTContext &Ctx, Sema *S, const Options &Opts,
                                  FindingSink &Sink, const ProgramContext &Program) {
  AnalysisStatistics Stats;
  if (Ctx.getDiagnostics().hasErrorOccurred())
    return Stats;
  const bool Forks = mayCallFork(Ctx, S, forkFunctionNames(Opts, Program.Facts));
  if (!Forks && !Program.Summary)
    return Stats; // the common case: nothing to do
  OwnDeclarationsScope Scope(Ctx);
  std::vector<std::pair<const RuleInfo *, std::unique_ptr<Rule>>> Rules;
  for (const RuleInfo &Info : allRules())
    if (Forks && Opts.isCheckEnabled(Info.Name))
      Rules.emplace_back(&Info, Info.Create());
  std::unique_ptr<TranslationUnitIndex> Alone;
  if (Program.Summary) {
    // From this TU alone, so that the merged facts do not depend on the order of the TUs.
    Alone = buildIndex(Ctx, Opts, nullptr);
    TranslationUnitFacts AloneFacts(Ctx, *Alone);
    *Program.Summary = summarizeTranslationUnit(Ctx, *Alone, AloneFacts);
  }
  if (Rules.empty())
    return Stats;
  Stats.Analyzed = true;
  std::unique_ptr<TranslationUnitIndex> Index =
      Alone && !Program.Facts ? std::move(Alone) : buildIndex(Ctx, Opts, Program.Facts);
  TranslationUnitFacts Facts(Ctx, *Index);
  Reporter Report(Ctx.getSourceManager());
  RuleContext Context{Ctx, *Index, Facts, Report, Opts};
  for (const FunctionRoles *Function : Index->forkingFunctions()) {
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
  if (Program.Facts)
    for (const TranslationUnitIndex::ElsewhereCall &Use : Index->callsOfFunctionsElsewhere()) {
      const ProgramFunction *Callee = Index->programFunction(directCallee(Use.Call));
      if (!Callee || !Callee->HandsChildToCaller)
        continue;
      for (const auto &Check : Rules) {
        Report.setCheck(Check.first->Name);
        Check.second->checkCallHandedAChild(Use.Call, Use.Caller, *Callee, Context);
      }
    }
  Stats.Findings = Report.flush(Sink);
  Stats.FunctionsAnalyzed = Index->functionsAnalyzed();
  return Stats;
}

AnalysisStatistics analyzeTranslationUnit(ASTContext &Ctx, Sema *S, const Options &Opts,
                                          FindingSink &Sink, const ProgramContext &Program) {
  auto Start = std::chrono::steady_clock::now();
  AnalysisStatistics Stats = analyze(Ctx, S, Opts, Sink, Program);
  Stats.Milliseconds =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - Start).count();
  return Stats;
}

} // namespace forkhazard
