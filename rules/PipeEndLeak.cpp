// pipe-end-leak: end-of-file on a pipe comes only when every copy of its write end is closed,
// and fork copies them all. Three ways a process then waits forever:
//   - the parent reads the read end to end-of-file (or at all, once it has reaped the child)
//     while it still holds the write end;
//   - a child makes the read end its stdin and execs with the write end still open (the exec'd
//     sort, wc or cat never sees end-of-file);
//   - a parent running a pipeline waits for the reading child while it holds the write end.
// Notes: where the pipe is made, the fork, the read or wait that blocks; fix-it: the close.
#include "analysis/ChildSetup.h"
#include "analysis/Descriptors.h"
#include "analysis/LibcFunctions.h"
#include "analysis/PathNotes.h"
#include "analysis/SourceText.h"
#include "analysis/TranslationUnitIndex.h"
#include "rules/Rule.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace forkhazard {
namespace {

struct Pipe {
  const CallExpr *Call;
  /// Each end under every name the forking function copies it into (`c_in = fds[0]`).
  std::vector<DescriptorKey> ReadEnd, WriteEnd;
  std::string ReadName, WriteName;
  bool CloseOnExec; // pipe2(fds, O_CLOEXEC): no end survives an exec
};

/// The pipes the forking function makes before Site's fork.
std::vector<Pipe> pipesBeforeFork(const ForkSiteRoles &Site, RuleContext &Context) {
  std::vector<Pipe> Pipes;
  for (llvm::StringRef Name : {"pipe", "pipe2"})
    for (const CallExpr *Call : Context.Index.callsTo(Name)) {
      if (Call->getNumArgs() < 1 ||
          !sameFunction(Context.Index.ownerOf(Call), Site.function().decl()) ||
          !runsBeforeFork(Site, Call))
        continue;
      auto Array = descriptorKeyOf(Call->getArg(0));
      std::string Text = sourceText(Context.Ctx, Call->getArg(0)->getSourceRange());
      if (!Array || Array->Element != -1 || Text.empty())
        continue;
      bool CloseOnExec =
          Name == "pipe2" && !creationWithoutCloseOnExec(Call, Site.function().decl(), Context.Ctx);
      const FunctionDecl *Forking = Site.function().decl();
      Pipes.push_back({Call, namesOf({Array->Decl, 0}, Forking), namesOf({Array->Decl, 1}, Forking),
                       Text + "[0]", Text + "[1]", CloseOnExec});
    }
  return Pipes;
}

/// The statements some role in Roles runs after the fork, as calls.
std::vector<const CallExpr *> callsRunBy(const ForkSiteRoles &Site, RoleSet Roles) {
  std::vector<const CallExpr *> Calls;
  for (const RoleEvent &Event : Site.executed())
    if (const auto *Call = dyn_cast_or_null<CallExpr>(Event.Where))
      if (Event.Roles & Roles)
        Calls.push_back(Call);
  return Calls;
}

/// Whether the parent closes the write end before it gets to At.
bool closedBefore(const ForkSiteRoles &Site, llvm::ArrayRef<const CallExpr *> ParentCalls,
                  llvm::ArrayRef<DescriptorKey> WriteEnd, const Stmt *At, const SourceManager &SM) {
  return llvm::any_of(ParentCalls, [&](const CallExpr *Call) {
    DescriptorUse Use = useOf(Call, WriteEnd, SM);
    return (Use == DescriptorUse::Closes || Use == DescriptorUse::ClosesAll ||
            Use == DescriptorUse::Other) &&
           pathLeads(Site.function(), Call, At);
  });
}

/// `close(fds[1]);` on its own line before Before, a statement of a compound statement.
std::optional<FixItHint> closeBefore(const Stmt *Before, const std::string &WriteName,
                                     ASTContext &Ctx) {
  if (!Before || Before->getBeginLoc().isMacroID())
    return std::nullopt;
  auto Parents = Ctx.getParents(*Before);
  if (Parents.size() != 1 || !Parents[0].get<CompoundStmt>())
    return std::nullopt;
  std::string Indent = indentationAt(Before->getBeginLoc(), Ctx.getSourceManager());
  return FixItHint::CreateInsertion(Before->getBeginLoc(),
                                    "close(" + WriteName + ");\n" + Indent);
}

/// Whether Wait may reap this fork's child: wait(), waitpid(-1, ...), or a wait for the pid
/// this fork returned (not a wait for the pipeline's other child, which ends by itself).
bool waitsForThisChild(const ForkSiteRoles &Site, const Stmt *Wait, ASTContext &Ctx) {
  const auto *Call = dyn_cast_or_null<CallExpr>(Wait);
  if (!Call)
    return false;
  WaitFamily Family = waitFamilyOf(directCallee(Call));
  if (Family == WaitFamily::AnyChild)
    return true;
  if (Family != WaitFamily::ByPid || Call->getNumArgs() == 0)
    return false;
  const Expr *Pid = Call->getArg(0)->IgnoreParenImpCasts();
  if (auto Value = integerConstant(Pid, Ctx))
    return *Value == -1;
  const auto *Ref = dyn_cast<DeclRefExpr>(Pid);
  const auto *Var = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
  return Var && Site.pidVarsBefore(Wait).contains(Var);
}

class PipeEndLeakRule : public Rule {
public:
  void checkForkSite(const ForkSiteRoles &Site, RuleContext &Context) override {
    if (Context.Index.callsTo("pipe").empty() && Context.Index.callsTo("pipe2").empty())
      return;
    std::vector<Pipe> Pipes = pipesBeforeFork(Site, Context);
    if (Pipes.empty())
      return;
    std::vector<const CallExpr *> ParentCalls = callsRunBy(Site, Parent);
    ChildSetup Child = childSetupOf(Site);
    for (const Pipe &P : Pipes) {
      const CallExpr *StdinCopy = copyOnto(Child.Calls, P.ReadEnd, 0, Context.Ctx);
      if (StdinCopy && !Child.Execs.empty() && !P.CloseOnExec &&
          !childDropsWriteEnd(Child, P, Context))
        reportChildHoldsWriteEnd(Site, P, StdinCopy, Child.Execs.front(), Context);
      bool AfterWait = false;
      if (const CallExpr *Read = readToEnd(Site, P, ParentCalls, Context, AfterWait))
        reportParentReads(Site, P, Read, AfterWait, Context);
      else if (StdinCopy && !Child.Execs.empty())
        checkPipelineWait(Site, P, ParentCalls, Context);
    }
  }

private:
  static bool childDropsWriteEnd(const ChildSetup &Child, const Pipe &P, RuleContext &Context) {
    const SourceManager &SM = Context.Ctx.getSourceManager();
    return llvm::any_of(Child.Calls, [&](const CallExpr *Call) {
      return useOf(Call, P.WriteEnd, SM) != DescriptorUse::None || closesInLoop(Call, Context.Ctx);
    });
  }

