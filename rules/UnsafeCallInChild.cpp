// unsafe-call-in-child: in a program that creates threads, the child of fork() has only the
// thread that called fork; a lock another thread held at that moment (malloc's, stdio's, a
// mutex) stays locked forever in the child. Until it execs, the child may only call
// async-signal-safe functions (analysis/async-signal-safe.def). Each distinct unsafe operation is
// reported once per fork site, at the child's statement, with the thread evidence and, for
// calls through functions of this file, the chain down to the unsafe operation. A call through
// a local function pointer that can hold only one function is a call to that function.
#include "analysis/PathNotes.h"
#include "analysis/ProgramFacts.h"
#include "analysis/SignalSafety.h"
#include "analysis/TranslationUnitFacts.h"
#include "analysis/TranslationUnitIndex.h"
#include "core/Options.h"
#include "rules/Rule.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringSet.h"

using namespace clang;

namespace forkhazard {
namespace {

using Operation = UnsafeOperation;

/// A function of this file as the notes name it: 'prepare', 'Guard::~Guard', the lambda.
std::string label(const FunctionDecl *FD) {
  if (const auto *Method = dyn_cast<CXXMethodDecl>(FD))
    if (Method->getParent()->isLambda())
      return "the lambda";
  if (isa<CXXMethodDecl>(FD))
    return "'" + FD->getQualifiedNameAsString() + "'";
  return "'" + FD->getNameAsString() + "'";
}

/// What happens at run time if the operation waits for a lock.
std::string consequence(const Operation &Op) {
  if (Op.What == Operation::UnknownCall)
    return "in a multithreaded program the child of fork() can deadlock there if it waits for a "
           "lock another thread held";
  return "in a multithreaded program the child of fork() can deadlock here if another thread "
         "held " +
         Op.Resource;
}

/// The operation as a verb phrase, for chains: "calls 'malloc'", "constructs a 'std::string'".
std::string doesWhat(const Operation &Op) {
  switch (Op.What) {
  case Operation::Call:
    return "calls '" + Op.Name + "'";
  case Operation::New:
    return "allocates with 'new'";
  case Operation::Delete:
    return "frees memory with 'delete'";
  case Operation::Throw:
    return "throws an exception";
  case Operation::Construction:
    return "constructs a '" + Op.Name + "'";
  case Operation::Destruction:
    return "destroys a '" + Op.Name + "'";
  case Operation::UnknownCall:
    return Op.ThroughPointer ? "calls a function through '" + Op.Name + "'"
                             : "calls '" + Op.Name + "'";
  }
  return "";
}

std::string whichIsUnsafe(const Operation &Op) {
  if (Op.What != Operation::UnknownCall)
    return "which is not async-signal-safe";
  return Op.ThroughPointer ? "which may not be async-signal-safe"
                           : "which is defined in another file and may not be async-signal-safe";
}

/// The message for an operation the child performs itself.
std::string directMessage(const Operation &Op) {
  const bool Allocates = Op.Resource == "the allocator's lock";
  std::string What;
  switch (Op.What) {
  case Operation::Call:
    What = "'" + Op.Name + "' is not async-signal-safe";
    break;
  case Operation::New:
    What = "'new' allocates and is not async-signal-safe";
    break;
  case Operation::Delete:
    What = "'delete' frees memory and is not async-signal-safe";
    break;
  case Operation::Throw:
    What = "throwing an exception allocates it and is not async-signal-safe";
    break;
  case Operation::Construction:
    What = "constructing a '" + Op.Name + "' " +
           (Allocates ? "allocates and " : Op.Resource == "this lock" ? "takes a lock and " : "") +
           "is not async-signal-safe";
    break;
  case Operation::Destruction:
    What = "destroying a '" + Op.Name + "' is not async-signal-safe";
    break;
  case Operation::UnknownCall:
    What = Op.ThroughPointer
               ? "the function called through '" + Op.Name + "' may not be async-signal-safe"
               : "'" + Op.Name + "' is defined in another file and may not be async-signal-safe";
    break;
  }
  return What + "; " + consequence(Op);
}

/// " (via 'a', 'b')" for the helpers between the one named and the operation; the notes list
/// them all, the message the first few.
std::string via(llvm::ArrayRef<HelperCall> Between) {
  constexpr size_t Shown = 3;
  if (Between.empty())
    return "";
  std::string Text = " (via ";
  for (size_t I = 0; I < Between.size() && I < Shown; ++I)
    Text += (I ? ", " : "") + label(Between[I].Callee);
  if (Between.size() > Shown)
    Text += " and " + std::to_string(Between.size() - Shown) + " more";
  return Text + ")";
}

/// One report per operation (a library call by name, a type constructed or destroyed) or per
/// helper the child calls.
std::string keyOf(const SignalSafety::Verdict &V) {
  if (!V.Chain.empty()) // by declaration: two static helpers may share a name
    return "helper:" + std::to_string(reinterpret_cast<uintptr_t>(V.Chain.front().Callee));
  const Operation &Op = V.Operation;
  if (Op.What == Operation::Construction || Op.What == Operation::Destruction)
    return "type:" + Op.Name; // constructing and destroying one object is one problem
  return std::to_string(Op.What) + ":" + Op.Name;
}

/// Constructions that are part of a reported throw or new-expression (the exception object,
/// the allocated object): the throw or new is the one report.
llvm::SmallPtrSet<const Stmt *, 8> constructionsOfOthers(const ForkSiteRoles &Site) {
  llvm::SmallPtrSet<const Stmt *, 8> Parts;
  for (const RoleEvent &Execution : Site.executed()) {
    const Expr *Part = nullptr;
    if (const auto *Throw = dyn_cast<CXXThrowExpr>(Execution.Where))
      Part = Throw->getSubExpr();
    else if (const auto *New = dyn_cast<CXXNewExpr>(Execution.Where))
      Part = New->getConstructExpr();
    if (!Part)
      continue;
    Part = Part->IgnoreImplicit()->IgnoreParens();
    if (const auto *Cast = dyn_cast<CXXFunctionalCastExpr>(Part))
      Part = Cast->getSubExpr()->IgnoreImplicit();
    Parts.insert(Part);
  }
  return Parts;
}

class UnsafeCallInChildRule : public Rule {
public:
  void checkForkSite(const ForkSiteRoles &Site, RuleContext &Context) override {
    if (!threadsExist(Site, Context))
      return;
    SignalSafety &Safety = Context.Facts.signalSafety(
        Context.Opts.UnsafeCallInChild.UnknownCallsUnsafe,
        Context.Opts.isCheckEnabled("exit-in-child"));
    llvm::StringSet<> Reported;
    llvm::SmallPtrSet<const Stmt *, 8> Parts = constructionsOfOthers(Site);
    for (const RoleEvent &Execution : Site.executed()) {
      // Before exec only: after a failed exec the child's next step is _exit (perror there is
      // the common, tolerated idiom; see the docs). The fork call itself, reached again by a
      // child that loops, is fork-in-loop's.
      RoleSet Roles = Execution.Roles & ChildBeforeExec;
      if (!Roles || Execution.Where == Site.site().Call || Parts.count(Execution.Where))
        continue;
      SignalSafety::Verdict V = Safety.classify(Execution.Where);
      if (V.Unsafe && Reported.insert(keyOf(V)).second)
        report(Site, Context, Execution, Roles, V, nullptr);
    }
    for (const ObjectDestruction &Destruction : Site.destructions()) {
      RoleSet Roles = Destruction.Event.Roles & ChildBeforeExec;
      if (!Roles)
        continue;
      SignalSafety::Verdict V =
          Safety.classifyDestruction(Destruction.Object, Destruction.Event.Where);
      if (V.Unsafe && Reported.insert(keyOf(V)).second)
        report(Site, Context, Destruction.Event, Roles, V, Destruction.Object);
    }
  }

private:
  using ThreadsMode = UnsafeCallInChildOptions::ThreadsMode;

