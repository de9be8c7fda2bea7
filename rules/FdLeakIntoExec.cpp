// fd-leak-into-exec: a descriptor opened without close-on-exec before the fork (in the forking
// function, or kept in a file-scope variable) is still open in the child at exec, so the program
// exec runs inherits it (CWE-403): a log file, a listening socket, a lock held open by a child
// that outlives the parent. Reported at the child's exec, with where each descriptor was opened
// and a fix-it there adding the flag. In a program that creates threads, open-then-fcntl
// (FD_CLOEXEC) is a race with another thread's fork and exec: reported at the open.
#include "analysis/ChildSetup.h"
#include "analysis/Descriptors.h"
#include "analysis/LibcFunctions.h"
#include "analysis/PathNotes.h"
#include "analysis/ProgramFacts.h"
#include "analysis/ProgramKeys.h"
#include "analysis/SourceText.h"
#include "analysis/TranslationUnitFacts.h"
#include "analysis/TranslationUnitIndex.h"
#include "core/Options.h"
#include "rules/Rule.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace clang;

namespace forkhazard {
namespace {

/// A descriptor the child holds at its exec: its name, and where it is opened (Creation when
/// this file opens it, else the note names the place in another file, at the fork).
struct Leak {
  std::string Name;
  SourceLocation NoteAt;
  std::string Note;
  const DescriptorCreation *Creation = nullptr;
};

std::string describe(const std::vector<Leak> &Leaks) {
  std::string List;
  for (size_t I = 0; I < Leaks.size(); ++I)
    List += (I == 0 ? "" : I + 1 == Leaks.size() ? " and " : ", ") + ("'" + Leaks[I].Name + "'");
  return List;
}

class FdLeakIntoExecRule : public Rule {
public:
  void checkForkSite(const ForkSiteRoles &Site, RuleContext &Context) override {
    if (!Loaded)
      load(Context);
    if (Creations.empty() && !OpenElsewhere)
      return;
    ChildSetup Setup = childSetupOf(Site);
    if (Setup.Execs.empty())
      return;
    const SourceManager &SM = Context.Ctx.getSourceManager();
    if (!RaceReported) {
      RaceReported = true;
      reportCloseOnExecRaces(Setup.Execs.front(), Context);
    }
    if (llvm::any_of(Setup.Calls, [&](const CallExpr *Call) {
          return useOf(Call, {}, SM) == DescriptorUse::ClosesAll ||
                 closesInLoop(Call, Context.Ctx);
        }))
      return;
    std::vector<Leak> Leaks = leaksInto(Site, Setup, Context);
    if (!Leaks.empty())
      report(Site, Setup.Execs.front(), Leaks, Context);
  }

private:
  bool Loaded = false, RaceReported = false;
  llvm::SmallPtrSet<const CallExpr *, 8> FixedCreations;
  std::vector<FileCreation> Creations; // of the TU, without close-on-exec

  bool OpenElsewhere = false; // the program's facts know descriptors other files keep open

  void load(RuleContext &Context) {
    Loaded = true;
    Creations = creationsOf(Context.Index, Context.Ctx);
    const ProgramFacts *Program = Context.Index.programFacts();
    OpenElsewhere = Program && Program->keepsDescriptorsOpen();
  }

