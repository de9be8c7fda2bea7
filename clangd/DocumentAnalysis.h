// The analysis of one open document, in the analysis worker: its current text (the editor's
// unsaved buffer, as an in-memory file over the real ones) parsed with its compile command, the
// checks run on it by the shared core, and the findings turned into LSP diagnostics with their
// fixes. Like clangd, each document keeps a precompiled preamble (its #include block), so an edit
// below the includes re-parses the main file only.
#ifndef FORK_HAZARD_CLANGD_DOCUMENT_ANALYSIS_H
#define FORK_HAZARD_CLANGD_DOCUMENT_ANALYSIS_H

#include "clangd/CompileCommandLookup.h"
#include "clangd/Documents.h"
#include "core/Options.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "llvm/Support/JSON.h"
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace forkhazard {
class ProgramFacts;
}

namespace forkhazard::clangd {

/// How fork-hazard-clangd spells the shared options (--fork-hazard-<name>), in help and errors.
extern const OptionSyntax ProxySyntax;

struct AnalysisRequest {
  std::string Uri, Path, Text;
  PositionEncoding Encoding = PositionEncoding::UTF16;
  /// The client shows relatedInformation; else the notes go into the message, as clangd does.
  bool RelatedInformation = true;
};

/// The worker's answer: {"diagnostics": [LSP Diagnostic], "fixes": [[{title, edits}]] (one
/// list per diagnostic), "error": one sentence when the options or facts are unusable,
/// "parsed": false when the file has compile errors, "preamble": "built"/"reused"}.
class DocumentAnalyzer {
public:
  DocumentAnalyzer(CompileCommandLookup &Commands, std::vector<std::string> SharedArgs);
  ~DocumentAnalyzer();
  llvm::json::Object analyze(const AnalysisRequest &Request);
  /// The document was closed: its preamble goes.
  void forget(llvm::StringRef Path);

  struct PreambleEntry;

private:
  const ProgramFacts *factsFor(llvm::StringRef FactsFile, std::string &Warning);

  CompileCommandLookup &Commands;
  std::vector<std::string> SharedArgs;
  /// What every command goes through before clang parses it: the CLI's rewrite.
  clang::tooling::ArgumentsAdjuster Adjust;
  std::map<std::string, std::unique_ptr<PreambleEntry>> Preambles;
  unsigned UseCounter = 0;
  struct LoadedFacts;
  std::unique_ptr<LoadedFacts> Facts;
};

} // namespace forkhazard::clangd

#endif
