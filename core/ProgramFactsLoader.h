// The facts option for the front ends that analyze one TU inside a host compiler (the plugin,
// the clang-tidy module): the program's facts are read only when the TU may fork, so a TU
// without a fork costs one line of the facts file.
#ifndef FORK_HAZARD_PROGRAM_FACTS_LOADER_H
#define FORK_HAZARD_PROGRAM_FACTS_LOADER_H

#include "core/Options.h"
#include "llvm/ADT/STLExtras.h"
#include <memory>
#include <string>

namespace clang {
class ASTContext;
class Sema;
} // namespace clang

namespace forkhazard {

class ProgramFacts;

/// The facts of Opts.FactsFile for the TU in Ctx, or null: no facts option, a TU with errors, a
/// TU that calls no fork-family function, fork-functions entry or fork wrapper of the facts, or
/// a file that cannot be used. Warn receives each problem as one sentence (a file that cannot be
/// read, or one older than what it describes).
std::unique_ptr<ProgramFacts>
loadProgramFacts(clang::ASTContext &Ctx, clang::Sema *S, const Options &Opts,
                 llvm::function_ref<void(const std::string &)> Warn);

} // namespace forkhazard

#endif
