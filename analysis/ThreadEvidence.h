// Whether a translation unit creates threads, and where: the evidence unsafe-call-in-child
// needs before it calls a child's malloc a deadlock risk.
#ifndef FORK_HAZARD_THREAD_EVIDENCE_H
#define FORK_HAZARD_THREAD_EVIDENCE_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Stmt.h"

namespace forkhazard {

class TranslationUnitIndex;

/// The first place (in source order) outside system headers where this TU starts a thread:
/// pthread_create, thrd_create, std::async, constructing a std::thread, std::jthread or
/// boost::thread (not default-constructing one: that starts nothing). Read from the index's
/// recorded calls; only if they show none, one more pass over the TU looks for threads the
/// library constructs for the program (threads.emplace_back(f), std::make_unique<std::thread>).
/// Null if there is none.
const clang::Stmt *firstThreadCreation(const TranslationUnitIndex &Index, clang::ASTContext &Ctx);

} // namespace forkhazard

#endif