  static bool threadsExist(const ForkSiteRoles &Site, RuleContext &Context) {
    ThreadsMode Threads = Context.Opts.UnsafeCallInChild.Threads;
    if (Threads == ThreadsMode::No)
      return false;
    return Threads == ThreadsMode::Yes || Context.Facts.firstThreadCreation() ||
           threadsElsewhere(Site, Context);
  }

  /// The program's facts: another TU starts threads in this function's process.
  static const ProgramFacts::ThreadStart *threadsElsewhere(const ForkSiteRoles &Site,
                                                          RuleContext &Context) {
    const ProgramFacts *Program = Context.Index.programFacts();
    return Program ? Program->threadCreationFor(Context.Index.keyOf(Site.function().decl()))
                   : nullptr;
  }

  static void addThreadNote(Finding &F, const ForkSiteRoles &Site, RuleContext &Context) {
    if (const Stmt *Creation = Context.Facts.firstThreadCreation())
      F.note(Creation->getBeginLoc(), "threads are created here");
    else if (const ProgramFacts::ThreadStart *Start = threadsElsewhere(Site, Context))
      F.note(Site.site().Call->getBeginLoc(),
             "threads are created in " + Context.Index.programFacts()->describe(Start->Where) +
                 (Start->Creator.empty() ? std::string() : " by '" + Start->Creator + "'"));
    else
      F.note(Site.site().Call->getBeginLoc(),
             "the program creates threads (option threads=yes)");
  }

