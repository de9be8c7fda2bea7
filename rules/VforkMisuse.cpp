// vfork-misuse: after vfork() the child runs on the parent's memory and stack until it calls an
// exec function or _exit; anything else it does -- another call (exit included), a constructor,
// new or delete, a store (even to its own local variables: they live in the parent's stack
// frame), returning, throwing, falling off the end -- is undefined behavior and in practice
// corrupts the parent. One report per vfork, at the first such statement; the others are notes.
// clang's unix.Vfork checker covers calls, stores and return; this also covers throw, falling
// off the end and implicit destructors, and keeps the failed vfork (-1, no child) apart from
// the child.
#include "plugin/LibcFunctions.h"
#include "plugin/PathNotes.h"
#include "plugin/Rule.h"
#include "plugin/SourceOrder.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/Builtins.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace clang;

namespace forkhazard {
namespace {

/// One thing the vfork child must not do. What completes "the child of 'vfork' ..."; Why, if
/// any, explains it in the warning ("which the parent sees").
struct Misuse {
  SourceLocation Where;
  std::string What;
  std::string Why;
  const RoleEvent *Event; // for the path notes
};

RoleBit firstChildRole(RoleSet Roles) {
  for (RoleBit Role : {Child, ChildAfterExec, ChildShared, ChildSharedAfterExec})
    if (Roles & Role)
      return Role;
  return Child;
}

/// What the statements a vfork child runs do to the parent, for one vfork site.
class ChildStatements {
public:
  ChildStatements(const ForkSiteRoles &Site, ASTContext &Ctx) : Site(Site), Ctx(Ctx) {
    for (const RoleEvent &Execution : Site.executed()) {
      const Stmt *S = Execution.Where;
      if (const auto *Decl = dyn_cast<DeclStmt>(S)) {
        bool ChildOnly = !(Execution.Roles & ParentRoles);
        for (const clang::Decl *D : Decl->decls())
          if (const auto *Var = dyn_cast<VarDecl>(D)) {
            if (ChildOnly)
              ChildLocals.insert(Var);
            if (Var->getInit() && isVforkResult(Var->getInit(), S))
              PidVariables.insert(Var);
          }
      } else if (const auto *Assign = dyn_cast<BinaryOperator>(S)) {
        if (Assign->getOpcode() == BO_Assign && isVforkResult(Assign->getRHS(), S))
          if (const VarDecl *Var = variableOf(Assign->getLHS()))
            PidVariables.insert(Var);
      } else if (const auto *New = dyn_cast<CXXNewExpr>(S)) {
        if (reportsNew(New))
          if (const CXXConstructExpr *Init = New->getConstructExpr())
            ConstructedByNew.insert(Init); // the `new` is the report
      }
    }
  }

  /// What S does that a vfork child must not, if anything.
  std::optional<Misuse> misuseIn(const Stmt *S) const {
    if (const auto *Call = dyn_cast<CallExpr>(S))
      return callMisuse(Call);
    if (const auto *Construct = dyn_cast<CXXConstructExpr>(S)) {
      const CXXConstructorDecl *Constructor = Construct->getConstructor();
      if (!Constructor || Constructor->isTrivial() || ConstructedByNew.count(Construct))
        return std::nullopt;
      return Misuse{{}, "constructs an object of type '" + typeName(Construct->getType()) + "'",
                    "which runs its constructor", nullptr};
    }
    if (const auto *New = dyn_cast<CXXNewExpr>(S)) {
      if (!reportsNew(New))
        return std::nullopt;
      return Misuse{{}, "allocates memory with 'new'", "which changes the parent's heap",
                    nullptr};
    }
    if (isa<CXXDeleteExpr>(S))
      return Misuse{{}, "frees memory with 'delete'", "which changes the parent's heap", nullptr};
    if (isa<ReturnStmt>(S)) {
      if (Site.function().decl()->isMain())
        return Misuse{{}, "returns from 'main'", "which calls 'exit'", nullptr};
      return Misuse{{}, "returns from " + quotedFunctionName(Site) + " into the parent's stack frame",
                    "", nullptr};
    }
    if (isa<CXXThrowExpr>(S))
      return Misuse{{}, "throws an exception", "which unwinds the parent's stack frames",
                    nullptr};
    if (const auto *Decl = dyn_cast<DeclStmt>(S))
      return initializationMisuse(Decl);
    return storeMisuse(S);
  }

private:
  bool isVforkResult(const Expr *E, const Stmt *At) const {
    return isPidValue(E, Site.site().Call, Site.pidVarsBefore(At));
  }

