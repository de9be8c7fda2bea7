#include "core/ClangDiagnostics.h"

#include "analysis/Compat.h"

using namespace clang;

namespace forkhazard {

std::string escapeDiagnosticFormat(llvm::StringRef Text) {
  std::string Out;
  for (char C : Text) {
    if (C == '%')
      Out += '%';
    Out += C;
  }
  return Out;
}

DiagnosticIDs::Level ClangDiagnosticSink::levelLikeClang(const DiagnosticsEngine &Diags,
                                                         bool AsErrors) {
  if (AsErrors)
    return DiagnosticIDs::Error;
  if (Diags.getIgnoreAllWarnings())
    return DiagnosticIDs::Ignored;
  return Diags.getWarningsAsErrors() ? DiagnosticIDs::Error : DiagnosticIDs::Warning;
}

void ClangDiagnosticSink::report(const Finding &F, const SourceManager &) {
  if (Level == DiagnosticIDs::Ignored) {
    ++Ignored;
    return;
  }
  // Custom diagnostic IDs ignore -Werror and -w: the level chosen above is the one emitted.
  std::string Text = escapeDiagnosticFormat(F.Message + " [" + F.fullCheckName() + "]");
  {
    DiagnosticBuilder Builder = Diags.Report(F.Location, compat::customDiagID(Diags, Level, Text));
    for (const FixItHint &Fix : F.FixIts)
      Builder << Fix;
  }
  for (const Finding::Note &N : F.Notes) {
    unsigned NoteID =
        compat::customDiagID(Diags, DiagnosticIDs::Note, escapeDiagnosticFormat(N.Message));
    DiagnosticBuilder Builder = Diags.Report(N.Location, NoteID);
    for (const FixItHint &Fix : N.FixIts)
      Builder << Fix;
  }
  ++Emitted;
}

} // namespace forkhazard
