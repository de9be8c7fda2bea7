// How the clang-tidy module spells the shared options: a check's own option as
// `fork-hazard-<check>.<Name>` (fork-hazard-unsafe-call-in-child.Threads), an option of every
// check as `fork-hazard.<Name>` (fork-hazard.ExitFunctions), <Name> being the option's name in
// CamelCase. Lists take clang-tidy's ';' as well as ','. Which checks run and whether warnings
// are errors are clang-tidy's own settings (Checks, WarningsAsErrors), not options here.
#ifndef FORK_HAZARD_TIDY_OPTIONS_H
#define FORK_HAZARD_TIDY_OPTIONS_H

#include "core/Options.h"
#include "clang-tidy/ClangTidyOptions.h"
#include "llvm/ADT/StringRef.h"
#include <string>
#include <vector>

namespace clang {
namespace tidy {
class ClangTidyContext;
}
} // namespace clang

namespace forkhazard {
namespace tidy {

struct TidyOption {
  OptionDescription Description;
  std::string Owner;     // "fork-hazard-<check>", or "fork-hazard" for an option of every check
  std::string LocalName; // "Threads"
  std::string key() const { return Owner + "." + LocalName; }
};

/// The options a clang-tidy configuration can set: every check's and the analysis' options,
/// and stats (the one front-end policy clang-tidy has no setting of its own for).
const std::vector<TidyOption> &tidyOptions();

/// The options Check ("fork-hazard-<check>") reads: its own and those of every check.
bool readsOption(llvm::StringRef Check, const TidyOption &Option);

/// The values the configuration gives the options Check reads (all of them when Check is
/// empty), read as clang-tidy checks read options, so that --verify-config knows them.
std::vector<std::pair<const TidyOption *, std::string>>
configuredValues(clang::tidy::ClangTidyContext &Context, llvm::StringRef Check);

/// Opts (the .fork-hazard.yaml's options) with Values over them. Returns "" or one sentence
/// naming the key whose value is wrong.
std::string applyConfiguredValues(
    const std::vector<std::pair<const TidyOption *, std::string>> &Values, Options &Opts);

} // namespace tidy
} // namespace forkhazard

#endif
