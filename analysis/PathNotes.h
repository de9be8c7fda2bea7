// Notes that explain a process's path: where it was created, which branch it took, where it
// loops back or falls into shared code. Shared by the rules so every check explains alike.
#ifndef FORK_HAZARD_PATH_NOTES_H
#define FORK_HAZARD_PATH_NOTES_H

#include "analysis/ProcessRoles.h"
#include "core/Finding.h"

namespace forkhazard {

/// The name of the function called at the fork site ("fork", "vfork", "Fork").
std::string forkName(const ForkSite &Site);

/// "child process created here" at the fork call (or the wrapper or role-telling call).
void addForkNote(Finding &F, const ForkSiteRoles &Site, llvm::StringRef What);

/// One note per branch on Path where a test of the fork's result sent Role its way.
void addBranchNotes(Finding &F, const ForkSiteRoles &Site, llvm::ArrayRef<PathStep> Path,
                    RoleBit Role);

/// The block on Path where the child entered code the parent also runs (index into Path).
std::optional<size_t> sharedCodeEntryOnPath(llvm::ArrayRef<PathStep> Path);

/// The loop statement whose back edge Path takes first, if any.
const clang::Stmt *firstLoopBackEdge(llvm::ArrayRef<PathStep> Path);

/// A name for the function containing the fork site, quoted ('createChild').
std::string quotedFunctionName(const ForkSiteRoles &Site);

/// Where a FallsOffEnd/FallOffMain event happens: the closing brace of the function.
clang::SourceLocation functionEnd(const ForkSiteRoles &Site);

/// Where an event happens (the statement, or the function's end).
clang::SourceLocation eventLocation(const RoleEvent &Event, const ForkSiteRoles &Site);
/// What the process does at an escaping event, as the end of a sentence: "returns from 'f'".
std::string escapeDescription(const RoleEvent &Event, const ForkSiteRoles &Site);
/// For a Throws event at a call: where the exception comes from (each call down to the throw)
/// and the handler of this function that catches it without ending the process.
void addThrowNotes(Finding &F, const RoleEvent &Event);

} // namespace forkhazard

#endif
