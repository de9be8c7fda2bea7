#include "analysis/PathNotes.h"

#include "analysis/SourceText.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/Stmt.h"
#include "clang/AST/StmtCXX.h"

using namespace clang;

namespace forkhazard {

std::string forkName(const ForkSite &Site) {
  return Site.Callee ? Site.Callee->getNameAsString() : std::string("fork");
}

/// "0", or "2 to 5" for a role-telling call's values.
static std::string valueText(PidRange Value) {
  std::string Low = std::to_string(Value.Low);
  return Value.Low == Value.High ? Low : Low + " to " + std::to_string(Value.High);
}

void addForkNote(Finding &F, const ForkSiteRoles &Site, llvm::StringRef What) {
  const ForkSite &Fork = Site.site();
  std::string Text = What.str();
  if (Fork.NamedForkFunction)
    Text += " (by '" + forkName(Fork) + "', a fork function named in fork-functions)";
  else if (Fork.ViaWrapper)
    Text += " (by '" + forkName(Fork) + "', which returns the result of a fork)";
  else if (Fork.ViaRoleTellingCall)
    Text += " (in '" + forkName(Fork) + "', which returns " + valueText(Fork.ChildValue) +
            " in the child and " + valueText(Fork.ParentValue) + " in the parent)";
  F.note(Fork.Call->getBeginLoc(), Text);
}

/// Which process, as the end of "... is true ___": "in the child process".
static std::string whichProcess(RoleBit Role) {
  if (Role == Parent)
    return "in the parent process";
  if (Role == ForkFailed)
    return "when the fork fails";
  return "in the child process";
}

void addBranchNotes(Finding &F, const ForkSiteRoles &Site, llvm::ArrayRef<PathStep> Path,
                    RoleBit Role) {
  const ASTContext &Ctx = Site.function().astContext();
  for (size_t I = 0; I + 1 < Path.size(); ++I) {
    const CFGBlock *Block = Path[I].Block;
    const Stmt *Terminator = Block->getTerminatorStmt();
    if (!Terminator || Block->succ_size() < 2)
      continue;
    // Which edge did the path take, and would every role have taken it?
    unsigned Index = 0, Taken = ~0u;
    for (const CFGBlock *Succ : Block->succs()) {
      if (Succ == Path[I + 1].Block)
        Taken = Index;
      ++Index;
    }
    if (Taken == ~0u)
      continue;
    // Worth a note: the edge that separates this process from the other side of the fork.
    RoleBit OtherSide = (Path[I].RoleOnEntry & ChildRoles) ? Parent : Child;
    if (Site.roleAcrossEdge(Block, Taken, OtherSide))
      continue;
    std::string Who = whichProcess(Path[I].RoleOnEntry);
    (void)Role;
    if (const auto *Switch = dyn_cast<SwitchStmt>(Terminator)) {
      const Stmt *Label = Path[I + 1].Block->getLabel();
      F.note(Label ? Label->getBeginLoc() : Switch->getBeginLoc(),
             Path[I].RoleOnEntry == ForkFailed
                 ? std::string("this case is taken when the fork fails")
                 : "the " + Who.substr(strlen("in the ")) + " takes this case");
      continue;
    }
    const Expr *Cond = branchCondition(Block);
    if (!Cond)
      continue;
    bool TrueEdge = Taken == 0;
    // A condition spelled inside a macro has no text of its own to quote.
    std::string Text = sourceText(Ctx, Cond->getSourceRange());
    F.note(Cond->getBeginLoc(), (Text.empty() ? std::string("the condition") : "'" + Text + "'") +
                                    " is " + (TrueEdge ? "true" : "false") + " " + Who);
  }
}

std::optional<size_t> sharedCodeEntryOnPath(llvm::ArrayRef<PathStep> Path) {
  for (size_t I = 0; I < Path.size(); ++I)
    if (Path[I].RoleOnEntry & ChildInSharedCode)
      return I;
  return std::nullopt;
}

const Stmt *firstLoopBackEdge(llvm::ArrayRef<PathStep> Path) {
  for (const PathStep &Step : Path)
    if (const Stmt *Loop = Step.Block->getLoopTarget())
      return Loop;
  return nullptr;
}

std::string quotedFunctionName(const ForkSiteRoles &Site) {
  return "'" + Site.function().decl()->getNameAsString() + "'";
}

SourceLocation functionEnd(const ForkSiteRoles &Site) {
  const Stmt *Body = Site.function().decl()->getBody();
  if (const auto *Compound = dyn_cast_or_null<CompoundStmt>(Body))
    return Compound->getRBracLoc();
  return Body ? Body->getEndLoc() : SourceLocation();
}

} // namespace forkhazard

namespace forkhazard {

static std::string calleeName(const CallExpr *Call) {
  const FunctionDecl *Callee = Call->getDirectCallee();
  return Callee ? Callee->getNameAsString() : std::string("the callee");
}

SourceLocation eventLocation(const RoleEvent &Event, const ForkSiteRoles &Site) {
  return Event.Where ? Event.Where->getBeginLoc() : functionEnd(Site);
}

/// "the child process ___" for an exception a callee may throw.
static std::string thrownByCallee(const RoleEvent &Event, const std::string &Function) {
  std::string Callee = "'" + calleeName(cast<CallExpr>(Event.Where)) + "'";
  return (Event.Handler ? "may enter a handler of " : "may leave ") + Function +
         " by an exception thrown in " + Callee;
}

void addThrowNotes(Finding &F, const RoleEvent &Event) {
  if (!Event.Exception)
    return;
  if (!Event.Exception->Elsewhere.empty() && Event.Where)
    F.note(Event.Where->getBeginLoc(), Event.Exception->Elsewhere);
  for (const Stmt *Point : Event.Exception->Chain) {
    if (const auto *Call = dyn_cast<CallExpr>(Point))
      F.note(Call->getBeginLoc(),
             "the exception comes from '" + calleeName(Call) + "', called here");
    else if (const auto *Throw = dyn_cast<CXXThrowExpr>(Point))
      F.note(Throw->getBeginLoc(), Throw->getSubExpr() ? "the exception is thrown here"
                                                       : "the exception is thrown again here");
  }
  if (Event.Handler)
    F.note(Event.Handler->getBeginLoc(),
           "it is caught here, and the handler does not end the child process on every path");
}

std::string escapeDescription(const RoleEvent &Event, const ForkSiteRoles &Site) {
  std::string Function = quotedFunctionName(Site);
  switch (Event.Kind) {
  case EventKind::Returns:
    return "returns from " + Function + " into its caller";
  case EventKind::Throws:
    if (Event.Exception)
      return thrownByCallee(Event, Function);
    return "throws an exception out of " + Function;
  case EventKind::FallsOffEnd:
    return "reaches the end of " + Function + " and returns into its caller";
  case EventKind::ReachesFork:
    return "calls fork again";
  case EventKind::Waits:
    return "waits for children like the parent";
  case EventKind::Exec:
    return "calls exec from the parent's code";
  case EventKind::EndsProcess:
    return "ends here";
  case EventKind::Executes:
    break;
  }
  return "continues";
}

} // namespace forkhazard
