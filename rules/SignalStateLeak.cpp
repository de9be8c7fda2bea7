// signal-state-leak: a signal the program ignores stays ignored across exec, and the signal
// mask survives it (handlers do not): a child that execs without resetting them runs the new
// program with SIGPIPE ignored (it never dies writing to a closed pipe) or with signals blocked
// (Ctrl-C cannot stop it). Reported at the child's exec, with where each setting was made;
// fix-it: the resets before the exec.
#include "analysis/ChildSetup.h"
#include "analysis/Compat.h"
#include "analysis/LibcFunctions.h"
#include "analysis/PathNotes.h"
#include "analysis/SignalState.h"
#include "analysis/SourceText.h"
#include "analysis/TranslationUnitIndex.h"
#include "rules/Rule.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SmallSet.h"

using namespace clang;

namespace forkhazard {
namespace {

/// What the child resets before its exec.
struct ChildResets {
  bool Mask = false;
  bool AllDispositions = false; // a loop over the signals, or a helper of another file
  llvm::SmallSet<int64_t, 8> Signals;
};

/// A function of another file whose name says it deals with signals (`reset_signals`,
/// `restore_sigmask`): the project's own reset, which this TU cannot see into.
bool isSignalHelperElsewhere(const FunctionDecl *Callee, const SourceManager &SM) {
  if (!Callee || Callee->hasBody() || !Callee->getIdentifier() ||
      SM.isInSystemHeader(SM.getExpansionLoc(Callee->getLocation())))
    return false;
  return Callee->getName().lower().find("sig") != std::string::npos;
}

ChildResets resetsOf(const ChildSetup &Setup, ASTContext &Ctx) {
  ChildResets Resets;
  for (const CallExpr *Call : Setup.Calls) {
    if (maskChange(Call, Ctx) != MaskChange::None)
      Resets.Mask = true;
    if (auto Change = dispositionChange(Call, Ctx)) {
      if (Change->Signal)
        Resets.Signals.insert(*Change->Signal);
      else
        Resets.AllDispositions = true;
    }
    if (isSignalHelperElsewhere(directCallee(Call), Ctx.getSourceManager()))
      Resets.Mask = Resets.AllDispositions = true;
  }
  return Resets;
}

/// A call of the file that changes a disposition or the mask, classified once per TU.
struct SignalCall {
  const CallExpr *Call;
  const FunctionDecl *Owner;
  std::optional<DispositionChange> Disposition;
  MaskChange Mask;
  bool FollowsFork; // a child's own setting, or its parent's after the fork
};

class SignalStateLeakRule : public Rule {
public:
  void checkForkSite(const ForkSiteRoles &Site, RuleContext &Context) override {
    ASTContext &Ctx = Context.Ctx;
    if (!Loaded)
      load(Context);
    if (Calls.empty())
      return;
    ChildSetup Setup = childSetupOf(Site);
    if (Setup.Execs.empty())
      return;
    ChildResets Resets = resetsOf(Setup, Ctx);
    // Per signal, the first call that leaves it ignored at the fork.
    llvm::MapVector<int64_t, std::pair<const CallExpr *, std::string>> Ignored;
    const CallExpr *Blocking = nullptr;
    for (const SignalCall &Call : Calls) {
      const auto &Change = Call.Disposition;
      if (!Resets.AllDispositions && Change && Change->What == DispositionChange::Ignores &&
          Change->Signal && !Resets.Signals.count(*Change->Signal) &&
          !Ignored.count(*Change->Signal) &&
          inEffectAtFork(Site, Call, [&](const SignalCall &Other) {
            return Other.Disposition && Other.Disposition->Signal == Change->Signal &&
                   Other.Disposition->What != DispositionChange::Ignores;
          }))
        Ignored.insert({*Change->Signal, {Call.Call, Change->SignalName}});
      if (!Resets.Mask && !Blocking && Call.Mask == MaskChange::Blocks &&
          inEffectAtFork(Site, Call, [&](const SignalCall &Other) {
            return Other.Mask == MaskChange::Restores || Other.Mask == MaskChange::Unknown;
          }))
        Blocking = Call.Call;
    }
    if (Ignored.empty() && !Blocking)
      return;
    report(Site, Setup.Execs.front(), Ignored, Blocking, Context);
  }

private:
  bool Loaded = false;
  std::vector<SignalCall> Calls;

  void load(RuleContext &Context) {
    Loaded = true;
    for (llvm::StringRef Name : signalStateFunctions())
      for (const CallExpr *Call : Context.Index.callsTo(Name)) {
        const FunctionDecl *Owner = enclosingFunction(Call, Context.Ctx);
        Calls.push_back({Call, Owner, dispositionChange(Call, Context.Ctx),
                         maskChange(Call, Context.Ctx),
                         Owner && followsForkOf(Context.Index, Owner, Call)});
      }
  }

