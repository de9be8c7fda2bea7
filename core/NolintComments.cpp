#include "core/NolintComments.h"

#include "analysis/Compat.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/MemoryBuffer.h"
#include <algorithm>
#include "llvm/Support/GlobPattern.h"
#include <cctype>

using namespace clang;

namespace forkhazard {

static bool listMatches(llvm::StringRef Checks, llvm::StringRef FullCheckName) {
  llvm::SmallVector<llvm::StringRef, 4> Globs;
  Checks.split(Globs, ',', -1, false);
  for (llvm::StringRef Glob : Globs) {
    auto Pattern = llvm::GlobPattern::create(Glob.trim());
    if (!Pattern) {
      llvm::consumeError(Pattern.takeError());
      continue;
    }
    if (Pattern->match(FullCheckName))
      return true;
  }
  return false;
}

/// A check list written the same way twice: NOLINTEND closes the NOLINTBEGIN whose list it
/// repeats (whitespace aside), as in clang-tidy.
static std::string normalized(llvm::StringRef Checks) {
  std::string Out;
  for (char C : Checks)
    if (!std::isspace(static_cast<unsigned char>(C)))
      Out += C;
  return Out;
}

NolintComments::FileComments
NolintComments::scan(llvm::StringRef Text, llvm::function_ref<unsigned(unsigned)> LineOf) {
  FileComments Comments;
  std::vector<Directive> Begins;
  for (size_t At = Text.find("NOLINT"); At != llvm::StringRef::npos;
       At = Text.find("NOLINT", At + 1)) {
    llvm::StringRef Rest = Text.substr(At + strlen("NOLINT"));
    enum { SameLine, NextLine, Begin, End } Kind = SameLine;
    if (compat::startsWith(Rest, "NEXTLINE"))
      Kind = NextLine, Rest = Rest.drop_front(strlen("NEXTLINE"));
    else if (compat::startsWith(Rest, "BEGIN"))
      Kind = Begin, Rest = Rest.drop_front(strlen("BEGIN"));
    else if (compat::startsWith(Rest, "END"))
      Kind = End, Rest = Rest.drop_front(strlen("END"));
    if (!Rest.empty() && (std::isalnum(static_cast<unsigned char>(Rest[0])) || Rest[0] == '_'))
      continue; // NOLINTFOO is not a directive
    std::string Checks = "*";
    if (compat::startsWith(Rest, "(")) {
      size_t Close = Rest.find_first_of(")\n");
      if (Close != llvm::StringRef::npos && Rest[Close] == ')')
        Checks = Rest.substr(1, Close - 1).str();
    }
    unsigned Offset = static_cast<unsigned>(At);
    Directive D{Offset, LineOf(Offset), Checks};
    switch (Kind) {
    case SameLine:
      Comments.SameLine.push_back(D);
      break;
    case NextLine:
      Comments.NextLine.push_back(D);
      break;
    case Begin:
      Begins.push_back(D);
      break;
    case End:
      // Closes the innermost open NOLINTBEGIN with the same list; a stray NOLINTEND is ignored.
      for (auto Open = Begins.rbegin(); Open != Begins.rend(); ++Open)
        if (normalized(Open->Checks) == normalized(Checks)) {
          Comments.Regions.push_back({Open->Offset, Offset, Open->Line, D.Line, Open->Checks});
          Begins.erase(std::next(Open).base());
          break;
        }
      break;
    }
  }
  for (const Directive &Open : Begins)
    Comments.Regions.push_back({Open.Offset, ~0u, Open.Line, ~0u, Open.Checks});
  return Comments;
}

const NolintComments::FileComments &NolintComments::commentsOf(FileID File) {
  auto Found = Files.find(File);
  if (Found != Files.end())
    return Found->second;
  FileComments &Comments = Files[File];
  bool Invalid = false;
  llvm::StringRef Text = SM.getBufferData(File, &Invalid);
  if (!Invalid)
    Comments = scan(Text, [&](unsigned Offset) { return SM.getLineNumber(File, Offset); });
  return Comments;
}

const NolintComments::FileComments *NolintComments::commentsOfOriginal(llvm::StringRef Path) {
  auto [It, Inserted] = OriginalFiles.try_emplace(Path);
  if (!Inserted)
    return It->second.get();
  auto Buffer = llvm::MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buffer)
    return nullptr;
  llvm::StringRef Text = (*Buffer)->getBuffer();
  std::vector<unsigned> LineStarts{0};
  for (size_t I = 0; I < Text.size(); ++I)
    if (Text[I] == '\n')
      LineStarts.push_back(I + 1);
  It->second = std::make_unique<FileComments>(scan(Text, [&](unsigned Offset) {
    return static_cast<unsigned>(
        std::upper_bound(LineStarts.begin(), LineStarts.end(), Offset) - LineStarts.begin());
  }));
  return It->second.get();
}

