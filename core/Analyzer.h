// The one entry point every front end calls: runs every enabled check over a translation unit
// (one process-role analysis per fork site, shared by all checks) and hands the findings to the
// front end's sink. A TU without a fork-family call costs one look at its identifiers.
#ifndef FORK_HAZARD_ANALYZER_H
#define FORK_HAZARD_ANALYZER_H

#include "core/Finding.h"
#include "core/Options.h"
#include "llvm/ADT/StringRef.h"
#include <optional>
#include <string>
#include <vector>

namespace clang {
class ASTContext;
class Sema;
} // namespace clang

namespace forkhazard {

class ProgramFacts;
struct TranslationUnitSummary;

struct AnalysisStatistics {
  bool Analyzed = false; // false: no fork-family call (or no check enabled), nothing was done
  unsigned FunctionsAnalyzed = 0, ForkSites = 0, SkippedSites = 0, Findings = 0;
  double Milliseconds = 0; // the whole call, sinks included
};

/// The stats option's line for one TU (every front end prints the same): what was analyzed,
/// the findings reported and suppressed (when the front end applies the suppressions), the
/// time, and where it was spent ("in the plugin").
std::string statisticsLine(llvm::StringRef File, const AnalysisStatistics &Stats,
                           unsigned Reported, std::optional<unsigned> Suppressed,
                           llvm::StringRef Where);

/// What the analysis of one TU knows of, and tells, the rest of the program (issue 15).
struct ProgramContext {
  /// The merged facts of the program's TUs: calls of functions defined elsewhere are judged
  /// by them. Null: the TU is judged alone.
  const ProgramFacts *Facts = nullptr;
  /// When set, receives the TU's summary for the program's facts (built without Facts, from
  /// what this TU alone knows, so that merging stays independent of the order of the TUs).
  TranslationUnitSummary *Summary = nullptr;
};

/// The names whose calls make a TU fork besides the fork family: the project's fork-functions
/// and, with the program's facts, its fork wrappers.
std::vector<std::string> forkFunctionNames(const Options &Opts, const ProgramFacts *Program);

/// Analyzes the TU in Ctx (which must have compiled without errors: like clang's own CFG-based
/// warnings, nothing is analyzed otherwise). Sema, when the front end has one, makes the
/// fork-free test cheaper.
AnalysisStatistics analyzeTranslationUnit(clang::ASTContext &Ctx, clang::Sema *S,
                                          const Options &Opts, FindingSink &Sink,
                                          const ProgramContext &Program = {});

} // namespace forkhazard

#endif
