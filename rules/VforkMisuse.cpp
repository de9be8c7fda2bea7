// vfork-misuse: after vfork() the child runs on the parent's memory and stack until it calls an
// exec function or _exit; anything else it does -- another call (exit included), a store the
// parent will see, returning, throwing, falling off the end -- is undefined behavior and in
// practice corrupts the parent. One report per vfork, at the first such statement; the others
// are notes. clang's unix.Vfork checker covers calls, stores and return; this also covers throw,
// falling off the end, and tells the failed vfork (-1, no child) from the parent.
#include "plugin/LibcFunctions.h"
#include "plugin/PathNotes.h"
#include "plugin/Rule.h"
#include "clang/Basic/SourceManager.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/Builtins.h"

using namespace clang;

namespace forkhazard {
namespace {

/// One thing the vfork child must not do: where, and what, as the end of "the child ...".
struct Misuse {
  SourceLocation Where;
  std::string What;
  const RoleEvent *Event; // for the path notes
  RoleBit Role;
};

RoleBit firstChildRole(RoleSet Roles) {
  for (RoleBit Role : {Child, ChildAfterExec, ChildShared, ChildSharedAfterExec})
    if (Roles & Role)
      return Role;
  return Child;
}

class VforkMisuseRule : public Rule {
public:
  void checkForkSite(const ForkSiteRoles &Site, RuleContext &Context) override {
    if (!Site.site().IsVFork)
      return;
    std::vector<Misuse> Found;
    for (const RoleEvent &Execution : Site.executed())
      if (Execution.Roles & ChildRoles)
        if (std::optional<std::string> What = misuseIn(Execution.Where, Site, Context))
          Found.push_back({Execution.Where->getBeginLoc(), *What, &Execution,
                           firstChildRole(Execution.Roles)});
    for (const RoleEvent &Event : Site.events()) {
      if (!(Event.Roles & ChildRoles))
        continue;
      if (Event.Kind == EventKind::FallsOffEnd)
        Found.push_back({functionEnd(Site), "reaches the end of " + quotedFunctionName(Site),
                         &Event, firstChildRole(Event.Roles)});
      else if (Event.Kind == EventKind::EndsProcess && Event.End == EndKind::FallOffMain)
        Found.push_back({functionEnd(Site), "reaches the end of 'main', which calls 'exit'",
                         &Event, firstChildRole(Event.Roles)});
    }
    if (Found.empty())
      return;
    const SourceManager &SM = Context.Ctx.getSourceManager();
    std::stable_sort(Found.begin(), Found.end(), [&](const Misuse &A, const Misuse &B) {
      return SM.isBeforeInTranslationUnit(A.Where, B.Where);
    });
    const Misuse &First = Found.front();
    Finding F;
    F.Check = "vfork-misuse";
    F.Location = First.Where;
    F.Message = "the child of 'vfork' " + First.What +
                " while it shares the parent's memory and stack; only an exec function or "
                "'_exit' may follow 'vfork'";
    addForkNote(F, Site, "the child process is created here by 'vfork'");
    addBranchNotes(F, Site, Site.pathTo(*First.Event, First.Role), First.Role);
    for (size_t I = 1; I < Found.size() && I <= MaxMoreNotes; ++I)
      F.note(Found[I].Where, "the child also " + Found[I].What + " here");
    if (Found.size() > MaxMoreNotes + 1)
      F.note(First.Where, "and " + std::to_string(Found.size() - MaxMoreNotes - 1) +
                              " more such statements; consider 'posix_spawn'");
    Context.Report.add(std::move(F));
  }

private:
  static constexpr size_t MaxMoreNotes = 4;

