#include "analysis/TranslationUnitFacts.h"

#include "analysis/ChildReaping.h"
#include "analysis/ProgramFacts.h"
#include "analysis/SignalSafety.h"
#include "analysis/ThreadEvidence.h"
#include "analysis/TranslationUnitIndex.h"

using namespace clang;

namespace forkhazard {

TranslationUnitFacts::TranslationUnitFacts(ASTContext &Ctx, TranslationUnitIndex &Index)
    : Ctx(Ctx), Index(Index) {}
TranslationUnitFacts::~TranslationUnitFacts() = default;

ChildReaping &TranslationUnitFacts::childReaping() {
  if (!Reaping)
    Reaping = std::make_unique<ChildReaping>(Ctx, Index);
  return *Reaping;
}

const Stmt *TranslationUnitFacts::firstThreadCreation() {
  if (!ThreadCreation)
    ThreadCreation = forkhazard::firstThreadCreation(Index, Ctx);
  return *ThreadCreation;
}

SignalSafety &TranslationUnitFacts::signalSafety(bool UnknownCallsUnsafe,
                                                 bool ExitReportedElsewhere) {
  std::unique_ptr<SignalSafety> &Entry = Safety[{UnknownCallsUnsafe, ExitReportedElsewhere}];
  if (!Entry) {
    Entry = std::make_unique<SignalSafety>(Ctx, Index, UnknownCallsUnsafe, ExitReportedElsewhere);
    Entry->setProgram(&Index);
  }
  return *Entry;
}

bool TranslationUnitFacts::wrapperMayReturnFailure(const FunctionDecl *Wrapper) {
  auto Known = WrapperFails.find(Wrapper);
  if (Known != WrapperFails.end())
    return Known->second;
  if (const ProgramFunction *Elsewhere = Index.programFunction(Wrapper))
    return WrapperFails[Wrapper] = Elsewhere->WrapperMayReturnFailure;
  WrapperFails[Wrapper] = true; // recursion, or no analysis: assume it may
  bool Fails = true;
  for (const FunctionRoles *Function : Index.forkingFunctions()) {
    if (Function->decl()->getCanonicalDecl() != Wrapper->getCanonicalDecl())
      continue;
    Fails = false;
    for (const ForkSiteRoles &Inner : Function->sites()) {
      if (Inner.site().ViaWrapper && !wrapperMayReturnFailure(Inner.site().Callee))
        continue;
      for (const RoleEvent &Event : Inner.events())
        if ((Event.Roles & ForkFailed) &&
            (Event.Kind == EventKind::Returns || Event.Kind == EventKind::FallsOffEnd))
          Fails = true;
    }
  }
  WrapperFails[Wrapper] = Fails;
  return Fails;
}

} // namespace forkhazard
