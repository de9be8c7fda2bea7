// --cache-dir: what fork-hazard-check learned of each TU in an earlier run, so that a re-run
// parses only what changed. An entry belongs to one source file and its compile commands and
// holds every file the parse read (with a hash of its content), the TU's summary, and its
// findings judged alone and judged with the program's facts (with a digest of the facts they
// used: when another file's change leaves those facts as they were, the findings stand).
#ifndef FORK_HAZARD_CLI_RESULT_CACHE_H
#define FORK_HAZARD_CLI_RESULT_CACHE_H

#include "analysis/ProgramSummary.h"
#include "core/ResolvedFinding.h"
#include "llvm/ADT/StringMap.h"
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace forkhazard {
class ProgramFacts;
}

namespace forkhazard::cli {

struct CachedFindings {
  std::vector<ResolvedFinding> Findings;
  unsigned Suppressed = 0;
  std::string Statistics;
  bool Forks = false;
};

struct CacheEntry {
  std::vector<std::pair<std::string, uint64_t>> Inputs; // absolute path, content hash
  TranslationUnitSummary Summary;
  std::optional<CachedFindings> Alone;
  std::string FactsDigest; // what WithFacts was judged with
  std::optional<CachedFindings> WithFacts;
};

/// The same on every host and LLVM version (FNV-1a, 64 bits).
uint64_t stableHash(llvm::StringRef Data, uint64_t Seed = 14695981039346656037ull);

/// What of the program's facts the TU's findings depend on: the facts of the functions of
/// other TUs it calls or installs, and for each of its functions the reaper, the wait and the
/// thread start the program has in its process; the directory positions are named below.
std::string factsDigest(const TranslationUnitSummary &TU, const ProgramFacts &Facts);

class ResultCache {
public:
  /// RunKey: everything besides the commands and the files read that decides the results
  /// (the tool's version, the options).
  ResultCache(std::string Directory, std::string RunKey);

  /// The entry of File, if it was made with these commands and no file it read changed.
  std::optional<CacheEntry> load(llvm::StringRef File, llvm::StringRef CommandKey);
  /// Writes the entry (the hashes of Inputs are computed here when they are 0). Errors are not
  /// fatal: the next run parses again.
  void store(llvm::StringRef File, llvm::StringRef CommandKey, CacheEntry Entry);

  /// The hash of a file's content, memoized for the run; none if it cannot be read.
  std::optional<uint64_t> contentHash(const std::string &Path);
  /// Creates the directory; "" or why it cannot be used.
  std::string prepare();

private:
  std::string entryPath(llvm::StringRef File) const;

  std::string Directory, RunKey;
  std::mutex Lock;
  llvm::StringMap<std::optional<uint64_t>> Hashes;
};

} // namespace forkhazard::cli

#endif
