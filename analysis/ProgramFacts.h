// The program's facts: every translation unit's summary (analysis/ProgramSummary.h) merged, and
// the answers that need all of them resolved once: which functions end the process (through
// functions of other files too), which wait for children (transitively), where the program
// starts threads and reaps its children in the background. A TU's analysis asks these about a
// function it calls but cannot see, exactly as it asks its own summaries about one it can.
#ifndef FORK_HAZARD_PROGRAM_FACTS_H
#define FORK_HAZARD_PROGRAM_FACTS_H

#include "analysis/ProgramSummary.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"
#include <string>
#include <vector>

namespace forkhazard {

/// What the whole program knows about one function.
struct ProgramFunction {
  std::string Key, Name;
  SourcePosition Where;
  Ending End = Ending::Returns;
  SourcePosition EndingCall; // the call that finally ends the process (exit() for Exits)
  std::string EndingCallee;
  bool Waits = false;          // it or a function it calls waits for a child
  SourcePosition AnyChildWait; // ... for any child: the wait
  bool ForkWrapper = false;
  bool WrapperMayReturnFailure = true;
};

class ProgramFacts {
public:
  ProgramFacts() = default;
  /// Merges the summaries (their order is the compile database's: it decides which of two
  /// equal answers is named) and resolves the transitive answers.
  explicit ProgramFacts(std::vector<TranslationUnitSummary> Summaries);

  /// The function with this key (analysis/ProgramKeys.h), if a TU of the program defines it.
  const ProgramFunction *function(llvm::StringRef Key) const;
  /// The first thing that reaps every child whatever the parent does (a SIGCHLD disposition,
  /// a reaping handler or thread); invalid if there is none.
  const SourcePosition &backgroundReaper() const { return BackgroundReaper; }
  /// The first wait for any child made by a function other than the one keyed Except.
  SourcePosition anyChildWaitOutside(llvm::StringRef Except) const;
  /// The first place a TU starts a thread, and how ("pthread_create"); invalid if none does.
  const SourcePosition &threadCreation() const { return ThreadCreation; }
  llvm::StringRef threadCreator() const { return ThreadCreator; }
  /// The names of the program's fork wrappers (a TU that calls one forks).
  const std::vector<std::string> &forkWrapperNames() const { return ForkWrapperNames; }
  /// The directory every summarized file is below, for short positions in messages.
  llvm::StringRef root() const { return Root; }
  const std::vector<TranslationUnitSummary> &summaries() const { return Summaries; }
  /// "src/pool.c:41:5": a position relative to root().
  std::string describe(const SourcePosition &Where) const { return Where.text(Root); }

private:
  void mergeFunction(const FunctionSummary &F);
  void resolveEndings();
  void resolveWaits();
  void resolveReapers();
  bool endsThrough(const FunctionSummary &F, ProgramFunction &Out) const;

  std::vector<TranslationUnitSummary> Summaries;
  llvm::StringMap<ProgramFunction> Functions;
  llvm::StringMap<std::vector<const FunctionSummary *>> Definitions; // by key, database order
  std::vector<std::string> Keys;                                   // database order
  SourcePosition BackgroundReaper, ThreadCreation;
  std::string ThreadCreator, Root;
  std::vector<std::string> ForkWrapperNames;
  /// The local waits for any child: (function key, the wait), database order.
  std::vector<std::pair<std::string, SourcePosition>> AnyChildWaits;
};

/// The facts file (fork-hazard-check collect, --facts, the plugin's facts option): the
/// summaries of a compile database's TUs, versioned.
std::string writeFactsFile(llvm::StringRef Path, const std::vector<TranslationUnitSummary> &All);
llvm::Expected<std::vector<TranslationUnitSummary>> readFactsFile(llvm::StringRef Path);

} // namespace forkhazard

#endif
