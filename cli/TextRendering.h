// Clang's text rendering for the CLI: one printer for the compiler's own diagnostics of a TU
// (its errors, when it does not parse) and one engine of our own per TU that renders findings,
// so that findings (errors under --werror) never count as the compiler's errors.
#ifndef FORK_HAZARD_CLI_TEXT_RENDERING_H
#define FORK_HAZARD_CLI_TEXT_RENDERING_H

#include "core/ClangDiagnostics.h"
#include "core/Finding.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/DiagnosticOptions.h"
#include "clang/Frontend/TextDiagnosticPrinter.h"
#include "llvm/Support/raw_ostream.h"
#include <memory>
#include <string>

namespace clang {
class LangOptions;
class Preprocessor;
} // namespace clang

namespace forkhazard::cli {

/// DiagnosticOptions as this LLVM's printers and engines take them (by reference from LLVM 21,
/// reference-counted before), set for our output: colour or not, absolute paths.
class TextOptions {
public:
  explicit TextOptions(bool Color);
  ~TextOptions();
#if LLVM_VERSION_MAJOR >= 21
  clang::DiagnosticOptions &get() { return *Options; }
#else
  clang::DiagnosticOptions *get() { return Options.get(); }
#endif

private:
#if LLVM_VERSION_MAJOR >= 21
  std::unique_ptr<clang::DiagnosticOptions> Options;
#else
  llvm::IntrusiveRefCntPtr<clang::DiagnosticOptions> Options;
#endif
};

/// Renders one TU's findings as clang prints diagnostics; each render() returns its own text.
class FindingRenderer {
public:
  FindingRenderer(bool Color, clang::DiagnosticIDs::Level Level, const clang::LangOptions &Lang,
                  const clang::Preprocessor *PP, clang::SourceManager &SM);
  ~FindingRenderer();
  std::string render(const Finding &F, const clang::SourceManager &SM);

private:
  std::string Text;
  llvm::raw_string_ostream Stream;
  TextOptions Options;
  clang::TextDiagnosticPrinter Printer;
  clang::DiagnosticsEngine Diags;
  ClangDiagnosticSink Sink;
};

} // namespace forkhazard::cli

#endif