  /// Whether the setting Call made is still in effect when the process forks at Site: in the
  /// forking function, Call runs before the fork and nothing Undoes it in between; in another
  /// function (the program's setup), nothing in the file undoes it outside a fork's aftermath.
  template <typename UndoesFn>
  bool inEffectAtFork(const ForkSiteRoles &Site, const SignalCall &Call, UndoesFn Undoes) {
    if (sameFunction(Call.Owner, Site.function().decl())) {
      if (!runsBeforeFork(Site, Call.Call))
        return false;
      return llvm::none_of(Calls, [&](const SignalCall &Other) {
        return Other.Call != Call.Call && Undoes(Other) &&
               undoneBeforeFork(Site, Call.Call, Other.Call);
      });
    }
    // The program's setup, unless its own function undoes it (a temporary setting), or the
    // file does anywhere but in a fork's aftermath (a child's reset, its parent's restore):
    // paired helpers, block_signals()/unblock_signals(), leave the state at a fork unknown.
    if (!Call.Owner || Call.FollowsFork)
      return false;
    return llvm::none_of(Calls, [&](const SignalCall &Other) {
      return Other.Call != Call.Call && Undoes(Other) &&
             (sameFunction(Other.Owner, Call.Owner) || !Other.FollowsFork);
    });
  }

  void report(const ForkSiteRoles &Site, const CallExpr *Exec,
              const llvm::MapVector<int64_t, std::pair<const CallExpr *, std::string>> &Ignored,
              const CallExpr *Blocking, RuleContext &Context) {
    std::vector<std::string> Names;
    for (const auto &Entry : Ignored)
      Names.push_back(Entry.second.second);
    Finding F;
    F.Location = Exec->getBeginLoc();
    F.Message = message(directCallee(Exec)->getName(), Names, Blocking != nullptr);
    for (const auto &Entry : Ignored)
      F.note(Entry.second.first->getBeginLoc(), Entry.second.second + " is set to be ignored here");
    if (Blocking)
      F.note(Blocking->getBeginLoc(), "signals are blocked here, and still blocked at the fork");
    addForkNote(F, Site, "the child process is created here");
    if (!Site.site().IsVFork)
      addResetFixIt(F, Site, Exec, Ignored, Blocking, Context.Ctx);
    Context.Report.add(std::move(F));
  }

  static std::string message(llvm::StringRef ExecName, const std::vector<std::string> &Names,
                             bool Blocked) {
    std::string List;
    for (size_t I = 0; I < Names.size(); ++I)
      List += (I == 0 ? "" : I + 1 == Names.size() ? " and " : ", ") + Names[I];
    std::string Head = "the child process calls '" + ExecName.str() + "' with ";
    if (!Blocked)
      return Head + List + " ignored, and an ignored signal stays ignored in the program exec " +
             "runs (" + consequence(Names.front()) + "); reset " +
             (Names.size() == 1 ? "it" : "them") + " to SIG_DFL before the exec";
    if (Names.empty())
      return Head + "the signals blocked before the fork still blocked, and the signal mask " +
             "survives exec (the program it runs never receives them); restore the mask "
             "before the exec";
    return Head + List + " ignored and the signals blocked before the fork still blocked; " +
           "both survive exec (" + consequence(Names.front()) +
           "); reset them before the exec";
  }

  /// What the exec'd program cannot do with the signal ignored.
  static std::string consequence(llvm::StringRef Signal) {
    if (Signal == "SIGPIPE")
      return "it never dies writing to a closed pipe";
    if (Signal == "SIGINT" || Signal == "SIGQUIT")
      return "Ctrl-C does not stop it";
    if (Signal == "SIGHUP")
      return "it outlives its terminal session";
    if (Signal == "SIGTERM")
      return "'kill' does not stop it";
    if (Signal == "SIGCHLD")
      return "its own children are reaped for it and its wait calls fail";
    if (Signal == "SIGTSTP" || Signal == "SIGTTIN" || Signal == "SIGTTOU")
      return "job control does not stop it";
    return "it never receives " + Signal.str();
  }

  /// `signal(SIGPIPE, SIG_DFL);` per signal and the mask restored from the set the blocking
  /// call saved, before the statement of the exec; only when each part can be written.
  static void addResetFixIt(
      Finding &F, const ForkSiteRoles &Site, const CallExpr *Exec,
      const llvm::MapVector<int64_t, std::pair<const CallExpr *, std::string>> &Ignored,
      const CallExpr *Blocking, ASTContext &Ctx) {
    const Stmt *Before = enclosingStatement(Exec, Ctx);
    if (!Before)
      return;
    std::string Indent = indentationAt(Before->getBeginLoc(), Ctx.getSourceManager());
    std::string Text;
    for (const auto &Entry : Ignored) {
      if (!compat::startsWith(Entry.second.second, "SIG"))
        return;
      Text += "signal(" + Entry.second.second + ", SIG_DFL);\n" + Indent;
    }
    if (Blocking) {
      std::string Saved = Blocking->getNumArgs() == 3 ? sourceText(Ctx, Blocking->getArg(2)->getSourceRange()) : "";
      if (Saved.empty() || Saved == "NULL" || Saved == "0" || Saved == "nullptr" ||
          !sameFunction(enclosingFunction(Blocking, Ctx), Site.function().decl()))
        return;
      Text += libcName(directCallee(Blocking)).str() + "(SIG_SETMASK, " + Saved + ", NULL);\n" +
              Indent;
    }
    F.FixIts.push_back(FixItHint::CreateInsertion(Before->getBeginLoc(), Text));
  }
};

} // namespace

std::unique_ptr<Rule> createSignalStateLeakRule() {
  return std::make_unique<SignalStateLeakRule>();
}

} // namespace forkhazard
