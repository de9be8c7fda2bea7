// The analysis runs in a process of its own (this program started again with
// --analysis-worker), so that a crash or a hang in clang or in a check ends that process only:
// the proxy keeps relaying clangd, says so once, and starts another worker for the next edit.
// Between the two, the base protocol of LSP: {"id", "method": "analyze", "params":
// {uri, path, text, encoding, relatedInformation}} answered by {"id", "result": <the
// analyzer's reply>}, and {"method": "forget", "params": {"path"}}.
#ifndef FORK_HAZARD_CLANGD_ANALYSIS_WORKER_H
#define FORK_HAZARD_CLANGD_ANALYSIS_WORKER_H

#include "clangd/ChildProcess.h"
#include "clangd/Transport.h"
#include "llvm/Support/JSON.h"
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace forkhazard::clangd {

struct WorkerSettings {
  std::string CompileCommandsDir;
  std::vector<std::string> FallbackFlags;
  std::vector<std::string> SharedArgs; // our options, "name[=value]"
  /// The arguments that start a worker with these settings (after the program's path).
  std::vector<std::string> arguments() const;
};

/// The worker's main loop (stdin/stdout are the pipes from and to the proxy).
int runAnalysisWorker(const WorkerSettings &Settings);

/// The proxy's side: one worker process, started on first use and again after it died.
class WorkerConnection {
public:
  using ReplyHandler = std::function<void(int64_t Id, llvm::json::Object Result)>;
  using DeathHandler = std::function<void(std::string Why)>;
  WorkerConnection(std::string Program, WorkerSettings Settings, ReplyHandler OnReply,
                   DeathHandler OnDeath);
  ~WorkerConnection();
  /// Sends a request or notification, starting a worker if none runs. False if none can start
  /// (Error says why).
  bool send(const llvm::json::Object &Message, std::string &Error);
  /// Ends the running worker (a hung analysis); the death handler is called as for a crash.
  void stop();

private:
  void readReplies(ChildProcess *Process);
  std::string Program;
  WorkerSettings Settings;
  ReplyHandler OnReply;
  DeathHandler OnDeath;
  std::mutex Lock;
  struct Running;
  std::unique_ptr<Running> Current;
  std::vector<std::unique_ptr<Running>> Ended; // reaped when the connection goes
};

} // namespace forkhazard::clangd

#endif