  /// Whether the parent may have reaped this fork's child before it gets to Read.
  static bool waitedBefore(const ForkSiteRoles &Site, const CallExpr *Read, ASTContext &Ctx) {
    return llvm::any_of(Site.events(), [&](const RoleEvent &Event) {
      return Event.Kind == EventKind::Waits && (Event.Roles & Parent) &&
             waitsForThisChild(Site, Event.Where, Ctx) &&
             pathLeads(Site.function(), Event.Where, Read);
    });
  }

  /// The parent's read of the read end (or of a stream fdopen'd on it) inside a loop that ends
  /// at end-of-file, or after it has waited for the child (AfterWait), before which it has not
  /// closed the write end.
  static const CallExpr *readToEnd(const ForkSiteRoles &Site, const Pipe &P,
                                   llvm::ArrayRef<const CallExpr *> ParentCalls,
                                   RuleContext &Context, bool &AfterWait) {
    std::vector<DescriptorKey> Streams;
    for (const CallExpr *Call : ParentCalls)
      if (libcName(directCallee(Call)) == "fdopen" && Call->getNumArgs() == 2)
        if (auto Fd = descriptorKeyOf(Call->getArg(0)))
          if (llvm::is_contained(P.ReadEnd, *Fd))
            if (auto Stream = resultOf(Call, Site.function().decl(), Context.Ctx))
              Streams.push_back(Stream->Key);
    const SourceManager &SM = Context.Ctx.getSourceManager();
    for (const CallExpr *Call : ParentCalls) {
      if (!readsFrom(Call, P.ReadEnd, Streams) ||
          closedBefore(Site, ParentCalls, P.WriteEnd, Call, SM))
        continue;
      AfterWait = !readLoopEndedBy(Call, Context.Ctx);
      if (!AfterWait || waitedBefore(Site, Call, Context.Ctx))
        return Call;
    }
    return nullptr;
  }

