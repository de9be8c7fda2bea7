// signal-state-leak: a signal the program ignores stays ignored across exec, and the signal
// mask survives it (handlers do not): a child that execs without resetting them runs the new
// program with SIGPIPE ignored (it never dies writing to a closed pipe) or with signals blocked
// (Ctrl-C cannot stop it). Reported at the child's exec, with where each setting was made;
// fix-it: the resets before the exec.
#include "analysis/ChildSetup.h"
#include "analysis/Compat.h"
#include "analysis/LibcFunctions.h"
#include "analysis/PathNotes.h"
#include "analysis/ProgramFacts.h"
#include "analysis/ProgramKeys.h"
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

ChildResets resetsOf(const ChildSetup &Setup, ASTContext &Ctx, SignalWrappers &Wrappers) {
  ChildResets Resets;
  for (const CallExpr *Call : Setup.Calls) {
    if (maskChange(Call, Ctx) != MaskChange::None)
      Resets.Mask = true;
    if (auto Change = dispositionChange(Call, Ctx, &Wrappers)) {
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

/// A setting in effect at the fork that the child does not undo: where the note goes and what
/// it says; Call when the file makes it.
struct LeakedSetting {
  SourceLocation NoteAt;
  std::string Note;
  const CallExpr *Call = nullptr;
};
using IgnoredSignals = llvm::MapVector<int64_t, std::pair<std::string, LeakedSetting>>;

/// What the child would exec with: per signal the first setting that leaves it ignored, and
/// the first that blocks signals.
struct Leaks {
  IgnoredSignals Ignored;
  std::optional<LeakedSetting> Blocking;

  /// Whether a setting of the mask (Mask) or of Signal's disposition is still to be reported:
  /// the child does not reset it, and no earlier setting already says so.
  bool open(bool Mask, int64_t Signal, const ChildResets &Resets) const {
    return Mask ? !Resets.Mask && !Blocking
                : !Resets.AllDispositions && !Resets.Signals.count(Signal) &&
                      !Ignored.count(Signal);
  }
  void add(bool Mask, int64_t Signal, const std::string &Name, LeakedSetting Setting) {
    if (Mask)
      Blocking = std::move(Setting);
    else
      Ignored.insert({Signal, {Name, std::move(Setting)}});
  }
  bool empty() const { return Ignored.empty() && !Blocking; }
};

class SignalStateLeakRule : public Rule {
public:
  void checkForkSite(const ForkSiteRoles &Site, RuleContext &Context) override {
    if (!Loaded)
      load(Context);
    std::vector<const SignalSetting *> Elsewhere = settingsElsewhere(Site, Context);
    if (Calls.empty() && Elsewhere.empty())
      return;
    ChildSetup Setup = childSetupOf(Site);
    if (Setup.Execs.empty())
      return;
    ChildResets Resets = resetsOf(Setup, Context.Ctx, *Wrappers);
    Leaks Found;
    for (const SignalCall &Call : Calls)
      if ((Call.ignores() || Call.blocks()) && Found.open(Call.blocks(), Call.signal(), Resets) &&
          inEffectAtFork(Site, Call, Context))
        Found.add(Call.blocks(), Call.signal(), Call.ignores() ? Call.Disposition->SignalName : "",
                  {Call.Call->getBeginLoc(),
                   Call.blocks() ? "signals are blocked here, and still blocked at the fork"
                                 : Call.Disposition->SignalName + " is set to be ignored here",
                   Call.Call});
    for (const SignalSetting *Setting : Elsewhere)
      if (Found.open(Setting->onMask(), Setting->Signal, Resets) && !undoneHere(*Setting))
        Found.add(Setting->onMask(), Setting->Signal, Setting->SignalName,
                  {Site.site().Call->getBeginLoc(),
                   (Setting->onMask() ? std::string("signals are blocked")
                                      : Setting->SignalName + " is set to be ignored") +
                       " in " +
                       Context.Index.programFacts()->describe(Setting->Where, Setting->Owner)});
    if (!Found.empty())
      report(Site, Setup.Execs.front(), Found.Ignored, Found.Blocking, Context);
  }

private:
  bool Loaded = false;
  std::vector<SignalCall> Calls;
  std::unique_ptr<SignalWrappers> Wrappers;
  std::string File; // the main file, as the program's facts name it

  void load(RuleContext &Context) {
    Loaded = true;
    Wrappers = std::make_unique<SignalWrappers>(Context.Ctx);
    Calls = signalCallsOf(Context.Index, Context.Ctx, *Wrappers);
    File = mainFilePath(Context.Ctx.getSourceManager());
  }

  /// The program's facts: the settings other files make in this function's process.
  std::vector<const SignalSetting *> settingsElsewhere(const ForkSiteRoles &Site,
                                                       RuleContext &Context) const {
    const ProgramFacts *Program = Context.Index.programFacts();
    if (!Program)
      return {};
    return Program->signalSettingsFor(Context.Index.keyOf(Site.function().decl()), File);
  }

  /// Whether the file may undo another file's setting outside a fork's aftermath.
  bool undoneHere(const SignalSetting &Setting) const {
    return llvm::any_of(Calls, [&](const SignalCall &Call) {
      return !Call.FollowsFork && Call.undoes(Setting.onMask(), Setting.Signal);
    });
  }

  /// Whether the setting Call made is still in effect when the process forks at Site: in the
  /// forking function, Call runs before the fork and nothing undoes it in between; in another
  /// function, it is part of the program's setup by the file and by the program's facts.
  bool inEffectAtFork(const ForkSiteRoles &Site, const SignalCall &Call, RuleContext &Context) {
    if (sameFunction(Call.Owner, Site.function().decl()))
      return runsBeforeFork(Site, Call.Call) &&
             llvm::none_of(Calls, [&](const SignalCall &Other) {
               return Other.Call != Call.Call && Other.undoes(Call) &&
                      undoneBeforeFork(Site, Call.Call, Other.Call);
             });
    if (!inProgramSetup(Call, Calls))
      return false;
    const ProgramFacts *Program = Context.Index.programFacts();
    return !Program || !Program->signalSettingUndoneOutside(
                           Call.blocks(), Call.signal(), Context.Index.keyOf(Call.Owner), File);
  }

  void report(const ForkSiteRoles &Site, const CallExpr *Exec, const IgnoredSignals &Ignored,
              const std::optional<LeakedSetting> &Blocking, RuleContext &Context) {
    std::vector<std::string> Names;
    for (const auto &Entry : Ignored)
      Names.push_back(Entry.second.first);
    Finding F;
    F.Location = Exec->getBeginLoc();
    F.Message = message(directCallee(Exec)->getName(), Names, Blocking.has_value());
    for (const auto &Entry : Ignored)
      F.note(Entry.second.second.NoteAt, Entry.second.second.Note);
    if (Blocking)
      F.note(Blocking->NoteAt, Blocking->Note);
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
  static void addResetFixIt(Finding &F, const ForkSiteRoles &Site, const CallExpr *Exec,
                            const IgnoredSignals &Ignored,
                            const std::optional<LeakedSetting> &Blocking, ASTContext &Ctx) {
    const Stmt *Before = enclosingStatement(Exec, Ctx);
    if (!Before)
      return;
    std::string Indent = indentationAt(Before->getBeginLoc(), Ctx.getSourceManager());
    std::string Text;
    for (const auto &Entry : Ignored) {
      if (!compat::startsWith(Entry.second.first, "SIG"))
        return;
      Text += "signal(" + Entry.second.first + ", SIG_DFL);\n" + Indent;
    }
    if (Blocking) {
      // The mask the blocking call saved, when it is in the forking function.
      const CallExpr *Block = Blocking->Call;
      if (!Block || Block->getNumArgs() != 3 ||
          !sameFunction(enclosingFunction(Block, Ctx), Site.function().decl()))
        return;
      std::string Saved = sourceText(Ctx, Block->getArg(2)->getSourceRange());
      if (Saved.empty() || Saved == "NULL" || Saved == "0" || Saved == "nullptr")
        return;
      Text += libcName(directCallee(Block)).str() + "(SIG_SETMASK, " + Saved + ", NULL);\n" +
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
