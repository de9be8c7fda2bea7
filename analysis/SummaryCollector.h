// Builds a translation unit's summary for the rest of the program (analysis/ProgramSummary.h)
// from the same index and facts the rules use, so that a function means the same to a caller in
// another TU as to one in its own.
#ifndef FORK_HAZARD_SUMMARY_COLLECTOR_H
#define FORK_HAZARD_SUMMARY_COLLECTOR_H

#include "analysis/ProgramSummary.h"

namespace clang {
class ASTContext;
}

namespace forkhazard {

class TranslationUnitIndex;
class TranslationUnitFacts;

/// Index must be built (TranslationUnitIndex::build). Functions in system headers are left out,
/// as everywhere in the analysis.
TranslationUnitSummary summarizeTranslationUnit(clang::ASTContext &Ctx,
                                                TranslationUnitIndex &Index,
                                                TranslationUnitFacts &Facts);

} // namespace forkhazard

#endif
