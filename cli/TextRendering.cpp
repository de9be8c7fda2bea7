#include "cli/TextRendering.h"

#include "clang/Basic/DiagnosticIDs.h"

using namespace clang;

namespace forkhazard::cli {

TextOptions::TextOptions(bool Color) : Options(new DiagnosticOptions()) {
  Options->ShowColors = Color;
  Options->AbsolutePath = true; // the database may name files relative to its directories
}
TextOptions::~TextOptions() = default;

FindingRenderer::FindingRenderer(bool Color, DiagnosticIDs::Level Level, const LangOptions &Lang,
                                 const Preprocessor *PP, SourceManager &SM)
    : Stream(Text), Options(Color), Printer(Stream, Options.get()),
      Diags(llvm::IntrusiveRefCntPtr<DiagnosticIDs>(new DiagnosticIDs()), Options.get(),
            &Printer, /*ShouldOwnClient=*/false),
      Sink(Diags, Level) {
  Stream.enable_colors(Color); // a string stream has none unless told
  Diags.setSourceManager(&SM);
  Printer.BeginSourceFile(Lang, PP);
}

FindingRenderer::~FindingRenderer() { Printer.EndSourceFile(); }

std::string FindingRenderer::render(const Finding &F, const SourceManager &SM) {
  Stream.flush();
  Text.clear();
  Sink.report(F, SM);
  Stream.flush();
  return Text;
}

} // namespace forkhazard::cli
