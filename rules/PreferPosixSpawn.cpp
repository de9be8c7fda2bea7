// prefer-posix-spawn (opt-in, a suggestion): the child between fork and exec does only what
// posix_spawn can do for it (dup2, close, an open onto a descriptor, chdir, setsid, setpgid,
// resetting the signal mask and dispositions), then execs and ends. One posix_spawn call does
// the same, without a child that runs the parent's code — every other check's hazard at that
// site goes away — and faster in a large process (glibc spawns with clone(CLONE_VM|CLONE_VFORK)
// instead of copying the page tables). Reported at the fork, with what each step becomes.
#include "analysis/LibcFunctions.h"
#include "analysis/PathNotes.h"
#include "analysis/SignalState.h"
#include "analysis/SourceText.h"
#include "rules/Rule.h"
#include "clang/AST/Stmt.h"

using namespace clang;

namespace forkhazard {
namespace {

/// What posix_spawn uses for a step of the child's setup; empty when it has no equivalent.
std::string spawnEquivalent(const CallExpr *Call, ASTContext &Ctx) {
  llvm::StringRef Name = libcName(directCallee(Call));
  if (Name == "dup2")
    return "posix_spawn_file_actions_adddup2";
  if (Name == "close")
    return "posix_spawn_file_actions_addclose";
  if (Name == "open" || Name == "open64")
    return "posix_spawn_file_actions_addopen";
  if (Name == "chdir")
    return "posix_spawn_file_actions_addchdir_np";
  if (Name == "fchdir")
    return "posix_spawn_file_actions_addfchdir_np";
  if (Name == "setsid")
    return "POSIX_SPAWN_SETSID";
  if (Name == "setpgid" && Call->getNumArgs() == 2)
    return integerConstant(Call->getArg(0), Ctx) == 0 ? "POSIX_SPAWN_SETPGROUP" : "";
  if (maskChange(Call, Ctx) != MaskChange::None)
    return "POSIX_SPAWN_SETSIGMASK";
  if (auto Change = dispositionChange(Call, Ctx))
    return Change->What == DispositionChange::Defaults ? "POSIX_SPAWN_SETSIGDEF" : "";
  return "";
}

/// Calls the child may make on the way without changing anything posix_spawn would have to do:
/// building a signal set, reading its own pid.
bool isHarmless(llvm::StringRef Name) {
  static const llvm::StringRef Names[] = {"sigemptyset", "sigfillset", "sigaddset", "sigdelset",
                                          "getpid"};
  return llvm::is_contained(Names, Name);
}

/// What a child whose exec failed may do before it ends: report the error.
bool reportsError(llvm::StringRef Name) {
  static const llvm::StringRef Names[] = {"perror", "fprintf", "dprintf", "write", "fputs",
                                          "strerror", "_exit", "_Exit", "exit", "abort"};
  return llvm::is_contained(Names, Name);
}

bool endsProcess(const CallExpr *Call) {
  LibcKind Kind = classifyLibcFunction(directCallee(Call));
  return Kind == LibcKind::ExitImmediate || Kind == LibcKind::ExitRunsHooks;
}

/// Whether S, run by the child before its exec, is part of a setup posix_spawn expresses:
/// reading values, testing results, the allowed calls, `fd = open(...)` (and storing the fork's
/// own result, which the child runs too).
bool isSetupStatement(const Stmt *S, const CallExpr *Fork, ASTContext &Ctx) {
  if (const auto *Call = dyn_cast<CallExpr>(S))
    return classifyLibcFunction(directCallee(Call)) == LibcKind::Exec || endsProcess(Call) ||
           isHarmless(libcName(directCallee(Call))) || !spawnEquivalent(Call, Ctx).empty();
  auto IsOpen = [Fork](const Expr *E) {
    const auto *Call = dyn_cast<CallExpr>(E->IgnoreParenImpCasts());
    if (Call == Fork)
      return true;
    llvm::StringRef Name = Call ? libcName(directCallee(Call)) : "";
    return Name == "open" || Name == "open64";
  };
  if (const auto *Decls = dyn_cast<DeclStmt>(S))
    return llvm::all_of(Decls->decls(), [&](const Decl *D) {
      const auto *Var = dyn_cast<VarDecl>(D);
      return Var && (!Var->getInit() || IsOpen(Var->getInit()));
    });
  if (const auto *Op = dyn_cast<BinaryOperator>(S)) {
    if (Op->getOpcode() == BO_Assign)
      return isa<DeclRefExpr>(Op->getLHS()->IgnoreParenImpCasts()) && IsOpen(Op->getRHS());
    return !Op->isAssignmentOp();
  }
  if (const auto *Op = dyn_cast<UnaryOperator>(S))
    return !Op->isIncrementDecrementOp();
  return isa<DeclRefExpr>(S) || isa<IntegerLiteral>(S) || isa<StringLiteral>(S) ||
         isa<CharacterLiteral>(S) || isa<ImplicitCastExpr>(S) || isa<CStyleCastExpr>(S) ||
         isa<ParenExpr>(S) || isa<ArraySubscriptExpr>(S) || isa<MemberExpr>(S) ||
         isa<UnaryExprOrTypeTraitExpr>(S) || isa<ConditionalOperator>(S) || isa<NullStmt>(S);
}

class PreferPosixSpawnRule : public Rule {
public:
  void checkForkSite(const ForkSiteRoles &Site, RuleContext &Context) override {
    if (Site.site().ViaWrapper || Site.site().ViaRoleTellingCall)
      return; // the fork is in a function of its own: its caller may need the child
    ASTContext &Ctx = Context.Ctx;
    const CallExpr *Exec = nullptr;
    std::vector<const CallExpr *> Steps;
    bool Ends = false;
    for (const RoleEvent &Event : Site.events()) {
      if (!(Event.Roles & ChildRoles))
        continue;
      if (Event.Kind == EventKind::EndsProcess && (Event.Roles & ChildAfterFailedExec))
        Ends = true;
      else if (Event.Kind != EventKind::Exec && Event.Kind != EventKind::EndsProcess)
        return; // the child returns, throws, waits or forks: more than a spawn
    }
    for (const RoleEvent &Event : Site.executed()) {
      if (!(Event.Roles & ChildRoles) || !Event.Where)
        continue;
      const auto *Call = dyn_cast<CallExpr>(Event.Where);
      if (Event.Roles & ChildBeforeExec) {
        if (!isSetupStatement(Event.Where, Site.site().Call, Ctx))
          return;
        if (Call && classifyLibcFunction(directCallee(Call)) == LibcKind::Exec) {
          if (Exec && Exec != Call)
            return; // a fallback chain of execs: posix_spawn runs one program
          Exec = Call;
        } else if (Call && !spawnEquivalent(Call, Ctx).empty()) {
          Steps.push_back(Call);
        }
      } else if (Call && !reportsError(libcName(directCallee(Call)))) {
        return; // after a failed exec, more than reporting it (another exec: a fallback)
      }
    }
    if (!Exec || !Ends)
      return;
    report(Site, Exec, Steps, Context);
  }

private:
  static void report(const ForkSiteRoles &Site, const CallExpr *Exec,
                     llvm::ArrayRef<const CallExpr *> Steps, RuleContext &Context) {
    llvm::StringRef ExecName = libcName(directCallee(Exec));
    bool SearchesPath = ExecName == "execvp" || ExecName == "execlp" || ExecName == "execvpe";
    std::string Spawn = SearchesPath ? "posix_spawnp" : "posix_spawn";
    Finding F;
    F.Location = Site.site().Call->getBeginLoc();
    F.Message = "this " + forkName(Site.site()) + " and '" + ExecName.str() +
                "' could be one call to '" + Spawn + "': the child only " +
                (Steps.empty() ? "execs" : "sets up what the program inherits and execs") +
                ", which posix_spawn does without running a copy of this program (and faster "
                "in a large process)";
    for (const CallExpr *Step : Steps)
      F.note(Step->getBeginLoc(),
             "'" + spawnEquivalent(Step, Context.Ctx) + "' does this for " + Spawn);
    F.note(Exec->getBeginLoc(), "'" + Spawn + "' runs the program and returns its pid, or the "
                                "error the exec would have had");
    Context.Report.add(std::move(F));
  }
};

} // namespace

std::unique_ptr<Rule> createPreferPosixSpawnRule() {
  return std::make_unique<PreferPosixSpawnRule>();
}

} // namespace forkhazard
