// unchecked-fork-error: fork() returns -1 when it fails, and a parent that only tells the child
// (0) from "everything else" passes that -1 on as a process id: kill(-1, sig) signals every
// process the user may signal, waitpid(-1, ...) reaps any child. One report per fork site, at
// the first call the -1 reaches; the others are notes (one check after fork fixes them all).
#include "analysis/LibcFunctions.h"
#include "analysis/PathNotes.h"
#include "analysis/SourceOrder.h"
#include "analysis/SourceText.h"
#include "analysis/TranslationUnitFacts.h"
#include "analysis/TranslationUnitIndex.h"
#include "rules/Rule.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace forkhazard {
namespace {

/// A library function that takes a process (group) id, and what it does with -1.
struct PidSink {
  llvm::StringRef Name;
  unsigned PidArgument;
  llvm::StringRef WithMinusOne; // completes "'kill(-1, ...)' ..."
};

const PidSink PidSinks[] = {
    {"kill", 0, "sends the signal to every process you may signal"},
    {"killpg", 0, "fails instead of signalling the child's process group"},
    {"waitpid", 0, "waits for any child instead of this one"},
    {"wait4", 0, "waits for any child instead of this one"},
    {"setpgid", 0, "fails instead of moving the child to its process group"},
    {"setpgid", 1, "fails instead of moving the process to the child's group"},
    {"tcsetpgrp", 1, "fails instead of giving the terminal to the child's group"},
    {"waitid", 1, "is given -1 as the id of the child to wait for"},
};

/// "kill(-1, ...)", "tcsetpgrp(..., -1)": the call as the reader should picture it.
std::string callShape(llvm::StringRef Name, unsigned PidArgument, unsigned NumArgs) {
  return Name.str() + "(" + (PidArgument > 0 ? "..., " : "") + "-1" +
         (PidArgument + 1 < NumArgs ? ", ...)" : ")");
}

class UncheckedForkErrorRule : public Rule {
public:
  void checkForkSite(const ForkSiteRoles &Site, RuleContext &Context) override {
    if (Site.site().ViaWrapper && !Context.Facts.wrapperMayReturnFailure(Site.site().Callee))
      return; // Fork() { ... if (pid < 0) abort(); ... }: its callers never see -1
    const std::optional<PidRange> &Failed = Site.site().FailedValue;
    if (!Failed || Failed->Low != -1 || Failed->High != -1)
      return; // a role-telling call that returns something else (or nothing) when it fails
    struct Reached {
      const CallExpr *Call;
      const PidSink *Sink;
      const RoleEvent *Execution;
    };
    std::vector<Reached> Sinks;
    for (const RoleEvent &Execution : Site.executed()) {
      if (!(Execution.Roles & ForkFailed))
        continue;
      const auto *Call = dyn_cast_or_null<CallExpr>(Execution.Where);
      const PidSink *Sink = Call ? sinkFor(Call, Site) : nullptr;
      if (Sink)
        Sinks.push_back({Call, Sink, &Execution});
    }
    if (Sinks.empty())
      return;
    const SourceManager &SM = Context.Ctx.getSourceManager();
    sortInSourceOrder(Sinks, SM, [](const Reached &R) { return R.Call->getBeginLoc(); });
    const Reached &First = Sinks.front();
    const ForkSite &Fork = Site.site();
    llvm::StringRef Name = libcName(directCallee(First.Call));
    const Expr *PidArgument = First.Call->getArg(First.Sink->PidArgument);
    Finding F;
    F.Location = First.Call->getBeginLoc();
    // An argument spelled inside a macro has no text of its own to quote.
    std::string Pid = sourceText(Context.Ctx, PidArgument->getSourceRange());
    F.Message = "if '" + forkName(Fork) + "' fails, " +
                (Pid.empty() ? std::string("the pid") : "'" + Pid + "'") + " is -1 here and '" +
                callShape(Name, First.Sink->PidArgument, First.Call->getNumArgs()) + "' " +
                First.Sink->WithMinusOne.str();
    F.note(Fork.Call->getBeginLoc(),
           Fork.ViaWrapper || Fork.ViaRoleTellingCall
               ? "'" + forkName(Fork) + "' returns -1 when the fork in it fails"
               : "'" + forkName(Fork) + "' returns -1 when it fails");
    addBranchNotes(F, Site, Site.pathTo(*First.Execution, ForkFailed), ForkFailed);
    for (size_t I = 1; I < Sinks.size(); ++I)
      F.note(Sinks[I].Call->getBeginLoc(),
             "-1 also reaches '" + libcName(directCallee(Sinks[I].Call)).str() + "' here");
    Context.Report.add(std::move(F));
  }

private:
  static const PidSink *sinkFor(const CallExpr *Call, const ForkSiteRoles &Site) {
    llvm::StringRef Name = libcName(directCallee(Call));
    if (Name.empty())
      return nullptr;
    for (const PidSink &Sink : PidSinks) {
      if (Sink.Name != Name || Sink.PidArgument >= Call->getNumArgs())
        continue;
      if (isPidValue(Call->getArg(Sink.PidArgument), Site.site().Call, Site.pidVarsBefore(Call)))
        return &Sink;
    }
    return nullptr;
  }
};

} // namespace

std::unique_ptr<Rule> createUncheckedForkErrorRule() {
  return std::make_unique<UncheckedForkErrorRule>();
}

} // namespace forkhazard
