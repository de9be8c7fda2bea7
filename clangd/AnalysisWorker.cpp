#include "clangd/AnalysisWorker.h"
#include "clangd/JsonAccess.h"

#include "clangd/CompileCommandLookup.h"
#include "clangd/DocumentAnalysis.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <unistd.h>

namespace forkhazard::clangd {

std::vector<std::string> WorkerSettings::arguments() const {
  std::vector<std::string> Args{"--analysis-worker"};
  if (!CompileCommandsDir.empty())
    Args.push_back("--compile-commands-dir=" + CompileCommandsDir);
  for (const std::string &Flag : FallbackFlags)
    Args.push_back("--fallback-flag=" + Flag);
  for (const std::string &Arg : SharedArgs)
    Args.push_back("--fork-hazard-" + Arg);
  return Args;
}

static AnalysisRequest requestFrom(const llvm::json::Object &Params) {
  AnalysisRequest Request;
  Request.Uri = stringOf(Params, "uri").value_or("").str();
  Request.Path = stringOf(Params, "path").value_or("").str();
  Request.Text = stringOf(Params, "text").value_or("").str();
  Request.Encoding =
      parseEncoding(stringOf(Params, "encoding").value_or("utf-16")).value_or(PositionEncoding::UTF16);
  Request.RelatedInformation = booleanOf(Params, "relatedInformation").value_or(true);
  return Request;
}

int runAnalysisWorker(const WorkerSettings &Settings) {
  // The protocol owns the real stdout; anything else that prints goes to stderr.
  int Protocol = ::dup(STDOUT_FILENO);
  ::dup2(STDERR_FILENO, STDOUT_FILENO);
  if (const char *PidFile = std::getenv("FORK_HAZARD_CLANGD_TEST_WORKER_PID_FILE"))
    std::ofstream(PidFile) << ::getpid() << "\n"; // a test hook: which process to kill
  CompileCommandLookup Commands(Settings.CompileCommandsDir, Settings.FallbackFlags);
  DocumentAnalyzer Analyzer(Commands, Settings.SharedArgs);
  MessageReader In(stdin);
  llvm::json::Object Message;
  while (In.readObject(Message)) {
    const llvm::json::Object *Params = Message.getObject("params");
    if (!Params)
      continue;
    llvm::StringRef Method = stringOf(Message, "method").value_or("");
    if (Method == "forget") {
      Analyzer.forget(stringOf(*Params, "path").value_or(""));
      continue;
    }
    if (Method != "analyze")
      continue;
    AnalysisRequest Request = requestFrom(*Params);
    auto Start = std::chrono::steady_clock::now();
    llvm::json::Object Result = Analyzer.analyze(Request);
    // One line per analysis in the editor's server log, as clangd logs its builds.
    llvm::errs() << llvm::formatv(
        "fork-hazard-clangd: analyzed {0} in {1:f1} ms (preamble {2}; {3}; {4} findings)\n",
        Request.Path,
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - Start).count(),
        stringOf(Result, "preamble").value_or("none"), stringOf(Result, "command").value_or("no command"),
        Result.getArray("diagnostics") ? Result.getArray("diagnostics")->size() : 0);
    llvm::json::Object Reply{{"id", integerOf(Message, "id").value_or(0)},
                             {"result", std::move(Result)}};
    std::string Text = llvm::formatv("{0}", llvm::json::Value(std::move(Reply))).str();
    if (!writeMessage(Protocol, Text))
      return 1;
  }
  return 0;
}

struct WorkerConnection::Running {
  ChildProcess Process;
  std::unique_ptr<MessageWriter> Writer;
  std::thread Reader;
};

WorkerConnection::WorkerConnection(std::string Program, WorkerSettings Settings,
                                   ReplyHandler OnReply, DeathHandler OnDeath)
    : Program(std::move(Program)), Settings(std::move(Settings)), OnReply(std::move(OnReply)),
      OnDeath(std::move(OnDeath)) {}

bool WorkerConnection::send(const llvm::json::Object &Message, std::string &Error) {
  std::lock_guard<std::mutex> Guard(Lock);
  if (!Current) {
    auto Started = std::make_unique<Running>();
    std::vector<std::string> Argv{Program};
    std::vector<std::string> Args = Settings.arguments();
    Argv.insert(Argv.end(), Args.begin(), Args.end());
    if (!Started->Process.start(Argv, Error))
      return false;
    Started->Writer = std::make_unique<MessageWriter>(Started->Process.input());
    Started->Reader = std::thread(&WorkerConnection::readReplies, this, &Started->Process);
    Current = std::move(Started);
  }
  Current->Writer->send(llvm::formatv("{0}", llvm::json::Value(llvm::json::Object(Message))).str());
  return true;
}

void WorkerConnection::readReplies(ChildProcess *Process) {
  MessageReader In(Process->output());
  llvm::json::Object Message;
  while (In.readObject(Message))
    if (llvm::json::Object *Result = Message.getObject("result"))
      OnReply(integerOf(Message, "id").value_or(0), std::move(*Result));
  int Status = Process->wait();
  {
    std::lock_guard<std::mutex> Guard(Lock);
    if (Current && &Current->Process == Process)
      Ended.push_back(std::move(Current));
  }
  OnDeath(Status >= 128 ? "it was ended by signal " + std::to_string(Status - 128)
                        : "it exited with status " + std::to_string(Status));
}

void WorkerConnection::stop() {
  std::lock_guard<std::mutex> Guard(Lock);
  if (Current)
    Current->Process.terminate();
}

WorkerConnection::~WorkerConnection() {
  std::unique_ptr<Running> Last;
  {
    std::lock_guard<std::mutex> Guard(Lock);
    Last = std::move(Current);
  }
  if (Last) {
    Last->Writer->close();
    Last->Process.closeInput();
    Last->Process.terminate(); // its reader thread reaps it
    if (Last->Reader.joinable())
      Last->Reader.join();
  }
  for (auto &Old : Ended)
    if (Old->Reader.joinable())
      Old->Reader.join();
}

} // namespace forkhazard::clangd
