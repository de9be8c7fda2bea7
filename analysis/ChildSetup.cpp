#include "analysis/ChildSetup.h"

#include "analysis/LibcFunctions.h"
#include "analysis/TranslationUnitIndex.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace clang;

namespace forkhazard {
namespace {

/// How deep the child's calls are followed into the functions of this TU, and how many calls
/// are collected at most (generated code).
constexpr unsigned MaxHelperDepth = 3;
constexpr size_t MaxCalls = 4096;

void collectCalls(const Stmt *S, std::vector<const CallExpr *> &Into) {
  if (!S || Into.size() >= MaxCalls)
    return;
  if (const auto *Call = dyn_cast<CallExpr>(S))
    Into.push_back(Call);
  for (const Stmt *Child : S->children())
    collectCalls(Child, Into);
}

/// Adds the calls made inside the functions of this TU that Calls call, down to MaxHelperDepth.
void addHelperCalls(std::vector<const CallExpr *> &Calls, const SourceManager &SM) {
  llvm::SmallPtrSet<const FunctionDecl *, 8> Seen;
  size_t Begin = 0;
  for (unsigned Depth = 0; Depth < MaxHelperDepth && Begin < Calls.size(); ++Depth) {
    size_t End = Calls.size();
    for (size_t I = Begin; I < End; ++I) {
      const FunctionDecl *Callee = directCallee(Calls[I]);
      const FunctionDecl *Definition = nullptr;
      if (!Callee || !Callee->hasBody(Definition) || !Definition ||
          SM.isInSystemHeader(SM.getExpansionLoc(Definition->getLocation())) ||
          !Seen.insert(Definition).second)
        continue;
      collectCalls(Definition->getBody(), Calls);
    }
    Begin = End;
  }
}

std::optional<std::pair<const CFGBlock *, unsigned>> where(const FunctionRoles &Fn,
                                                           const Stmt *S) {
  return Fn.locate(S);
}

} // namespace

ChildSetup childSetupOf(const ForkSiteRoles &Site) {
  ChildSetup Setup;
  for (const RoleEvent &Event : Site.executed()) {
    const auto *Call = dyn_cast_or_null<CallExpr>(Event.Where);
    if (!Call || !(Event.Roles & ChildBeforeExec))
      continue;
    if (classifyLibcFunction(directCallee(Call)) == LibcKind::Exec)
      Setup.Execs.push_back(Call);
    else
      Setup.Calls.push_back(Call);
  }
  addHelperCalls(Setup.Calls, Site.function().astContext().getSourceManager());
  return Setup;
}

bool pathLeads(const FunctionRoles &Fn, const Stmt *From, const Stmt *To) {
  auto A = where(Fn, From), B = where(Fn, To);
  if (!A || !B)
    return false;
  if (A->first == B->first && A->second < B->second)
    return true;
  std::vector<const CFGBlock *> Successors;
  for (const CFGBlock::AdjacentBlock &Next : A->first->succs())
    if (const CFGBlock *Block = Next.getReachableBlock())
      Successors.push_back(Block);
  return reachableFrom(Fn.cfg(), std::move(Successors))[B->first->getBlockID()];
}

/// Whether some path runs To after From without running Avoid in between (CFG blocks are
/// straight-line: a block is passed through whole, or entered at its start).
static bool pathLeadsAvoiding(const FunctionRoles &Fn, const Stmt *From, const Stmt *To,
                              const Stmt *Avoid) {
  auto A = where(Fn, From), B = where(Fn, To), X = where(Fn, Avoid);
  if (!A || !B)
    return false;
  if (!X)
    return pathLeads(Fn, From, To);
  auto Between = [&](const CFGBlock *Block, unsigned After, unsigned Before) {
    return X->first == Block && After < X->second && X->second < Before;
  };
  if (A->first == B->first && A->second < B->second)
    return !Between(A->first, A->second, B->second);
  if (Between(A->first, A->second, ~0u))
    return false;
  std::vector<bool> Seen(Fn.cfg().getNumBlockIDs());
  std::vector<const CFGBlock *> Work{A->first};
  while (!Work.empty()) {
    const CFGBlock *Block = Work.back();
    Work.pop_back();
    for (const CFGBlock::AdjacentBlock &Next : Block->succs()) {
      const CFGBlock *N = Next.getReachableBlock();
      if (!N || Seen[N->getBlockID()])
        continue;
      Seen[N->getBlockID()] = true;
      if (N == B->first && !(X->first == N && X->second < B->second))
        return true;
      if (N != X->first)
        Work.push_back(N);
    }
  }
  return false;
}

bool followsForkOf(TranslationUnitIndex &Index, const FunctionDecl *Owner, const Stmt *S) {
  for (const FunctionRoles *Fn : Index.forkingFunctions())
    if (sameFunction(Fn->decl(), Owner))
      for (const ForkSiteRoles &Site : Fn->sites())
        if (pathLeads(*Fn, Site.site().Call, S))
          return true;
  return false;
}

std::vector<const CallExpr *> callsIn(const Stmt *S) {
  std::vector<const CallExpr *> Calls;
  collectCalls(S, Calls);
  return Calls;
}

bool sameFunction(const FunctionDecl *A, const FunctionDecl *B) {
  return A && B && A->getCanonicalDecl() == B->getCanonicalDecl();
}

bool runsBeforeFork(const ForkSiteRoles &Site, const Stmt *S) {
  const RoleEvent *Run = Site.executionOf(S);
  if (Run && (Run->Roles & ChildRoles))
    return false;
  return pathLeads(Site.function(), S, Site.site().Call);
}

bool undoneBeforeFork(const ForkSiteRoles &Site, const Stmt *Before, const Stmt *Between) {
  // Between must lead to the fork without Before again: a retry loop that sets the state
  // again before each fork (crontab's `again:`) is not undone by what follows the last fork.
  return runsBeforeFork(Site, Between) && pathLeads(Site.function(), Before, Between) &&
         pathLeadsAvoiding(Site.function(), Between, Site.site().Call, Before);
}

const Stmt *enclosingStatement(const Expr *E, ASTContext &Ctx) {
  DynTypedNode Node = DynTypedNode::create(*E);
  for (unsigned Depth = 0; Depth < 32; ++Depth) {
    auto Parents = Ctx.getParents(Node);
    if (Parents.size() != 1)
      return nullptr;
    if (Parents[0].get<CompoundStmt>()) {
      const Stmt *S = Node.get<Stmt>();
      return S && !S->getBeginLoc().isMacroID() ? S : nullptr;
    }
    // A declaration's initializer (`ssize_t n = read(...);`): on to its DeclStmt.
    if (!Parents[0].get<Stmt>() && !Parents[0].get<VarDecl>())
      return nullptr;
    Node = Parents[0];
  }
  return nullptr;
}

const FunctionDecl *enclosingFunction(const Stmt *S, ASTContext &Ctx) {
  DynTypedNode Node = DynTypedNode::create(*S);
  for (unsigned Depth = 0; Depth < 256; ++Depth) {
    auto Parents = Ctx.getParents(Node);
    if (Parents.empty())
      return nullptr;
    if (const auto *FD = Parents[0].get<FunctionDecl>())
      return FD;
    Node = Parents[0];
  }
  return nullptr;
}

std::string indentationAt(SourceLocation Loc, const SourceManager &SM) {
  Loc = SM.getExpansionLoc(Loc);
  llvm::StringRef Buffer = SM.getBufferData(SM.getFileID(Loc));
  unsigned Offset = SM.getFileOffset(Loc);
  size_t LineStart = Buffer.rfind('\n', Offset == 0 ? 0 : Offset - 1);
  LineStart = LineStart == llvm::StringRef::npos ? 0 : LineStart + 1;
  llvm::StringRef Line = Buffer.substr(LineStart, Offset - LineStart);
  return Line.take_while([](char C) { return C == ' ' || C == '\t'; }).str();
}

} // namespace forkhazard
