// Whether a translation unit creates threads, and where: the evidence unsafe-call-in-child
// needs before it calls a child's malloc a deadlock risk. Read from the index's recorded calls.
#ifndef FORK_HAZARD_THREAD_EVIDENCE_H
#define FORK_HAZARD_THREAD_EVIDENCE_H

#include "clang/AST/Stmt.h"

namespace forkhazard {

class TranslationUnitIndex;

/// The first place (in source order) this TU starts a thread: pthread_create, thrd_create,
/// std::thread/std::jthread/boost::thread construction, std::async. Null if none.
const clang::Stmt *firstThreadCreation(const TranslationUnitIndex &Index,
                                       const clang::SourceManager &SM);

} // namespace forkhazard

#endif
