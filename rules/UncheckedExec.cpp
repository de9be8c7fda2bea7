// unchecked-exec: exec returns only when it fails; a child that then carries on (returns,
// throws, falls into the parent's code, forks again) runs a second copy of the parent.
// Fix-it: `_exit(127);` right after the exec call.
#include "analysis/ChildSetup.h"
#include "analysis/PathNotes.h"
#include "rules/Rule.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace clang;

namespace forkhazard {
namespace {

/// Whether a child whose exec failed, in Role, carries on at Event instead of ending. In code the
/// parent also runs, anything it reaches shows it running the parent's code.
bool isEscape(const RoleEvent &Event, RoleBit Role) {
  if (Role == ChildSharedAfterExec)
    return Event.Kind != EventKind::Exec;
  return Event.Kind == EventKind::Returns || Event.Kind == EventKind::Throws ||
         Event.Kind == EventKind::FallsOffEnd || Event.Kind == EventKind::ReachesFork ||
         Event.Kind == EventKind::Waits;
}

/// The first of this fork's exec calls (made by the child before any exec) on Path.
const CallExpr *execOnPath(llvm::ArrayRef<PathStep> Path,
                           const llvm::SmallPtrSetImpl<const Stmt *> &ChildExecs) {
  for (const PathStep &Step : Path)
    for (const CFGElement &Element : *Step.Block)
      if (auto S = Element.getAs<CFGStmt>())
        if (ChildExecs.count(S->getStmt()))
          return cast<CallExpr>(S->getStmt());
  return nullptr;
}

/// Inserts `_exit(127);` on a new line after `exec...(...);` when the call is a statement.
std::optional<FixItHint> exitAfter(const CallExpr *Exec, ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  if (Exec->getBeginLoc().isMacroID() || Exec->getEndLoc().isMacroID())
    return std::nullopt;
  auto Parents = Ctx.getParents(*Exec);
  if (Parents.size() != 1 || !Parents[0].get<CompoundStmt>())
    return std::nullopt;
  SourceLocation AfterSemi = Lexer::findLocationAfterToken(
      Exec->getEndLoc(), tok::semi, SM, Ctx.getLangOpts(), /*SkipTrailingWhitespace=*/false);
  if (AfterSemi.isInvalid())
    return std::nullopt;
  return FixItHint::CreateInsertion(AfterSemi,
                                    "\n" + indentationAt(Exec->getBeginLoc(), SM) + "_exit(127);");
}

/// When a failed exec leads to several escapes, the one worth reporting: forking again first.
int severity(EventKind Kind) {
  switch (Kind) {
  case EventKind::ReachesFork: return 4;
  case EventKind::Throws: return 3;
  case EventKind::Returns: return 3;
  case EventKind::FallsOffEnd: return 2;
  case EventKind::Waits: return 1;
  default: return 0;
  }
}

class UncheckedExecRule : public Rule {
public:
  void checkForkSite(const ForkSiteRoles &Site, RuleContext &Context) override {
    struct Escape {
      const RoleEvent *Event;
      RoleBit Role;
      std::vector<PathStep> Path;
    };
    llvm::SmallPtrSet<const Stmt *, 4> ChildExecs;
    for (const RoleEvent &Event : Site.events())
      if (Event.Kind == EventKind::Exec && (Event.Roles & ChildBeforeExec))
        ChildExecs.insert(Event.Where);
    if (ChildExecs.empty())
      return;
    llvm::MapVector<const CallExpr *, Escape> Worst; // per exec call, in discovery order
    for (const RoleEvent &Event : Site.events())
      for (RoleBit Role : {ChildAfterExec, ChildSharedAfterExec}) {
        if (!(Event.Roles & Role) || !isEscape(Event, Role))
          continue;
        std::vector<PathStep> Path = Site.pathTo(Event, Role);
        const CallExpr *Exec = execOnPath(Path, ChildExecs);
        if (!Exec)
          continue;
        auto Found = Worst.find(Exec);
        if (Found == Worst.end())
          Worst.insert({Exec, Escape{&Event, Role, std::move(Path)}});
        else if (severity(Event.Kind) > severity(Found->second.Event->Kind))
          Found->second = Escape{&Event, Role, std::move(Path)};
      }
    for (auto &Entry : Worst)
      report(Site, Entry.first, *Entry.second.Event, Entry.second.Path, Context);
  }

private:
  void report(const ForkSiteRoles &Site, const CallExpr *Exec, const RoleEvent &Event,
              llvm::ArrayRef<PathStep> Path, RuleContext &Context) {
    std::string ExecName = Exec->getDirectCallee()->getNameAsString();
    auto Shared = sharedCodeEntryOnPath(Path);
    const Stmt *SharedFirst = Shared ? firstStatementAlong(Path, *Shared) : nullptr;
    Finding F;
    F.Location = Exec->getBeginLoc();
    std::string What = escapeDescription(Event, Site);
    F.Message = "if '" + ExecName + "' fails, the child process " +
                (SharedFirst ? "falls through into code that the parent also runs and " : "") +
                What + "; end it with '_exit(127)'";
    if (SharedFirst)
      F.note(SharedFirst->getBeginLoc(), "the child process continues here");
    if (!SharedFirst || eventLocation(Event, Site) != SharedFirst->getBeginLoc())
      F.note(eventLocation(Event, Site), "the child process " + What +
                                             (llvm::StringRef(What).contains(" here") ? "" : " here"));
    addForkNote(F, Site, "the child process is created here");
    if (auto Fix = exitAfter(Exec, Context.Ctx))
      F.FixIts.push_back(*Fix);
    Context.Report.add(std::move(F));
  }
};

} // namespace

std::unique_ptr<Rule> createUncheckedExecRule() { return std::make_unique<UncheckedExecRule>(); }

} // namespace forkhazard
