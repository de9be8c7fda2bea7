// exit-in-child: a child that did not exec ends with exit() (or by returning from main, which
// calls exit). exit runs the atexit handlers the parent registered and flushes the stdio
// buffers the child inherited, so buffered output is written twice. Fix-it: exit -> _exit.
#include "analysis/PathNotes.h"
#include "analysis/ProgramFacts.h"
#include "analysis/SourceText.h"
#include "analysis/TranslationUnitIndex.h"
#include "rules/Rule.h"
#include "clang/AST/Expr.h"
#include "clang/Lex/Lexer.h"

using namespace clang;

namespace forkhazard {
namespace {

/// The parent hands the program over to the child (daemonizing) when every path of the parent
/// ends with an explicit call right away: nothing of the parent is left to run twice.
bool parentHandsOver(const ForkSiteRoles &Site) {
  bool ParentSeen = false;
  for (const RoleEvent &Event : Site.events()) {
    if (!(Event.Roles & Parent))
      continue;
    if (Site.reachesAnotherFork(Event))
      continue; // it goes on as that fork's parent (a daemonizing parent's second fork)
    ParentSeen = true;
    if (Event.Kind != EventKind::EndsProcess || Event.End == EndKind::ReturnFromMain ||
        Event.End == EndKind::FallOffMain)
      return false;
  }
  return ParentSeen;
}

bool isDeclared(ASTContext &Ctx, llvm::StringRef Name) {
  auto Found = Ctx.getTranslationUnitDecl()->lookup(DeclarationName(&Ctx.Idents.get(Name)));
  return !Found.empty();
}

class ExitInChildRule : public Rule {
public:
  void checkForkSite(const ForkSiteRoles &Site, RuleContext &Context) override {
    bool HandsOver = false, Checked = false;
    for (const RoleEvent &Event : Site.events()) {
      if (Event.Kind != EventKind::EndsProcess || !runsExitHooks(Event.End) ||
          !(Event.Roles & (Child | ChildAfterExec)))
        continue; // a child in shared code is child-escape's finding
      if (!Checked) {
        HandsOver = parentHandsOver(Site);
        Checked = true;
      }
      if (HandsOver)
        return;
      report(Site, Event, Context);
    }
  }

private:
  /// "'main', which calls 'exit'", or the same for a multi-call binary's `X_main`.
  static std::string entryPointDescription(const ForkSiteRoles &Site) {
    const FunctionDecl *Entry = Site.function().decl();
    if (Entry->isMain())
      return "'main', which calls 'exit'";
    return "'" + Entry->getNameAsString() +
           "', a program's entry point whose caller passes its result to 'exit',";
  }

  /// Where a helper of another TU ends the process: the program's facts name the place.
  static std::string elsewhereNote(const ProgramFunction &Helper, const ProgramFacts &Program) {
    std::string Note = "'" + Helper.Name + "' is defined in " + Program.describe(Helper.Where);
    if (Helper.EndingCall.valid())
      Note += "; '" + (Helper.EndingCallee.empty() ? std::string("exit") : Helper.EndingCallee) +
              "' is called in " + Program.describe(Helper.EndingCall);
    return Note;
  }

  void report(const ForkSiteRoles &Site, const RoleEvent &Event, RuleContext &Context) {
    ASTContext &Ctx = Context.Ctx;
    const char *Consequence = "runs the parent's atexit handlers and flushes the stdio buffers "
                              "the child inherited, so buffered output is written twice";
    Finding F;
    F.Location = eventLocation(Event, Site);
    switch (Event.End) {
    case EndKind::ExitCall: {
      const auto *Call = cast<CallExpr>(Event.Where);
      F.Location = Call->getBeginLoc();
      F.Message = std::string("the child process calls 'exit', which ") + Consequence +
                  "; use '_exit'";
      const Expr *Callee = Call->getCallee()->IgnoreParenImpCasts();
      if (isa<DeclRefExpr>(Callee) && Callee->getBeginLoc().isFileID())
        F.FixIts.push_back(FixItHint::CreateReplacement(
            CharSourceRange::getTokenRange(Callee->getSourceRange()), "_exit"));
      if (!isDeclared(Ctx, "_exit"))
        F.note(Call->getBeginLoc(), "'_exit' is declared in <unistd.h>");
      break;
    }
    case EndKind::HelperExits: {
      const auto *Call = cast<CallExpr>(Event.Where);
      F.Message = "the child process calls '" + Call->getDirectCallee()->getNameAsString() +
                  "', which ends it with 'exit' and " + Consequence;
      if (Event.EndingCallInHelper)
        F.note(Event.EndingCallInHelper->getBeginLoc(), "'exit' is called here");
      else if (const ProgramFunction *Elsewhere =
                   Context.Index.programFunction(Call->getDirectCallee()))
        F.note(Call->getBeginLoc(), elsewhereNote(*Elsewhere, *Context.Index.programFacts()));
      break;
    }
    case EndKind::ReturnFromMain: {
      const auto *Return = cast<ReturnStmt>(Event.Where);
      F.Message = "the child process returns from " + entryPointDescription(Site) + " and " +
                  Consequence + "; use '_exit'";
      if (const Expr *Value = Return->getRetValue())
        if (Return->getBeginLoc().isFileID() && Value->getEndLoc().isFileID())
          F.FixIts.push_back(FixItHint::CreateReplacement(
              CharSourceRange::getTokenRange(Return->getBeginLoc(), Value->getEndLoc()),
              "_exit(" + sourceText(Ctx, Value->getSourceRange()) + ")"));
      break;
    }
    default: // FallOffMain
      F.Message = "the child process reaches the end of " + entryPointDescription(Site) +
                  " and " + Consequence + "; end it with '_exit'";
      break;
    }
    RoleBit Role = (Event.Roles & Child) ? Child : ChildAfterExec;
    addForkNote(F, Site, "the child process is created here");
    addBranchNotes(F, Site, Site.pathTo(Event, Role), Role);
    Context.Report.add(std::move(F));
  }
};

} // namespace

std::unique_ptr<Rule> createExitInChildRule() { return std::make_unique<ExitInChildRule>(); }

} // namespace forkhazard
