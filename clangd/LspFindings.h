// Findings as LSP diagnostics (Diagnostic objects with source "fork-hazard", the check as
// code and its page as codeDescription, the notes as relatedInformation) and their fix-its as
// edits, positions counted in the client's encoding.
#ifndef FORK_HAZARD_CLANGD_LSP_FINDINGS_H
#define FORK_HAZARD_CLANGD_LSP_FINDINGS_H

#include "clangd/DocumentAnalysis.h"
#include "core/Finding.h"
#include "llvm/Support/JSON.h"

namespace clang {
class LangOptions;
}

namespace forkhazard::clangd {

struct LspFindings {
  llvm::json::Array Diagnostics;
  /// One list per diagnostic, each fix {"title", "edits": [TextEdit]}.
  llvm::json::Array Fixes;
};

/// Receives the findings of one document (those in the document itself, as clangd publishes).
class LspFindingSink : public FindingSink {
public:
  LspFindingSink(LspFindings &Out, const clang::LangOptions &Lang, bool Werror,
                 const AnalysisRequest &Request)
      : Out(Out), Lang(Lang), Werror(Werror), Request(Request) {}
  void report(const Finding &F, const clang::SourceManager &SM) override;

private:
  llvm::json::Object range(clang::SourceLocation Loc, const clang::SourceManager &SM) const;
  LspFindings &Out;
  const clang::LangOptions &Lang;
  bool Werror;
  const AnalysisRequest &Request;
};

} // namespace forkhazard::clangd

#endif
