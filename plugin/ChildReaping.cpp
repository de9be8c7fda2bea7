#include "plugin/ChildReaping.h"

#include "plugin/Compat.h"
#include "plugin/TranslationUnitIndex.h"
#include "clang/Lex/Lexer.h"

using namespace clang;

namespace forkhazard {

/// The macro an argument is spelled with ("SIGCHLD", "P_ALL"), if any.
static llvm::StringRef macroName(const Expr *E, ASTContext &Ctx) {
  SourceLocation Loc = E->IgnoreParenImpCasts()->getBeginLoc();
  if (!Loc.isMacroID())
    return {};
  return Lexer::getImmediateMacroName(Loc, Ctx.getSourceManager(), Ctx.getLangOpts());
}

static bool isSigchld(const Expr *E, ASTContext &Ctx) {
  llvm::StringRef Name = macroName(E, Ctx);
  return Name == "SIGCHLD" || Name == "SIGCLD";
}

ChildReaping ChildReaping::of(const TranslationUnitIndex &Index, ASTContext &Ctx) {
  ChildReaping Result;
  for (llvm::StringRef Setter : {"signal", "sigaction", "sigset", "bsd_signal"})
    for (const CallExpr *Call : Index.callsTo(Setter))
      if (!Result.SigchldSetup && Call->getNumArgs() >= 1 && isSigchld(Call->getArg(0), Ctx))
        Result.SigchldSetup = Call;

  auto Note = [&](const CallExpr *Call) {
    if (!Result.AnyChildReaper)
      Result.AnyChildReaper = Call;
  };
  for (llvm::StringRef AnyChild : {"wait", "wait3"})
    for (const CallExpr *Call : Index.callsTo(AnyChild))
      Note(Call);
  for (llvm::StringRef ByPid : {"waitpid", "wait4"})
    for (const CallExpr *Call : Index.callsTo(ByPid))
      if (Call->getNumArgs() >= 1)
        if (auto Value = compat::integerConstant(Call->getArg(0), Ctx))
          if (Value->getSExtValue() <= 0)
            Note(Call); // -1: any child; 0 or -pgid: any child of a group
  // waitid(P_ALL or P_PGID, ...); glibc's idtype_t values are enumerators, P_PID is 1.
  for (const CallExpr *Call : Index.callsTo("waitid"))
    if (Call->getNumArgs() >= 1)
      if (auto IdType = compat::integerConstant(Call->getArg(0), Ctx))
        if (IdType->getSExtValue() == 0 || IdType->getSExtValue() == 2)
          Note(Call);
  return Result;
}

} // namespace forkhazard
