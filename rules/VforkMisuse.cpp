// vfork-misuse: after vfork() the child runs on the parent's memory and stack until it calls an
// exec function or _exit; anything else it does -- another call (exit included), a constructor,
// new or delete, a store (even to its own local variables: they live in the parent's stack
// frame), returning, throwing, falling off the end -- is undefined behavior and in practice
// corrupts the parent. One report per path of the child that goes wrong, at its first such
// statement; what follows on that path is notes.
// clang's unix.Vfork checker covers calls, stores and return; this also covers throw, falling
// off the end and implicit destructors, and keeps the failed vfork (-1, no child) apart from
// the child.
#include "analysis/LibcFunctions.h"
#include "analysis/PathNotes.h"
#include "analysis/SourceOrder.h"
#include "analysis/SourceText.h"
#include "rules/Rule.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/Builtins.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"
#include <deque>

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
  // What the child runs, to find it in the CFG: a statement, the destruction of an object, or
  // (neither) the end of the function.
  const Stmt *Statement = nullptr;
  const VarDecl *Destroyed = nullptr;
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

/// Splits what a vfork child does wrong into findings, one per path that goes wrong: a misuse
/// leads a finding when a child can reach it from the vfork without another misuse first (the
/// first bad statement of that path); one that every path reaches only after another is a note
/// of the finding that comes first on its own path (pathTo's). A misuse inside another one's
/// statement (the call in `x = foo()`, the exception a `throw` constructs) is part of that one.
class MisusePaths {
public:
  MisusePaths(const ForkSiteRoles &Site, llvm::ArrayRef<Misuse> Found)
      : Site(Site), Found(Found), Outer(Found.size()), Leads(Found.size()) {
    for (size_t I = 0; I < Found.size(); ++I) {
      if (Found[I].Statement)
        ByStatement[Found[I].Statement] = I;
      else if (Found[I].Destroyed)
        ByDestroyed[Found[I].Destroyed] = I;
      else
        AtEnd = I;
    }
    if (auto Location = Site.function().locate(Site.site().Call)) {
      SiteBlock = Location->first;
      SiteIndex = Location->second;
    }
  }

  /// For each misuse, the index of the one whose finding lists it (its own index: it leads).
  std::vector<size_t> leaders() {
    findOuterStatements();
    markFirstOnSomePath();
    // A part of a leading statement is its note. For the others, the first misuse on pathTo's
    // path: the walk above takes every edge the analysis's child takes (it ignores the constants
    // that prune some), so that misuse leads already; should it not, it leads now.
    std::vector<size_t> Leader(Found.size());
    for (size_t I = 0; I < Found.size(); ++I)
      if (!Leads[I])
        Leads[Leader[I] = Leads[Outer[I]] ? Outer[I] : firstOnPathTo(I)] = true;
    for (size_t I = 0; I < Found.size(); ++I)
      if (Leads[I])
        Leader[I] = I;
    return Leader;
  }

private:
  const ForkSiteRoles &Site;
  llvm::ArrayRef<Misuse> Found;
  llvm::DenseMap<const Stmt *, size_t> ByStatement;
  llvm::DenseMap<const VarDecl *, size_t> ByDestroyed;
  std::optional<size_t> AtEnd;
  std::vector<size_t> Outer; // the outermost misuse whose statement contains each one
  std::vector<bool> Leads;
  const CFGBlock *SiteBlock = nullptr;
  unsigned SiteIndex = 0;

  /// The misuse a CFG element is part of (the outermost one), if any.
  std::optional<size_t> misuseAt(const CFGElement &Element) const {
    if (auto S = Element.getAs<CFGStmt>()) {
      auto Found = ByStatement.find(S->getStmt());
      if (Found != ByStatement.end())
        return Outer[Found->second];
    } else if (auto Dtor = Element.getAs<CFGAutomaticObjDtor>()) {
      auto Found = ByDestroyed.find(Dtor->getVarDecl());
      if (Found != ByDestroyed.end())
        return Found->second;
    }
    return std::nullopt;
  }

  /// Outer[I]: the outermost misuse statement containing misuse I (I itself if none). Each
  /// statement's subtree is searched down to the misuses in it, not below: linear in the AST.
  void findOuterStatements() {
    std::vector<std::optional<size_t>> Container(Found.size());
    for (size_t I = 0; I < Found.size(); ++I) {
      if (!Found[I].Statement)
        continue;
      std::vector<const Stmt *> Work(Found[I].Statement->child_begin(),
                                     Found[I].Statement->child_end());
      while (!Work.empty()) {
        const Stmt *S = Work.back();
        Work.pop_back();
        if (!S)
          continue;
        auto Inner = ByStatement.find(S);
        if (Inner != ByStatement.end())
          Container[Inner->second] = I;
        else
          Work.insert(Work.end(), S->child_begin(), S->child_end());
      }
    }
    for (size_t I = 0; I < Found.size(); ++I) {
      Outer[I] = I;
      while (Container[Outer[I]])
        Outer[I] = *Container[Outer[I]];
    }
  }