  /// Where a function of another TU reaches the operation, by the program's facts.
  static std::string elsewhereNote(const ProgramFunction &Helper, const Operation &Op,
                                   RuleContext &Context) {
    const ProgramFacts &Program = *Context.Index.programFacts();
    const ProgramFunction::UnsafeOperationFacts &Unsafe = *Helper.Unsafe;
    std::string Note = "'" + Helper.Name + "' is defined in " + Program.describe(Helper.Where);
    Note += Unsafe.Via.empty() || Unsafe.Via == Helper.Name
                ? "; it "
                : "; through '" + Unsafe.Via + "' it ";
    Note += doesWhat(Op);
    if (Unsafe.At.valid())
      Note += " in " + Program.describe(Unsafe.At);
    return Note + ", " + whichIsUnsafe(Op);
  }

  /// Object: for the implicit destruction of a local object, that object.
  void report(const ForkSiteRoles &Site, RuleContext &Context, const RoleEvent &Execution,
              RoleSet Roles, const SignalSafety::Verdict &V, const VarDecl *Object) {
    const Operation &Op = V.Operation;
    llvm::ArrayRef<HelperCall> Chain = V.Chain;
    Finding F;
    F.Location = Object ? Execution.Where->getEndLoc() : Execution.Where->getBeginLoc();
    if (Object) {
      std::string Subject = "destroying '" + Object->getNameAsString() + "'";
      if (Chain.empty())
        F.Message = Subject + " (a '" + Op.Name + "') at the end of its scope " +
                    (Op.Resource == "the allocator's lock" ? "frees memory and " : "") +
                    "is not async-signal-safe; " + consequence(Op);
      else
        F.Message = Subject + " at the end of its scope " + doesWhat(Op) + via(Chain) + ", " +
                    whichIsUnsafe(Op) + "; " + consequence(Op);
    } else if (!Chain.empty()) {
      std::string Between = via(Chain.drop_front());
      if (Between.empty() && V.Elsewhere && !V.Elsewhere->Unsafe->Via.empty() &&
          V.Elsewhere->Unsafe->Via != V.Elsewhere->Name)
        Between = " (via '" + V.Elsewhere->Unsafe->Via + "')";
      F.Message = label(Chain.front().Callee) + " " + doesWhat(Op) + Between + ", " +
                  whichIsUnsafe(Op) + "; " + consequence(Op);
    } else {
      F.Message = directMessage(Op);
    }
    addForkNote(F, Site, "the child process is created here");
    RoleBit Role = (Roles & Child) ? Child : ChildShared;
    addBranchNotes(F, Site, Site.pathTo(Execution, Role), Role);
    if (Object)
      F.note(Object->getLocation(), "'" + Object->getNameAsString() + "' is declared here");
    if (V.Through)
      F.note(V.Through->Pointer->getLocation(),
             "'" + V.Through->Pointer->getNameAsString() + "' is set to " +
                 label(V.Through->Callee) + " here and never changed");
    // The chain: each helper's call to the next, down to the unsafe operation.
    for (size_t I = 1; I < Chain.size(); ++I)
      F.note(Chain[I].At->getBeginLoc(),
             label(Chain[I].Caller) + " calls " + label(Chain[I].Callee));
    if (!Chain.empty() && Op.Where) {
      SourceLocation At = Op.What == Operation::Destruction ? Op.Where->getEndLoc()
                                                            : Op.Where->getBeginLoc();
      F.note(At, label(Chain.back().Callee) + " " + doesWhat(Op) + ", " + whichIsUnsafe(Op));
    }
    if (V.Elsewhere)
      F.note(Chain.back().At->getBeginLoc(), elsewhereNote(*V.Elsewhere, Op, Context));
    addThreadNote(F, Site, Context);
    Context.Report.add(std::move(F));
  }
};

} // namespace

std::unique_ptr<Rule> createUnsafeCallInChildRule() {
  return std::make_unique<UnsafeCallInChildRule>();
}

} // namespace forkhazard
