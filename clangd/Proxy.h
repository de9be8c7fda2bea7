// The language server: in front of clangd (every message relayed both ways unchanged, but for
// clangd's publishDiagnostics and codeAction replies, which gain our diagnostics and quick
// fixes), or --standalone, alone (a diagnostics-only server for editors that run two servers on
// one file). Our analysis runs off the I/O threads, in a worker process, on the document's
// current text, debounced; a result for an older version of a document is dropped, never
// published.
#ifndef FORK_HAZARD_CLANGD_PROXY_H
#define FORK_HAZARD_CLANGD_PROXY_H

#include "clangd/AnalysisWorker.h"
#include <string>
#include <vector>

namespace forkhazard::clangd {

struct ServerSettings {
  bool Standalone = false;
  std::string ClangdPath;
  std::vector<std::string> ClangdArgs; // what we do not know, passed on
  std::string Program;                 // this program, started again as the worker
  WorkerSettings Worker;
  unsigned DebounceMilliseconds = 50;
  /// An analysis that takes longer is taken for hung: its worker is ended.
  unsigned AnalysisTimeoutSeconds = 60;
};

/// Runs the server on stdin/stdout until the editor exits it (or clangd ends); the exit status.
int runServer(const ServerSettings &Settings);

} // namespace forkhazard::clangd

#endif