  /// The descriptors open in the process at the fork that the child still holds at its exec.
  std::vector<Leak> leaksInto(const ForkSiteRoles &Site, const ChildSetup &Setup,
                              RuleContext &Context) {
    const SourceManager &SM = Context.Ctx.getSourceManager();
    const FunctionDecl *Forking = Site.function().decl();
    std::vector<const CallExpr *> ForkingCalls = callsIn(Forking->getBody());
    std::vector<Leak> Leaks;
    for (const FileCreation &C : Creations) {
      bool Here = sameFunction(C.Owner, Forking);
      if (Here && !runsBeforeFork(Site, C.Creation.Call))
        continue;
      for (size_t I = 0; I < C.Creation.Created.size(); ++I) {
        const CreatedDescriptor &Descriptor = C.Creation.Created[I];
        if (!Here && !C.HeldByProgram[I])
          continue; // a local of another function, or a field: not known to be open here
        // Under any name the forking function copies it into (`c_in = fds[1]`).
        std::vector<DescriptorKey> Names = namesOf(Descriptor.Key, Forking);
        if (dealtWith(Setup.Calls, Names, SM, /*RedirectCounts=*/true) ||
            pipeEndLeakReports(C, Descriptor, Setup, Context) ||
            (Here ? closedBeforeFork(Site, C.Creation.Call, ForkingCalls, Names, SM)
                  : dealtWithBeforeFork(Site, ForkingCalls, Names, SM)))
          continue;
        Leaks.push_back({Descriptor.Name, C.Creation.Call->getBeginLoc(),
                         "'" + Descriptor.Name + "' is opened here with '" + C.Creation.Function +
                             "', without " + flagPhrase(C.Creation.Flag),
                         &C.Creation});
      }
    }
    std::stable_sort(Leaks.begin(), Leaks.end(), [&](const Leak &A, const Leak &B) {
      return SM.isBeforeInTranslationUnit(A.NoteAt, B.NoteAt);
    });
    addLeaksElsewhere(Site, Setup, ForkingCalls, Leaks, Context);
    return Leaks;
  }

  /// The program's facts: descriptors other files keep open in variables this file names too
  /// (`extern int log_fd;`), in the forking function's process.
  void addLeaksElsewhere(const ForkSiteRoles &Site, const ChildSetup &Setup,
                         llvm::ArrayRef<const CallExpr *> ForkingCalls, std::vector<Leak> &Leaks,
                         RuleContext &Context) {
    const ProgramFacts *Program = Context.Index.programFacts();
    if (!Program)
      return;
    const SourceManager &SM = Context.Ctx.getSourceManager();
    const FunctionDecl *Forking = Site.function().decl();
    for (const OpenDescriptor *Open :
         Program->openDescriptorsFor(Context.Index.keyOf(Forking), mainFilePath(SM))) {
      const VarDecl *Var = externalVariable(Open->Variable, Context.Ctx);
      if (!Var)
        continue;
      std::vector<DescriptorKey> Names = namesOf({Var, -1}, Forking);
      if (dealtWith(Setup.Calls, Names, SM, /*RedirectCounts=*/true) ||
          dealtWithBeforeFork(Site, ForkingCalls, Names, SM) ||
          llvm::any_of(Leaks, [&](const Leak &L) { return L.Name == Open->Name; }))
        continue;
      Leaks.push_back({Open->Name, Site.site().Call->getBeginLoc(),
                       "'" + Open->Name + "' is opened in " +
                           Program->describe(Open->Where, Open->Owner) + " with '" + Open->Creator +
                           "', without " + flagPhrase(Open->Flag)});
    }
  }

  /// The variable of this TU with external linkage named Name, if it declares one.
  static const VarDecl *externalVariable(llvm::StringRef Name, ASTContext &Ctx) {
    auto *Identifier = &Ctx.Idents.get(Name);
    for (const NamedDecl *D : Ctx.getTranslationUnitDecl()->lookup(Identifier))
      if (const auto *Var = dyn_cast<VarDecl>(D))
        if (Var->isFileVarDecl() && Var->hasExternalFormalLinkage())
          return Var;
    return nullptr;
  }

  /// The write end of a pipe whose read end the child makes its stdin: pipe-end-leak's more
  /// specific report (the exec'd reader never sees end-of-file), when that check is on.
  static bool pipeEndLeakReports(const FileCreation &C, const CreatedDescriptor &Descriptor,
                                 const ChildSetup &Setup, RuleContext &Context) {
    if (C.Creation.Function != "pipe" || Descriptor.Key.Element != 1 ||
        !Context.Opts.isCheckEnabled("pipe-end-leak"))
      return false;
    return copyOnto(Setup.Calls, namesOf({Descriptor.Key.Decl, 0}, C.Owner), 0, Context.Ctx);
  }

  static bool closedBeforeFork(const ForkSiteRoles &Site, const CallExpr *Creation,
                               llvm::ArrayRef<const CallExpr *> Calls,
                               llvm::ArrayRef<DescriptorKey> Key, const SourceManager &SM) {
    return llvm::any_of(Calls, [&](const CallExpr *Call) {
      return dealtWith({Call}, Key, SM, /*RedirectCounts=*/false) &&
             undoneBeforeFork(Site, Creation, Call);
    });
  }