  static const VarDecl *variableOf(const Expr *E) {
    const auto *Ref = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
    return Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
  }

  /// Placement new into memory the caller provides allocates nothing.
  static bool reportsNew(const CXXNewExpr *New) {
    const FunctionDecl *Allocator = New->getOperatorNew();
    return !Allocator || !Allocator->isReservedGlobalPlacementOperator();
  }

  std::string typeName(QualType Type) const {
    return Type.getUnqualifiedType().getAsString(Ctx.getPrintingPolicy());
  }

  std::optional<Misuse> callMisuse(const CallExpr *Call) const {
    const FunctionDecl *Callee = directCallee(Call);
    if (Callee && Callee->getBuiltinID() != 0 &&
        !Ctx.BuiltinInfo.isLibFunction(Callee->getBuiltinID()) &&
        !Ctx.BuiltinInfo.isPredefinedLibFunction(Callee->getBuiltinID()))
      return std::nullopt; // __builtin_expect and friends are not calls
    LibcKind Kind = classifyLibcFunction(Callee);
    if (Kind == LibcKind::Exec)
      return std::nullopt;
    llvm::StringRef Name = libcName(Callee);
    if (Kind == LibcKind::ExitImmediate && (Name == "_exit" || Name == "_Exit"))
      return std::nullopt;
    // Reading errno (a call to the C library's per-thread errno accessor) changes nothing.
    if (Name == "__errno_location" || Name == "__error" || Name == "___errno" ||
        Name == "__errno")
      return std::nullopt;
    if (!Callee)
      return Misuse{{}, "calls a function through a pointer", "", nullptr};
    if (Call == Site.site().Call)
      return Misuse{{}, "goes back around the loop and calls '" + forkName(Site.site()) + "' again",
                    "", nullptr};
    if (Name == "exit")
      return Misuse{{}, "calls 'exit'",
                    "which runs the parent's atexit handlers and flushes its stdio buffers",
                    nullptr};
    if (const auto *Method = dyn_cast<CXXMethodDecl>(Callee))
      if (Method->getParent()->isLambda())
        return Misuse{{}, "calls a lambda", "", nullptr};
    return Misuse{{}, "calls '" + Callee->getNameAsString() + "'", "", nullptr};
  }

  /// `int status = 0;`, `char *args[] = {...};` in the child: its locals live in the frame it
  /// shares with the parent (unix.Vfork reports these too). A non-trivial constructor is
  /// reported as such; the vfork result's own variable is allowed.
  std::optional<Misuse> initializationMisuse(const DeclStmt *Decl) const {
    for (const clang::Decl *D : Decl->decls()) {
      const auto *Var = dyn_cast<VarDecl>(D);
      if (!Var || !Var->hasLocalStorage() || !Var->getInit() || PidVariables.count(Var) ||
          Var->getType()->isReferenceType())
        continue;
      if (const auto *Construct = dyn_cast<CXXConstructExpr>(Var->getInit()->IgnoreImplicit()))
        if (Construct->getConstructor() && !Construct->getConstructor()->isTrivial())
          continue;
      return Misuse{{}, "initializes '" + Var->getNameAsString() + "'", "", nullptr};
    }
    return std::nullopt;
  }

  /// An assignment, compound assignment, ++ or -- in the child, except to the variable that
  /// holds vfork's result (both processes store it; allowed, as in unix.Vfork).
  std::optional<Misuse> storeMisuse(const Stmt *S) const {
    const Expr *Target = nullptr;
    if (const auto *Assign = dyn_cast<BinaryOperator>(S)) {
      if (Assign->isAssignmentOp())
        Target = Assign->getLHS();
    } else if (const auto *Unary = dyn_cast<UnaryOperator>(S)) {
      if (Unary->isIncrementDecrementOp())
        Target = Unary->getSubExpr();
    }
    if (!Target)
      return std::nullopt;
    if (const VarDecl *Var = variableOf(Target)) {
      if (PidVariables.count(Var))
        return std::nullopt;
      std::string Name = "'" + Var->getNameAsString() + "'";
      if (ChildLocals.count(Var))
        return Misuse{{}, "writes to " + Name, "", nullptr}; // its own local, in the shared frame
      return Misuse{{}, "assigns to " + Name, "which the parent sees", nullptr};
    }
    std::string Text = sourceText(Ctx, Target->getSourceRange());
    if (Text.empty() || Text.size() > 40)
      return Misuse{{}, "writes to memory", "which the parent shares", nullptr};
    return Misuse{{}, "writes to '" + Text + "'", "", nullptr};
  }

