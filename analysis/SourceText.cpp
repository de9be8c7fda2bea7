#include "analysis/SourceText.h"

#include "clang/AST/Expr.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"

using namespace clang;

namespace forkhazard {

std::string sourceText(const ASTContext &Ctx, SourceRange Range) {
  const SourceManager &SM = Ctx.getSourceManager();
  CharSourceRange Chars =
      Lexer::makeFileCharRange(CharSourceRange::getTokenRange(Range), SM, Ctx.getLangOpts());
  if (Chars.isInvalid())
    return {};
  std::string Text = Lexer::getSourceText(Chars, SM, Ctx.getLangOpts()).str();
  // Collapse whitespace so multi-line conditions quote on one line.
  std::string Compact;
  bool Space = false;
  for (char C : Text) {
    if (C == '\n' || C == '\t' || C == ' ') {
      Space = true;
      continue;
    }
    if (Space && !Compact.empty())
      Compact += ' ';
    Space = false;
    Compact += C;
  }
  return Compact;
}

std::optional<int64_t> integerConstant(const Expr *E, const ASTContext &Ctx) {
  Expr::EvalResult Result;
  if (E->isValueDependent() || !E->EvaluateAsInt(Result, Ctx))
    return std::nullopt;
  return Result.Val.getInt().getExtValue();
}

} // namespace forkhazard
