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
#include <optional>
#include <string>
#include <vector>

namespace forkhazard {


class ProgramFacts {
public:
  ProgramFacts() = default;
  /// Merges the summaries (in the order of their files, which decides which of two equal
  /// answers is named) and resolves the transitive answers.
  explicit ProgramFacts(std::vector<TranslationUnitSummary> Summaries);

  /// The function with this key (analysis/ProgramKeys.h), if a TU of the program defines it.
  const ProgramFunction *function(llvm::StringRef Key) const;
  /// A compile database may hold several programs (util-linux's, busybox's applets): then a
  /// reaper or a wait elsewhere counts for a function only if every entry point (main, an
  /// applet's _main) that reaches the function, through calls and installed callbacks, also
  /// reaches one; a thread counts if one such entry point reaches it. A function no entry
  /// point reaches is in an unknown process: nothing elsewhere counts for it. With one entry
  /// point (or none), the database is one program and everything counts.
  bool severalPrograms() const { return SeveralPrograms; }
  bool mayShareProcess(llvm::StringRef FunctionKey, llvm::StringRef OtherKey) const;
  /// The entry points (indices, sorted) that reach the function keyed Key.
  const std::vector<unsigned> &entriesReaching(llvm::StringRef Key) const;

  /// The first thing that reaps every child whatever the parent does (a SIGCHLD disposition,
  /// a reaping handler or thread) in every process the function keyed Forking runs in;
  /// invalid if there is none.
  SourcePosition backgroundReaperFor(llvm::StringRef Forking) const;
  /// The first wait for any child made by a function other than the one keyed Except, in
  /// every process Except runs in.
  SourcePosition anyChildWaitOutside(llvm::StringRef Except) const;
  /// The first place a TU starts a thread in the process of the function keyed Forking, and
  /// how ("pthread_create"); invalid if none does.
  struct ThreadStart {
    SourcePosition Where;
    std::string Creator, Owner;
  };
  const ThreadStart *threadCreationFor(llvm::StringRef Forking) const;
  /// The signal settings that survive exec (a signal ignored, signals blocked) made in the
  /// program's setup by files other than File, in the process of the function keyed Forking,
  /// and undone by no other file (a setting its own file undoes is not in its summary); file
  /// order.
  std::vector<const SignalSetting *> signalSettingsFor(llvm::StringRef Forking,
                                                       llvm::StringRef File) const;
  /// Whether a file other than File may undo a setting of the mask (Mask) or of Signal's
  /// disposition that the function keyed Owner makes.
  bool signalSettingUndoneOutside(bool Mask, int64_t Signal, llvm::StringRef Owner,
                                  llvm::StringRef File) const;
  /// The descriptors files other than File keep open (OpenDescriptor) in the process of the
  /// function keyed Forking; file order.
  std::vector<const OpenDescriptor *> openDescriptorsFor(llvm::StringRef Forking,
                                                         llvm::StringRef File) const;
  bool keepsDescriptorsOpen() const { return !OpenDescriptors.empty(); }
  /// What other files' signal settings tell TU: their settings in effect in the processes of
  /// its functions, and the undos of its own settings (a recheck is due when there are any).
  std::vector<const SignalSetting *> signalFactsFor(const TranslationUnitSummary &TU) const;
  /// Whether anything of the program starts threads (for whom: threadCreationFor).
  bool startsThreads() const { return !Threads.empty(); }
  /// The names of the program's fork wrappers, of its functions that hand a child to their
  /// caller and of those that tell it which process it is in (a TU that calls one has
  /// something to check).
  const std::vector<std::string> &forkingFunctionNames() const { return ForkingFunctionNames; }
  /// The directory every summarized file is below, for short positions in messages.
  llvm::StringRef root() const { return Root; }
  const std::vector<TranslationUnitSummary> &summaries() const { return Summaries; }
  /// "src/pool.c:41:5": a position relative to root().
  std::string describe(const SourcePosition &Where) const { return Where.text(Root); }
  /// "main.c:10:3 (by 'main')": a place and the function of the program it is in.
  std::string describe(const SourcePosition &Where, llvm::StringRef FunctionKey) const;

private:
  void mergeFunction(const FunctionSummary &F);
  void resolveEndings();
  void resolveWaits();
  void resolveReapers();
  void resolveEntries();
  void resolveDiscardedResults();
  void resolveSignalSafety();
  void resolveThrows();
  bool endsThrough(const FunctionSummary &F, ProgramFunction &Out) const;

  std::vector<TranslationUnitSummary> Summaries;
  llvm::StringMap<ProgramFunction> Functions;
  llvm::StringMap<std::vector<const FunctionSummary *>> Definitions; // by key, file order
  std::vector<std::string> Keys;                                   // file order
  /// The reaping candidates and thread starts: (where, owner key), file order.
  std::vector<std::pair<SourcePosition, std::string>> Reapers;
  std::vector<ThreadStart> Threads;
  /// Every TU's signal settings and undos, with the file that makes them: file order.
  std::vector<std::pair<const SignalSetting *, llvm::StringRef>> SignalSettings;
  std::vector<std::pair<const OpenDescriptor *, llvm::StringRef>> OpenDescriptors;
  /// With several entry points: the entries (indices) that reach each function, sorted.
  bool SeveralPrograms = false;
  llvm::StringMap<std::vector<unsigned>> EntriesReaching;
  std::string Root;
  std::vector<std::string> ForkingFunctionNames;
  /// The local waits for any child: (function key, the wait), file order.
  std::vector<std::pair<std::string, SourcePosition>> AnyChildWaits;
};

/// The facts file (fork-hazard-check collect, --facts, the plugin's facts option): the
/// summaries of a compile database's TUs, versioned.
std::string writeFactsFile(llvm::StringRef Path, const std::vector<TranslationUnitSummary> &All);
llvm::Expected<std::vector<TranslationUnitSummary>> readFactsFile(llvm::StringRef Path);
/// Only the names of the program's fork wrappers, from the file's first line (cheap: a TU that
/// names none of them, nor a fork-family function, needs no facts); none if the file is not
/// one writeFactsFile wrote.
std::optional<std::vector<std::string>> readForkingFunctionNames(llvm::StringRef Path);
/// A warning when a file the facts describe (other than MainFile, which the caller reads
/// itself) changed after the facts file was written; "" otherwise.
std::string staleFactsWarning(llvm::StringRef Path, const ProgramFacts &Facts,
                              llvm::StringRef MainFile);

} // namespace forkhazard

#endif