  const ForkSiteRoles &Site;
  ASTContext &Ctx;
  llvm::SmallPtrSet<const VarDecl *, 8> PidVariables; // hold vfork's result
  llvm::SmallPtrSet<const VarDecl *, 8> ChildLocals;  // declared where only the child runs
  llvm::SmallPtrSet<const CXXConstructExpr *, 4> ConstructedByNew;
};

class VforkMisuseRule : public Rule {
public:
  void checkForkSite(const ForkSiteRoles &Site, RuleContext &Context) override {
    if (!Site.site().IsVFork)
      return;
    ChildStatements Statements(Site, Context.Ctx);
    std::vector<Misuse> Found;
    auto Add = [&](std::optional<Misuse> M, SourceLocation Where, const RoleEvent &Event) {
      if (!M || Where.isInvalid())
        return;
      M->Where = Where;
      M->Event = &Event;
      Found.push_back(std::move(*M));
    };
    for (const RoleEvent &Execution : Site.executed())
      if (Execution.Roles & ChildRoles)
        Add(Statements.misuseIn(Execution.Where), Execution.Where->getBeginLoc(), Execution);
    for (const ObjectDestruction &Destruction : Site.destructions())
      if ((Destruction.Event.Roles & ChildRoles) && Destruction.Event.Where)
        if (const CXXRecordDecl *Record = Destruction.Object->getType()->getBaseElementTypeUnsafe()->getAsCXXRecordDecl())
          if (Record->hasDefinition() && !Record->hasTrivialDestructor())
            Add(Misuse{{}, "destroys '" + Destruction.Object->getNameAsString() + "'",
                       "which runs its destructor", nullptr},
                destructionLocation(Destruction), Destruction.Event);
    for (const RoleEvent &Event : Site.events()) {
      if (!(Event.Roles & ChildRoles))
        continue;
      if (Event.Kind == EventKind::FallsOffEnd)
        Add(Misuse{{}, "reaches the end of " + quotedFunctionName(Site), "", nullptr},
            functionEnd(Site), Event);
      else if (Event.Kind == EventKind::EndsProcess && Event.End == EndKind::FallOffMain)
        Add(Misuse{{}, "reaches the end of 'main'", "which calls 'exit'", nullptr},
            functionEnd(Site), Event);
    }
    if (Found.empty())
      return;
    const SourceManager &SM = Context.Ctx.getSourceManager();
    sortInSourceOrder(Found, SM, [](const Misuse &M) { return M.Where; });
    const Misuse &First = Found.front();
    Finding F;
    F.Check = "vfork-misuse";
    F.Location = First.Where;
    F.Message = "the child of 'vfork' " + First.What +
                (First.Why.empty() ? "" : ", " + First.Why + ",") +
                " while it shares the parent's memory and stack; only an exec function or "
                "'_exit' may follow 'vfork'";
    addForkNote(F, Site, "the child process is created here by 'vfork'");
    RoleBit Role = firstChildRole(First.Event->Roles & ChildRoles);
    addBranchNotes(F, Site, Site.pathTo(*First.Event, Role), Role);
    for (size_t I = 1; I < Found.size() && I <= MaxMoreNotes; ++I)
      F.note(Found[I].Where, "the child also " + Found[I].What + " here");
    if (Found.size() > MaxMoreNotes + 1)
      F.note(First.Where, "and " + std::to_string(Found.size() - MaxMoreNotes - 1) +
                              " more such statements; consider 'posix_spawn'");
    Context.Report.add(std::move(F));
  }

private:
  static constexpr size_t MaxMoreNotes = 4;

  /// A destructor at the end of a scope runs at its closing brace; one run by a jump (return,
  /// break) at the jump.
  static SourceLocation destructionLocation(const ObjectDestruction &Destruction) {
    const Stmt *Trigger = Destruction.Event.Where;
    return isa<CompoundStmt>(Trigger) ? Trigger->getEndLoc() : Trigger->getBeginLoc();
  }
};

} // namespace

std::unique_ptr<Rule> createVforkMisuseRule() { return std::make_unique<VforkMisuseRule>(); }

} // namespace forkhazard
