// Suppression comments, read as clang-tidy reads them: `// NOLINT`, `// NOLINT(checks)`,
// `// NOLINTNEXTLINE(checks)`, `// NOLINTBEGIN(checks)` ... `// NOLINTEND(checks)`, where checks
// is a comma-separated list of globs over full check names (fork-hazard-*). A file is scanned
// only when it has a finding. Preprocessed input (a cache's or a distributed build's) has no
// comments left: the original file its line markers name is read instead, when it exists.
#ifndef FORK_HAZARD_NOLINT_COMMENTS_H
#define FORK_HAZARD_NOLINT_COMMENTS_H

#include "core/Finding.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"
#include <memory>
#include <string>
#include <vector>

namespace forkhazard {

class NolintComments {
public:
  explicit NolintComments(const clang::SourceManager &SM) : SM(SM) {}

  struct Verdict {
    bool Suppressed = false;
    /// A NOLINTBEGIN that would have covered the finding but has no NOLINTEND (as in
    /// clang-tidy, it suppresses nothing); invalid if none.
    clang::SourceLocation UnmatchedBegin;
  };
  /// Whether a comment suppresses FullCheckName ("fork-hazard-...") at Loc's expansion line.
  Verdict check(clang::SourceLocation Loc, llvm::StringRef FullCheckName);

private:
  struct Directive {
    unsigned Offset; // of the NOLINT keyword in the file
    unsigned Line;
    std::string Checks; // the text between the parentheses; "*" when there are none
  };
  struct Region {
    unsigned Begin, End; // offsets; End = ~0u for an unmatched NOLINTBEGIN
    unsigned BeginLine, EndLine;
    std::string Checks;
  };
  struct FileComments {
    std::vector<Directive> SameLine, NextLine;
    std::vector<Region> Regions;
  };
  static FileComments scan(llvm::StringRef Text, llvm::function_ref<unsigned(unsigned)> LineOf);
  static bool suppressesLine(const FileComments &Comments, unsigned Line,
                             llvm::StringRef FullCheckName);
  const FileComments &commentsOf(clang::FileID File);
  /// The comments of a file read from disk (null when it cannot be read), by path.
  const FileComments *commentsOfOriginal(llvm::StringRef Path);
  bool suppressedInOriginal(std::pair<clang::FileID, unsigned> Where,
                            llvm::StringRef FullCheckName);

  const clang::SourceManager &SM;
  llvm::DenseMap<clang::FileID, FileComments> Files;
  llvm::StringMap<std::unique_ptr<FileComments>> OriginalFiles;
};

/// The sink policy every front end applies the same way: drops the findings a NOLINT comment
/// suppresses (counting them), notes a NOLINTBEGIN without its NOLINTEND, and hands the rest on.
class NolintFilter : public FindingSink {
public:
  explicit NolintFilter(FindingSink &Next) : Next(Next) {}
  void report(const Finding &F, const clang::SourceManager &SM) override;
  unsigned suppressed() const { return Suppressed; }

private:
  FindingSink &Next;
  const clang::SourceManager *CommentsOf = nullptr; // the TU whose comments Comments holds
  std::unique_ptr<NolintComments> Comments;
  unsigned Suppressed = 0;
};

} // namespace forkhazard

#endif
