#include "clangd/LspFindings.h"

#include "analysis/ProgramKeys.h"
#include "core/CheckDocs.h"
#include "core/ResolvedFinding.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/Support/Path.h"

using namespace clang;

namespace forkhazard::clangd {

/// The token at Loc's expansion as an LSP range (clangd underlines the token too).
llvm::json::Object LspFindingSink::range(SourceLocation Loc, const SourceManager &SM) const {
  SourceLocation Expansion = SM.getExpansionLoc(Loc);
  std::pair<FileID, unsigned> Decomposed = SM.getDecomposedLoc(Expansion);
  bool Invalid = false;
  llvm::StringRef Data = SM.getBufferData(Decomposed.first, &Invalid);
  if (Invalid)
    Data = "";
  unsigned Length = Lexer::MeasureTokenLength(Expansion, SM, Lang);
  return llvm::json::Object{
      {"start", positionOf(Data, Decomposed.second, Request.Encoding)},
      {"end", positionOf(Data, Decomposed.second + std::max(Length, 1u), Request.Encoding)}};
}

/// clangd's words for a fix-it: "insert 'x'", "remove 'x'", "change 'x' to 'y'".
static std::string fixTitle(llvm::ArrayRef<ResolvedFixIt> Edits, llvm::StringRef Text,
                            llvm::StringRef Check) {
  if (Edits.size() != 1)
    return "apply the fix-it of " + fullCheckName(Check);
  const ResolvedFixIt &Edit = Edits.front();
  llvm::StringRef Removed =
      Text.slice(Edit.Begin.Offset, std::max(Edit.Begin.Offset, Edit.End.Offset)).trim();
  llvm::StringRef Inserted = llvm::StringRef(Edit.Replacement).trim();
  if (Removed.empty())
    return "insert '" + Inserted.str() + "'";
  if (Inserted.empty())
    return "remove '" + Removed.str() + "'";
  return "change '" + Removed.str() + "' to '" + Inserted.str() + "'";
}

void LspFindingSink::report(const Finding &F, const SourceManager &SM) {
  SourceLocation Expansion = SM.getExpansionLoc(F.Location);
  if (!SM.isWrittenInMainFile(Expansion))
    return; // a header's finding is published with the header, as clangd does
  ResolvedFinding Resolved = resolveFinding(F, SM, Lang, Werror);
  std::string Message = Resolved.Message + " [" + Resolved.fullCheckName() + "]";
  llvm::json::Array Related;
  for (const Finding::Note &Note : F.Notes) {
    ResolvedLocation At = resolveLocation(Note.Location, SM);
    if (!At.isValid())
      continue;
    if (Request.RelatedInformation)
      Related.push_back(llvm::json::Object{
          {"location", llvm::json::Object{{"uri", uriFromPath(At.File)},
                                          {"range", range(Note.Location, SM)}}},
          {"message", Note.Message}});
    else // clangd's way for clients without relatedInformation: the notes in the message
      Message += "\n\n" + llvm::sys::path::filename(At.File).str() + ":" +
                 std::to_string(At.Line) + ":" + std::to_string(At.Column) + ": note: " +
                 Note.Message;
  }
  llvm::json::Object Diagnostic{
      {"range", range(F.Location, SM)},
      {"severity", Werror ? 1 : 2},
      {"source", "fork-hazard"},
      {"code", Resolved.fullCheckName()},
      {"codeDescription", llvm::json::Object{{"href", checkDocsUrl(Resolved.Check)}}},
      {"message", std::move(Message)}};
  if (!Related.empty())
    Diagnostic["relatedInformation"] = std::move(Related);

  // The fix-its in the document itself (clangd too offers no edits of other files).
  llvm::StringRef Text = SM.getBufferData(SM.getMainFileID());
  std::vector<ResolvedFixIt> Edits;
  for (const ResolvedFixIt &Fix : Resolved.FixIts)
    if (Fix.Begin.File == Resolved.Location.File && Fix.End.Offset >= Fix.Begin.Offset)
      Edits.push_back(Fix);
  llvm::json::Array Fixes;
  if (!Edits.empty()) {
    llvm::json::Array TextEdits;
    for (const ResolvedFixIt &Edit : Edits)
      TextEdits.push_back(llvm::json::Object{
          {"range", llvm::json::Object{{"start", positionOf(Text, Edit.Begin.Offset, Request.Encoding)},
                                       {"end", positionOf(Text, Edit.End.Offset, Request.Encoding)}}},
          {"newText", Edit.Replacement}});
    Fixes.push_back(llvm::json::Object{{"title", fixTitle(Edits, Text, Resolved.Check)},
                                       {"edits", std::move(TextEdits)}});
  }
  Out.Diagnostics.push_back(std::move(Diagnostic));
  Out.Fixes.push_back(std::move(Fixes));
}

} // namespace forkhazard::clangd
