#include "core/ResolvedFinding.h"

#include "analysis/Compat.h"
#include "analysis/ProgramKeys.h"
#include "clang/Basic/FileManager.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include <algorithm>

using namespace clang;

namespace forkhazard {

llvm::StringRef pathBelow(llvm::StringRef File, llvm::StringRef Directory) {
  if (Directory.empty() || !compat::startsWith(File, Directory))
    return "";
  llvm::StringRef Rest = File.drop_front(Directory.size());
  if (!compat::endsWith(Directory, "/")) {
    if (!compat::startsWith(Rest, "/"))
      return ""; // "/p/srcx" is not below "/p/src"
    Rest = Rest.drop_front();
  }
  return Rest;
}

ResolvedLocation resolveLocation(SourceLocation Loc, const SourceManager &SM) {
  ResolvedLocation Resolved;
  if (Loc.isInvalid())
    return Resolved;
  SourceLocation Expansion = SM.getExpansionLoc(Loc);
  PresumedLoc Presumed = SM.getPresumedLoc(Expansion, /*UseLineDirectives=*/false);
  if (Presumed.isInvalid())
    return Resolved;
  Resolved.File = absolutePath(Presumed.getFilename(), SM);
  Resolved.Line = Presumed.getLine();
  Resolved.Column = Presumed.getColumn();
  Resolved.Offset = SM.getFileOffset(Expansion);
  return Resolved;
}

static std::string lineText(SourceLocation Loc, const SourceManager &SM) {
  if (Loc.isInvalid())
    return "";
  SourceLocation Expansion = SM.getExpansionLoc(Loc);
  bool Invalid = false;
  llvm::StringRef Buffer = SM.getBufferData(SM.getFileID(Expansion), &Invalid);
  if (Invalid)
    return "";
  unsigned Offset = SM.getFileOffset(Expansion);
  size_t Begin = Buffer.rfind('\n', Offset);
  Begin = Begin == llvm::StringRef::npos ? 0 : Begin + 1;
  size_t End = Buffer.find('\n', Offset);
  return Buffer.slice(Begin, End).trim().str();
}

ResolvedFinding resolveFinding(const Finding &F, const SourceManager &SM,
                               const LangOptions &LangOpts, bool IsError) {
  ResolvedFinding R;
  R.Check = F.Check;
  R.IsError = IsError;
  R.Location = resolveLocation(F.Location, SM);
  R.Message = F.Message;
  R.LineText = lineText(F.Location, SM);
  for (const Finding::Note &N : F.Notes)
    R.Notes.push_back({resolveLocation(N.Location, SM), N.Message});
  for (const FixItHint &Fix : F.FixIts) {
    CharSourceRange Range = Fix.RemoveRange;
    if (Range.isTokenRange()) // a token range ends after its last token
      Range = CharSourceRange::getCharRange(
          Range.getBegin(), Lexer::getLocForEndOfToken(Range.getEnd(), 0, SM, LangOpts));
    ResolvedFixIt Resolved{resolveLocation(Range.getBegin(), SM),
                           resolveLocation(Range.getEnd(), SM), Fix.CodeToInsert};
    if (Resolved.Begin.isValid() && Resolved.End.isValid())
      R.FixIts.push_back(std::move(Resolved));
  }
  return R;
}

void sortAndMerge(std::vector<ResolvedFinding> &Findings) {
  // By position only: findings at one place keep the order they came in (the rules' order in
  // a TU, then the database's), so the output is the plugin's and the same at every -j.
  auto Position = [](const ResolvedFinding &F) {
    return std::tie(F.Location.File, F.Location.Line, F.Location.Column);
  };
  std::vector<size_t> Order(Findings.size());
  for (size_t I = 0; I < Order.size(); ++I)
    Order[I] = I;
  std::sort(Order.begin(), Order.end(), [&](size_t A, size_t B) {
    if (Position(Findings[A]) != Position(Findings[B]))
      return Position(Findings[A]) < Position(Findings[B]);
    return A < B;
  });
  std::vector<ResolvedFinding> Merged;
  size_t GroupStart = 0; // where the findings at Merged.back()'s position begin
  for (size_t I : Order) {
    if (!Merged.empty() && Position(Merged.back()) != Position(Findings[I]))
      GroupStart = Merged.size();
    bool Repeat = false;
    for (size_t J = GroupStart; J < Merged.size() && !Repeat; ++J)
      Repeat = Merged[J].key() == Findings[I].key();
    if (!Repeat)
      Merged.push_back(std::move(Findings[I]));
  }
  Findings = std::move(Merged);
}

} // namespace forkhazard