  /// What S does that a vfork child must not, if anything.
  static std::optional<std::string> misuseIn(const Stmt *S, const ForkSiteRoles &Site,
                                             RuleContext &Context) {
    if (const auto *Call = dyn_cast<CallExpr>(S)) {
      const FunctionDecl *Callee = directCallee(Call);
      if (Callee && Callee->getBuiltinID() != 0 &&
          !Context.Ctx.BuiltinInfo.isLibFunction(Callee->getBuiltinID()) &&
          !Context.Ctx.BuiltinInfo.isPredefinedLibFunction(Callee->getBuiltinID()))
        return std::nullopt; // __builtin_expect and friends are not calls
      LibcKind Kind = classifyLibcFunction(Callee);
      if (Kind == LibcKind::Exec)
        return std::nullopt;
      llvm::StringRef Name = libcName(Callee);
      if (Kind == LibcKind::ExitImmediate && (Name == "_exit" || Name == "_Exit"))
        return std::nullopt;
      if (!Callee)
        return std::string("calls a function through a pointer");
      if (Name == "exit")
        return std::string("calls 'exit', which runs the parent's atexit handlers and flushes "
                           "its stdio buffers,");
      return "calls '" + Callee->getNameAsString() + "'";
    }
    if (isa<CXXConstructExpr>(S) || isa<CXXNewExpr>(S) || isa<CXXDeleteExpr>(S))
      return std::nullopt; // their calls are reported where they are explicit; see the docs
    if (const auto *Return = dyn_cast<ReturnStmt>(S)) {
      (void)Return;
      if (Site.function().decl()->isMain())
        return std::string("returns from 'main', which calls 'exit',");
      return "returns from " + quotedFunctionName(Site) + " into the parent's stack frame";
    }
    if (isa<CXXThrowExpr>(S))
      return std::string("throws an exception");
    if (const auto *Store = storedVariable(S, Site))
      return "assigns to '" + Store->getNameAsString() + "', which the parent sees";
    return std::nullopt;
  }

  /// The variable S writes to, if S is an assignment or ++/-- of a variable (not of vfork's
  /// own result, which both processes store).
  static const ValueDecl *storedVariable(const Stmt *S, const ForkSiteRoles &Site) {
    const Expr *Target = nullptr;
    if (const auto *Assign = dyn_cast<BinaryOperator>(S)) {
      if (!Assign->isAssignmentOp())
        return nullptr;
      if (Assign->getOpcode() == BO_Assign &&
          isPidValue(Assign->getRHS(), Site.site().Call, PidVarSet::unreached()))
        return nullptr;
      Target = Assign->getLHS();
    } else if (const auto *Unary = dyn_cast<UnaryOperator>(S)) {
      if (!Unary->isIncrementDecrementOp())
        return nullptr;
      Target = Unary->getSubExpr();
    } else {
      return nullptr;
    }
    Target = Target->IgnoreParenImpCasts();
    if (const auto *Ref = dyn_cast<DeclRefExpr>(Target)) {
      // Overwriting the variable that holds vfork's result is allowed (as in unix.Vfork).
      if (const auto *Var = dyn_cast<VarDecl>(Ref->getDecl()))
        if (Site.pidVarsBefore(S).contains(Var))
          return nullptr;
      return Ref->getDecl();
    }
    if (const auto *Member = dyn_cast<MemberExpr>(Target))
      return Member->getMemberDecl();
    if (const auto *Subscript = dyn_cast<ArraySubscriptExpr>(Target))
      if (const auto *Base = dyn_cast<DeclRefExpr>(Subscript->getBase()->IgnoreParenImpCasts()))
        return Base->getDecl();
    if (const auto *Deref = dyn_cast<UnaryOperator>(Target))
      if (Deref->getOpcode() == UO_Deref)
        if (const auto *Base = dyn_cast<DeclRefExpr>(Deref->getSubExpr()->IgnoreParenImpCasts()))
          return Base->getDecl();
    return nullptr;
  }
};

} // namespace

std::unique_ptr<Rule> createVforkMisuseRule() { return std::make_unique<VforkMisuseRule>(); }

} // namespace forkhazard