  /// A file-scope descriptor opened elsewhere that the forking function closes (or hands on)
  /// before the fork, on some path: crontab's edit_cmd fcloses the global NewCrontab.
  static bool dealtWithBeforeFork(const ForkSiteRoles &Site, llvm::ArrayRef<const CallExpr *> Calls,
                                  llvm::ArrayRef<DescriptorKey> Names, const SourceManager &SM) {
    return llvm::any_of(Calls, [&](const CallExpr *Call) {
      return runsBeforeFork(Site, Call) && dealtWith({Call}, Names, SM, /*RedirectCounts=*/false);
    });
  }

  void report(const ForkSiteRoles &Site, const CallExpr *Exec, const std::vector<Leak> &Leaks,
              RuleContext &Context) {
    bool One = Leaks.size() == 1;
    Finding F;
    F.Location = Exec->getBeginLoc();
    F.Message = "the child process calls '" + directCallee(Exec)->getName().str() + "' with " +
                describe(Leaks) + " still open, so the program it runs inherits " +
                (One ? "the descriptor" : "them") + "; close " + (One ? "it" : "them") +
                " in the child before the exec, or open " + (One ? "it" : "them") +
                " close-on-exec";
    for (const Leak &L : Leaks) {
      F.note(L.NoteAt, L.Note);
      if (!L.Creation)
        continue;
      // The fix-it once per opening (other execs may inherit the same one), so that applying
      // every finding's fix-its adds the flag once.
      if (!F.Notes.empty() && F.Notes.back().Location == L.Creation->Call->getBeginLoc() &&
          FixedCreations.insert(L.Creation->Call).second)
        F.Notes.back().FixIts = L.Creation->AddFlag;
    }
    addForkNote(F, Site, "the child process is created here");
    Context.Report.add(std::move(F));
  }

  static std::string flagPhrase(llvm::StringRef Flag) {
    return Flag == "e" ? "\"e\" in its mode" : Flag.str();
  }

  /// In a program that creates threads: a descriptor made close-on-exec only after it was
  /// opened, with fcntl(FD_CLOEXEC); another thread's fork and exec can come in between.
  void reportCloseOnExecRaces(const CallExpr *SomeExec, RuleContext &Context) {
    const Stmt *Thread = Context.Facts.firstThreadCreation();
    if (!Thread)
      return;
    const SourceManager &SM = Context.Ctx.getSourceManager();
    for (const FileCreation &C : Creations) {
      const DescriptorCreation &Creation = C.Creation;
      if (!C.Owner || Creation.Created.size() != 1)
        continue;
      for (const CallExpr *Call : callsIn(C.Owner->getBody()))
        if (SM.isBeforeInTranslationUnit(Creation.Call->getBeginLoc(), Call->getBeginLoc()) &&
            useOf(Call, Creation.Created.front().Key, SM) == DescriptorUse::CloseOnExec) {
          reportRace(Creation, Call, Thread, SomeExec, Context);
          break;
        }
    }
  }

  static void reportRace(const DescriptorCreation &Creation, const CallExpr *SetsFlag,
                         const Stmt *Thread, const CallExpr *SomeExec, RuleContext &Context) {
    Finding F;
    F.Location = Creation.Call->getBeginLoc();
    F.Message = "'" + Creation.Function + "' without " + flagPhrase(Creation.Flag) +
                ", made close-on-exec only afterwards: in a program that creates threads, "
                "another thread can fork and exec in between and the program it runs inherits "
                "the descriptor; pass " + flagPhrase(Creation.Flag) + " to '" + Creation.Function +
                "'";
    F.FixIts = Creation.AddFlag;
    F.note(SetsFlag->getBeginLoc(), "it is made close-on-exec here");
    F.note(Thread->getBeginLoc(), "a thread is created here");
    F.note(SomeExec->getBeginLoc(), "a child process execs here");
    Context.Report.add(std::move(F));
  }
};

} // namespace

std::unique_ptr<Rule> createFdLeakIntoExecRule() { return std::make_unique<FdLeakIntoExecRule>(); }

} // namespace forkhazard
