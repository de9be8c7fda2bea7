#include "core/Reporter.h"

#include "analysis/Compat.h"
#include "core/NolintComments.h"
#include "analysis/SourceOrder.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/Hashing.h"
#include <algorithm>

using namespace clang;

namespace forkhazard {

/// Custom diagnostics take format strings: a literal '%' must be doubled.
static std::string escapeFormat(llvm::StringRef Text) {
  std::string Out;
  for (char C : Text) {
    if (C == '%')
      Out += '%';
    Out += C;
  }
  return Out;
}

void Reporter::add(Finding F) {
  F.Check = CurrentCheck;
  const SourceManager &SM = Ctx.getSourceManager();
  if (F.Location.isInvalid() || SM.isInSystemHeader(SM.getExpansionLoc(F.Location)))
    return;
  auto Key = std::make_pair(static_cast<unsigned>(llvm::hash_value(F.Check)),
                            SM.getExpansionLoc(F.Location).getRawEncoding());
  if (!Seen.insert(Key).second)
    return;
  Pending.push_back(std::move(F));
}

void Reporter::flush() {
  const SourceManager &SM = Ctx.getSourceManager();
  // In source order; findings at one place keep the order the rules reported them in.
  sortInSourceOrder(Pending, SM, [&](const Finding &F) { return SM.getExpansionLoc(F.Location); });
  DiagnosticsEngine &Diags = Ctx.getDiagnostics();
  // What clang does with a warning: -w drops it, -Werror (unless -Wno-error) makes it an error.
  // Our own -fplugin-arg-fork-hazard-werror is like -Werror=<our group>: -w does not drop it.
  DiagnosticIDs::Level Level = DiagnosticIDs::Warning;
  if (AsErrors)
    Level = DiagnosticIDs::Error;
  else if (Diags.getIgnoreAllWarnings())
    Level = DiagnosticIDs::Ignored;
  else if (Diags.getWarningsAsErrors())
    Level = DiagnosticIDs::Error;
  NolintComments Nolint(SM);
  for (Finding &F : Pending) {
    std::string FullName = "fork-hazard-" + F.Check;
    NolintComments::Verdict Verdict = Nolint.check(F.Location, FullName);
    if (Verdict.Suppressed || Level == DiagnosticIDs::Ignored) {
      ++Suppressed;
      continue;
    }
    if (Verdict.UnmatchedBegin.isValid())
      F.note(Verdict.UnmatchedBegin, "this 'NOLINTBEGIN' has no matching 'NOLINTEND', so it "
                                     "suppresses nothing");
    std::string Text = escapeFormat(F.Message + " [" + FullName + "]");
    unsigned ID = compat::customDiagID(Diags, Level, Text);
    {
      DiagnosticBuilder Builder = Diags.Report(F.Location, ID);
      for (const FixItHint &Fix : F.FixIts)
        Builder << Fix;
    }
    for (const Finding::Note &N : F.Notes) {
      unsigned NoteID = compat::customDiagID(Diags, DiagnosticIDs::Note, escapeFormat(N.Message));
      DiagnosticBuilder Builder = Diags.Report(N.Location, NoteID);
      for (const FixItHint &Fix : N.FixIts)
        Builder << Fix;
    }
    ++Emitted;
  }
  Pending.clear();
}


} // namespace forkhazard