/// By line only: the suppressions of a file the compiler saw only preprocessed.
bool NolintComments::suppressesLine(const FileComments &Comments, unsigned Line,
                                    llvm::StringRef FullCheckName) {
  for (const Directive &D : Comments.SameLine)
    if (D.Line == Line && listMatches(D.Checks, FullCheckName))
      return true;
  for (const Directive &D : Comments.NextLine)
    if (D.Line + 1 == Line && listMatches(D.Checks, FullCheckName))
      return true;
  for (const Region &R : Comments.Regions)
    if (R.End != ~0u && R.BeginLine <= Line && Line <= R.EndLine &&
        listMatches(R.Checks, FullCheckName))
      return true;
  return false;
}

NolintComments::Verdict NolintComments::check(SourceLocation Loc,
                                              llvm::StringRef FullCheckName) {
  Verdict Result;
  if (Loc.isInvalid())
    return Result;
  std::pair<FileID, unsigned> Where = SM.getDecomposedExpansionLoc(Loc);
  if (Where.first.isInvalid())
    return Result;
  const FileComments &Comments = commentsOf(Where.first);
  unsigned Line = SM.getLineNumber(Where.first, Where.second);
  for (const Directive &D : Comments.SameLine)
    if (D.Line == Line && listMatches(D.Checks, FullCheckName))
      Result.Suppressed = true;
  for (const Directive &D : Comments.NextLine)
    if (D.Line + 1 == Line && listMatches(D.Checks, FullCheckName))
      Result.Suppressed = true;
  for (const Region &R : Comments.Regions) {
    if (Where.second < R.Begin || !listMatches(R.Checks, FullCheckName))
      continue;
    if (R.End == ~0u)
      Result.UnmatchedBegin = SM.getComposedLoc(Where.first, R.Begin);
    else if (Where.second <= R.End)
      Result.Suppressed = true;
  }
  if (!Result.Suppressed)
    Result.Suppressed = suppressedInOriginal(Where, FullCheckName);
  return Result;
}

bool NolintComments::suppressedInOriginal(std::pair<FileID, unsigned> Where,
                                          llvm::StringRef FullCheckName) {
  // Preprocessed input (ccache's, sccache's, distcc's, a .i file) has lost its comments; its
  // line markers name the original, whose comments say what the author suppressed.
  SourceLocation Loc = SM.getComposedLoc(Where.first, Where.second);
  PresumedLoc Presumed = SM.getPresumedLoc(Loc), Physical = SM.getPresumedLoc(Loc, false);
  if (Presumed.isInvalid() || Physical.isInvalid() ||
      llvm::StringRef(Presumed.getFilename()) == Physical.getFilename() ||
      compat::startsWith(Presumed.getFilename(), "<"))
    return false;
  const FileComments *Original = commentsOfOriginal(Presumed.getFilename());
  return Original && suppressesLine(*Original, Presumed.getLine(), FullCheckName);
}

void NolintFilter::report(const Finding &F, const SourceManager &SM) {
  if (CommentsOf != &SM) {
    Comments = std::make_unique<NolintComments>(SM);
    CommentsOf = &SM;
  }
  NolintComments::Verdict Verdict = Comments->check(F.Location, F.fullCheckName());
  if (Verdict.Suppressed) {
    ++Suppressed;
    return;
  }
  if (Verdict.UnmatchedBegin.isInvalid())
    return Next.report(F, SM);
  Finding Noted = F;
  Noted.note(Verdict.UnmatchedBegin,
             "this 'NOLINTBEGIN' has no matching 'NOLINTEND', so it suppresses nothing");
  Next.report(Noted, SM);
}

} // namespace forkhazard