  void reportParentReads(const ForkSiteRoles &Site, const Pipe &P, const CallExpr *Read,
                         bool AfterWait, RuleContext &Context) {
    Finding F;
    F.Location = Read->getBeginLoc();
    F.Message = AfterWait
                    ? "the parent process reads the pipe after it has waited for the child, "
                      "while it still holds the write end '" + P.WriteName + "': if the child "
                      "wrote nothing, the read never returns; close '" + P.WriteName +
                      "' in the parent after the fork"
                    : "the parent process reads the pipe until end-of-file while it still holds "
                      "its write end '" + P.WriteName + "': end-of-file never comes, so it waits "
                      "here forever once the child is done; close '" + P.WriteName +
                      "' in the parent after the fork";
    F.note(P.Call->getBeginLoc(), "the pipe is made here");
    addForkNote(F, Site, "the child process is created here, with a copy of both ends");
    const Stmt *Before = AfterWait ? enclosingStatement(Read, Context.Ctx)
                                   : readLoopEndedBy(Read, Context.Ctx);
    if (auto Fix = closeBefore(Before, P.WriteName, Context.Ctx))
      F.FixIts.push_back(*Fix);
    Context.Report.add(std::move(F));
  }

  void reportChildHoldsWriteEnd(const ForkSiteRoles &Site, const Pipe &P,
                                const CallExpr *StdinCopy, const CallExpr *Exec,
                                RuleContext &Context) {
    Finding F;
    F.Location = Exec->getBeginLoc();
    F.Message = "the child process reads the pipe as its standard input but calls '" +
                directCallee(Exec)->getName().str() + "' with the write end '" + P.WriteName +
                "' still open: the program it runs never sees end-of-file and waits forever; "
                "close '" + P.WriteName + "' before the exec";
    F.note(StdinCopy->getBeginLoc(), "the read end becomes its standard input here");
    F.note(P.Call->getBeginLoc(), "the pipe is made here");
    addForkNote(F, Site, "the child process is created here");
    if (auto Fix = closeBefore(enclosingStatement(Exec, Context.Ctx), P.WriteName, Context.Ctx))
      F.FixIts.push_back(*Fix);
    Context.Report.add(std::move(F));
  }

  /// The parent of a pipeline's reading child waits for it while it holds the write end.
  void checkPipelineWait(const ForkSiteRoles &Site, const Pipe &P,
                         llvm::ArrayRef<const CallExpr *> ParentCalls, RuleContext &Context) {
    const SourceManager &SM = Context.Ctx.getSourceManager();
    for (const RoleEvent &Event : Site.events()) {
      if (Event.Kind != EventKind::Waits || !(Event.Roles & Parent) ||
          !waitsForThisChild(Site, Event.Where, Context.Ctx) ||
          closedBefore(Site, ParentCalls, P.WriteEnd, Event.Where, SM))
        continue;
      Finding F;
      F.Location = Event.Where->getBeginLoc();
      F.Message = "the parent process waits for the child that reads the pipe while it still "
                  "holds the write end '" + P.WriteName + "': that child never sees "
                  "end-of-file, so neither ever finishes; close '" + P.WriteName +
                  "' in the parent before the wait";
      F.note(P.Call->getBeginLoc(), "the pipe is made here");
      addForkNote(F, Site, "the child that reads the pipe is created here");
      if (const auto *Wait = dyn_cast<Expr>(Event.Where))
        if (auto Fix = closeBefore(enclosingStatement(Wait, Context.Ctx), P.WriteName,
                                   Context.Ctx))
          F.FixIts.push_back(*Fix);
      Context.Report.add(std::move(F));
      return;
    }
  }
};

} // namespace

std::unique_ptr<Rule> createPipeEndLeakRule() { return std::make_unique<PipeEndLeakRule>(); }

} // namespace forkhazard
