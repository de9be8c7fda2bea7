// The clang-diagnostics sink: a finding becomes a warning (or error) with the
// `[fork-hazard-<check>]` suffix, its notes and fix-its, through a DiagnosticsEngine. The plugin
// reports into the compiler's own engine; the CLI renders its text output with it.
#ifndef FORK_HAZARD_CLANG_DIAGNOSTICS_H
#define FORK_HAZARD_CLANG_DIAGNOSTICS_H

#include "core/Finding.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/DiagnosticIDs.h"

namespace forkhazard {

/// A finding's text as a custom diagnostic's format string (a literal '%' doubled), for every
/// front end that reports through a DiagnosticsEngine.
std::string escapeDiagnosticFormat(llvm::StringRef Text);

class ClangDiagnosticSink : public FindingSink {
public:
  /// Level: what a finding becomes (Warning or Error); Ignored drops every finding, counted.
  ClangDiagnosticSink(clang::DiagnosticsEngine &Diags, clang::DiagnosticIDs::Level Level)
      : Diags(Diags), Level(Level) {}
  void report(const Finding &F, const clang::SourceManager &SM) override;
  unsigned emitted() const { return Emitted; }
  unsigned ignored() const { return Ignored; }

  /// What clang itself does with a warning of a TU compiled with Diags' settings: -w drops it,
  /// -Werror (unless -Wno-error) makes it an error. AsErrors (the werror option) acts like
  /// -Werror=<our group>: -w does not drop it.
  static clang::DiagnosticIDs::Level levelLikeClang(const clang::DiagnosticsEngine &Diags,
                                                    bool AsErrors);

private:
  clang::DiagnosticsEngine &Diags;
  clang::DiagnosticIDs::Level Level;
  unsigned Emitted = 0, Ignored = 0;
};

} // namespace forkhazard

#endif
