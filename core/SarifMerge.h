// fork-hazard-check merge: the SARIF logs of shards (each one run of fork-hazard, written by
// writeSarif) as one log, so that CI uploads one run however many runners checked the database.
#ifndef FORK_HAZARD_SARIF_MERGE_H
#define FORK_HAZARD_SARIF_MERGE_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/raw_ostream.h"
#include <string>

namespace forkhazard {

/// Writes one SARIF log: the first input's run (tool, rules, source root) with the results of
/// every input's run, a result repeated across inputs (a header's finding reached from TUs of
/// two shards) once, sorted by location (ties in input order, as in one run). Returns "" or one
/// error sentence naming the input that is not such a log.
std::string mergeSarifLogs(llvm::ArrayRef<std::string> Paths, llvm::raw_ostream &OS);

} // namespace forkhazard

#endif