  /// Walks the blocks a child enters from the vfork, each path up to its first misuse (which
  /// then leads) or its end (exec does not end it: a failed exec continues).
  void markFirstOnSomePath() {
    if (!SiteBlock)
      return; // the vfork sits in code the CFG dropped: no child runs anything
    const CFG &Cfg = Site.function().cfg();
    std::vector<bool> Queued(Cfg.getNumBlockIDs());
    std::deque<std::pair<const CFGBlock *, unsigned>> Work{{SiteBlock, SiteIndex + 1}};
    while (!Work.empty()) {
      const CFGBlock *Block = Work.front().first;
      unsigned From = Work.front().second;
      Work.pop_front();
      if (!passesWithoutMisuse(*Block, From))
        continue;
      unsigned Index = 0;
      for (const CFGBlock *Succ : Block->succs()) {
        unsigned ThisIndex = Index++;
        if (!Succ)
          continue;
        if (Succ == &Cfg.getExit()) {
          if (!Site.roleAcrossEdge(Block, ThisIndex, Child))
            continue;
          // A try's dispatch block reaches the exit only for what its handlers do not catch.
          if (AtEnd && !isa_and_nonnull<CXXTryStmt>(Block->getTerminatorStmt()))
            Leads[*AtEnd] = true;
        } else if (Site.childCrosses(Block, ThisIndex) && !Queued[Succ->getBlockID()]) {
          Queued[Succ->getBlockID()] = true;
          Work.push_back({Succ, 0});
        }
      }
    }
  }

  /// Runs Block from element From; false if the path stops there (a misuse, which then leads,
  /// or the end of the process).
  bool passesWithoutMisuse(const CFGBlock &Block, unsigned From) {
    for (unsigned I = From, E = Block.size(); I < E; ++I) {
      if (std::optional<size_t> Misuse = misuseAt(Block[I])) {
        Leads[*Misuse] = true;
        return false;
      }
      if (auto S = Block[I].getAs<CFGStmt>())
        if (const auto *Call = dyn_cast<CallExpr>(S->getStmt()))
          if (Site.function().effects().effectOf(Call).What == CallEffect::EndsProcess)
            return false;
    }
    return !Block.hasNoReturnElement();
  }

  /// The first misuse on the role analysis's path to misuse I (I's own outermost if none).
  size_t firstOnPathTo(size_t I) const {
    const RoleEvent &Event = *Found[I].Event;
    for (const PathStep &Step : Site.pathTo(Event, firstChildRole(Event.Roles & ChildRoles)))
      for (unsigned E = Step.StartsAfterFork ? SiteIndex + 1 : 0; E < Step.Block->size(); ++E)
        if (std::optional<size_t> Misuse = misuseAt((*Step.Block)[E]))
          return *Misuse;
    return Outer[I];
  }
};

class VforkMisuseRule : public Rule {
public:
  void checkForkSite(const ForkSiteRoles &Site, RuleContext &Context) override {
    std::vector<Misuse> Found = misuses(Site, Context.Ctx);
    if (Found.empty())
      return;
    sortInSourceOrder(Found, Context.Ctx.getSourceManager(),
                      [](const Misuse &M) { return M.Where; });
    std::vector<size_t> Leader = MisusePaths(Site, Found).leaders();
    for (size_t I = 0; I < Found.size(); ++I)
      if (Leader[I] == I)
        report(Site, Context, Found, Leader, I);
  }

private:
  static constexpr size_t MaxMoreNotes = 4;

  /// Everything a child runs that a vfork child must not.
  static std::vector<Misuse> misuses(const ForkSiteRoles &Site, ASTContext &Ctx) {
    ChildStatements Statements(Site, Ctx);
    std::vector<Misuse> Found;
    auto Add = [&](std::optional<Misuse> M, SourceLocation Where, const RoleEvent &Event) {
      if (!M || Where.isInvalid())
        return;
      M->Where = Where;
      M->Event = &Event;
      Found.push_back(std::move(*M));
    };
    for (const RoleEvent &Execution : Site.executed())
      if (Execution.Roles & ChildRoles) {
        std::optional<Misuse> M = Statements.misuseIn(Execution.Where);
        if (M)
          M->Statement = Execution.Where;
        Add(std::move(M), Execution.Where->getBeginLoc(), Execution);
      }
    for (const ObjectDestruction &Destruction : Site.destructions())
      if ((Destruction.Event.Roles & ChildRoles) && Destruction.Event.Where)
        if (const CXXRecordDecl *Record = Destruction.Object->getType()->getBaseElementTypeUnsafe()->getAsCXXRecordDecl())
          if (Record->hasDefinition() && !Record->hasTrivialDestructor()) {
            Misuse M{{}, "destroys '" + Destruction.Object->getNameAsString() + "'",
                     "which runs its destructor", nullptr};
            M.Destroyed = Destruction.Object;
            Add(std::move(M), destructionLocation(Destruction), Destruction.Event);
          }
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
    return Found;
  }

  /// The finding Found[Lead] leads, with a note for each misuse after it on its paths.
  static void report(const ForkSiteRoles &Site, RuleContext &Context,
                     llvm::ArrayRef<Misuse> Found, llvm::ArrayRef<size_t> Leader, size_t Lead) {
    const Misuse &First = Found[Lead];
    Finding F;
    F.Location = First.Where;
    F.Message = "the child of 'vfork' " + First.What +
                (First.Why.empty() ? "" : ", " + First.Why + ",") +
                " while it shares the parent's memory and stack; only an exec function or "
                "'_exit' may follow 'vfork'";
    addForkNote(F, Site, "the child process is created here by 'vfork'");
    RoleBit Role = firstChildRole(First.Event->Roles & ChildRoles);
    addBranchNotes(F, Site, Site.pathTo(*First.Event, Role), Role);
    size_t Later = 0;
    for (size_t I = 0; I < Found.size(); ++I) {
      if (I == Lead || Leader[I] != Lead)
        continue;
      if (++Later <= MaxMoreNotes)
        F.note(Found[I].Where, "the child also " + Found[I].What + " here");
    }
    if (Later > MaxMoreNotes)
      F.note(First.Where, "and " + std::to_string(Later - MaxMoreNotes) +
                              " more such statements; consider 'posix_spawn'");
    Context.Report.add(std::move(F));
  }

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
