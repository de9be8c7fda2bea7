// What the child of a fork does between the fork and its exec (the descriptors it closes, the
// signals it resets), and what the process did before the fork: the facts the checks of the
// fork+exec window (fd-leak-into-exec, signal-state-leak, ...) read.
#ifndef FORK_HAZARD_CHILD_SETUP_H
#define FORK_HAZARD_CHILD_SETUP_H

#include "analysis/ProcessRoles.h"
#include "clang/AST/Expr.h"
#include <vector>

namespace forkhazard {

class TranslationUnitIndex;

struct ChildSetup {
  /// The exec calls the child makes (before any exec), in walk order.
  std::vector<const clang::CallExpr *> Execs;
  /// The other calls it makes before exec: in the forking function, and in the functions of
  /// this TU those calls reach (a few levels down), where it may reset what it inherited.
  std::vector<const clang::CallExpr *> Calls;
};
ChildSetup childSetupOf(const ForkSiteRoles &Site);

/// Whether a path of the forking function leads from From to To (both statements of it; a
/// statement reaches what follows it in its block, and what its block's successors reach).
bool pathLeads(const FunctionRoles &Fn, const clang::Stmt *From, const clang::Stmt *To);

/// Whether S, a statement of the forking function, runs in the process before it forks at
/// Site: a path leads from S to the fork call and no child of this fork runs S.
bool runsBeforeFork(const ForkSiteRoles &Site, const clang::Stmt *S);

/// Whether the process runs Between after Before and before the fork at Site (on some path,
/// from Between to the fork without Before again): a setting undone before the fork.
bool undoneBeforeFork(const ForkSiteRoles &Site, const clang::Stmt *Before,
                      const clang::Stmt *Between);

/// Whether S, in Owner, follows one of Owner's own forks (a child's own doing, or its parent's
/// after the fork): never the program's setup. False when Owner does not fork.
bool followsForkOf(TranslationUnitIndex &Index, const clang::FunctionDecl *Owner,
                   const clang::Stmt *S);

/// The calls in S (S included), in source order (at most a few thousand: generated code).
std::vector<const clang::CallExpr *> callsIn(const clang::Stmt *S);

/// Whether A and B are declarations of one function.
bool sameFunction(const clang::FunctionDecl *A, const clang::FunctionDecl *B);

/// The statement of the enclosing compound statement that contains E (for an insertion before
/// it), or null when there is none or it comes from a macro.
const clang::Stmt *enclosingStatement(const clang::Expr *E, clang::ASTContext &Ctx);

/// The function whose body contains S, or null.
const clang::FunctionDecl *enclosingFunction(const clang::Stmt *S, clang::ASTContext &Ctx);

/// The indentation of the line Loc is on.
std::string indentationAt(clang::SourceLocation Loc, const clang::SourceManager &SM);

} // namespace forkhazard

#endif
