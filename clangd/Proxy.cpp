#include "clangd/Proxy.h"
#include "clangd/JsonAccess.h"

#include "clangd/ChildProcess.h"
#include "clangd/Documents.h"
#include "clangd/Transport.h"
#include "core/CheckDocs.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

namespace forkhazard::clangd {

namespace {

using Clock = std::chrono::steady_clock;
using llvm::json::Array;
using llvm::json::Object;
using llvm::json::Value;

std::string serialize(const Value &V) { return llvm::formatv("{0}", V).str(); }

std::string notification(llvm::StringRef Method, Object Params) {
  return serialize(Object{{"jsonrpc", "2.0"}, {"method", Method}, {"params", std::move(Params)}});
}

/// How long clangd's diagnostics for a version wait for ours, when ours are on their way: one
/// publish with both instead of clangd's, then both a moment later.
constexpr std::chrono::milliseconds HoldForOurs(1500);
/// However fast the edits come, a document is analyzed at least this often.
constexpr std::chrono::milliseconds MaxDebounce(500);

struct OpenDocument {
  Document Doc;
  bool Usable = true; // false after a change we could not apply: nothing more until reopened
  // Our last result, for OursVersion.
  std::optional<int64_t> OursVersion;
  Array Ours, OursFixes;
  // The analysis of Doc.Version is due at DueAt (debounced) while Dirty.
  bool Dirty = false;
  Clock::time_point DueAt, DirtySince;
  // clangd's last publish.
  bool HaveClangd = false;
  std::optional<int64_t> ClangdVersion;
  Array Clangd;
  std::optional<Clock::time_point> HeldUntil; // clangd's publish waits for ours
  std::optional<int64_t> Published;           // the last version we published
};

struct PendingCodeAction {
  std::string Uri;
  Object Range;
  std::optional<Array> Only; // context.only: the kinds wanted; none = every kind
};

struct InFlightAnalysis {
  int64_t Id;
  std::string Uri;
  int64_t Version;
  Clock::time_point Started;
  bool TimedOut = false;
};

bool before(const Object &A, const Object &B) { // A <= B, positions
  int64_t LA = integerOf(A, "line").value_or(0), LB = integerOf(B, "line").value_or(0);
  return LA < LB || (LA == LB && integerOf(A, "character").value_or(0) <=
                                     integerOf(B, "character").value_or(0));
}

bool overlaps(const Object *A, const Object *B) {
  if (!A || !B)
    return false;
  const Object *AS = A->getObject("start"), *AE = A->getObject("end");
  const Object *BS = B->getObject("start"), *BE = B->getObject("end");
  return AS && AE && BS && BE && before(*AS, *BE) && before(*BS, *AE);
}

class Server {
public:
  explicit Server(ServerSettings Settings) : Settings(std::move(Settings)) {}
  int run();

private:
  // Messages from the editor: our bookkeeping, then clangd (or our own answer).
  void fromEditor(std::string Body);
  void observe(llvm::StringRef Method, const Value *Id, const Object *Params);
  std::optional<int> answerAlone(const Object &Message); // --standalone; a value: exit with it
  // Messages from clangd.
  void fromClangd(std::string Body);
  void clangdDiagnostics(const Object &Params, std::string Body);
  // Our analysis.
  void schedule();
  void startAnalysis(const std::string &Uri, OpenDocument &D);
  void analysisDone(int64_t Id, Object Result);
  void workerDied(std::string Why);
  // Output (with Lock held).
  void publish(const std::string &Uri, OpenDocument &D);
  Array codeActionsFor(const PendingCodeAction &Request);
  bool oursValid(const OpenDocument &D) const {
    return D.Usable && D.OursVersion && *D.OursVersion == D.Doc.Version;
  }
  bool analysisPending(const std::string &Uri, const OpenDocument &D) const;
  void showMessage(int Type, const std::string &Text);
  void toEditor(std::string Body) { EditorOut->send(std::move(Body)); }
  void markDirty(OpenDocument &D, std::chrono::milliseconds Delay);

  ServerSettings Settings;
  std::unique_ptr<MessageWriter> EditorOut, ClangdIn;
  ChildProcess Clangd;
  std::unique_ptr<WorkerConnection> Worker;

  std::mutex Lock;
  std::condition_variable Wake; // the scheduler: a document is due, a hold ends, a result came
  bool Stopping = false;
  std::map<std::string, OpenDocument> Documents;
  std::map<std::string, PendingCodeAction> CodeActions; // by the request's id, serialized
  std::optional<std::string> InitializeId;
  std::optional<InFlightAnalysis> InFlight;
  int64_t NextAnalysisId = 1;
  PositionEncoding Encoding = PositionEncoding::UTF16;
  bool RelatedInformation = false, ActionLiterals = false;
  std::set<std::string> MessagesShown;
  bool FailureShown = false;
  // --standalone's session state, as clangd keeps it.
  bool Initialized = false, ShutdownRequested = false;
};

void Server::showMessage(int Type, const std::string &Text) {
  toEditor(notification("window/showMessage", Object{{"type", Type}, {"message", Text}}));
}

void Server::markDirty(OpenDocument &D, std::chrono::milliseconds Delay) {
  Clock::time_point Now = Clock::now();
  if (!D.Dirty)
    D.DirtySince = Now;
  D.Dirty = true;
  D.DueAt = Now + Delay;
  Wake.notify_all();
}

/// Reads what the editor tells about itself and its documents (the message itself is passed
/// on unchanged, or answered by answerAlone).
void Server::observe(llvm::StringRef Method, const Value *Id, const Object *Params) {
  std::lock_guard<std::mutex> Guard(Lock);
  if (Method == "initialize" && Params) {
    if (Id)
      InitializeId = serialize(*Id);
    const Object *Capabilities = Params->getObject("capabilities");
    const Object *Text = Capabilities ? Capabilities->getObject("textDocument") : nullptr;
    const Object *Publish = Text ? Text->getObject("publishDiagnostics") : nullptr;
    RelatedInformation = Publish && booleanOf(*Publish, "relatedInformation").value_or(false);
    const Object *Action = Text ? Text->getObject("codeAction") : nullptr;
    ActionLiterals = Action && Action->getObject("codeActionLiteralSupport");
    // What clangd would pick (standalone; behind clangd, its answer decides): the first of the
    // client's encodings it knows.
    const Object *General = Capabilities ? Capabilities->getObject("general") : nullptr;
    const Array *Offered = General ? General->getArray("positionEncodings") : nullptr;
    if (!Offered)
      Offered = Capabilities ? Capabilities->getArray("offsetEncoding") : nullptr;
    if (Offered)
      for (const Value &Name : *Offered)
        if (auto Known = parseEncoding(asString(Name).value_or(""))) {
          Encoding = *Known;
          break;
        }
    if (const Object *Init = Params->getObject("initializationOptions")) {
      // clangd's own initializationOptions, read the same way (the worker starts after this).
      if (auto Path = stringOf(*Init, "compilationDatabasePath"))
        Settings.Worker.CompileCommandsDir = Path->str();
      if (const Array *Flags = Init->getArray("fallbackFlags"))
        for (const Value &Flag : *Flags)
          if (auto S = asString(Flag))
            Settings.Worker.FallbackFlags.push_back(S->str());
    }
    return;
  }
  if (!Params)
    return;
  const Object *TextDocument = Params->getObject("textDocument");
  std::string Uri = TextDocument ? stringOf(*TextDocument, "uri").value_or("").str() : "";
  if (Method == "textDocument/didOpen" && TextDocument) {
    std::string Path = pathFromUri(Uri);
    if (Path.empty())
      return; // not a file: nothing of ours
    OpenDocument &D = Documents[Uri] = OpenDocument();
    D.Doc.Path = Path;
    D.Doc.Text = stringOf(*TextDocument, "text").value_or("").str();
    D.Doc.Version = integerOf(*TextDocument, "version").value_or(0);
    markDirty(D, std::chrono::milliseconds(0));
  } else if (Method == "textDocument/didChange") {
    auto It = Documents.find(Uri);
    if (It == Documents.end())
      return; // clangd logs and ignores a change of a document never opened; so do we
    OpenDocument &D = It->second;
    if (auto Version = integerOf(*TextDocument, "version"))
      D.Doc.Version = *Version;
    else
      ++D.Doc.Version;
    if (const Array *Changes = Params->getArray("contentChanges"))
      for (const Value &Change : *Changes) {
        const Object *C = Change.getAsObject();
        std::string Error = C ? applyChange(D.Doc.Text, *C, Encoding) : "a change that is not an object";
        if (!Error.empty() && D.Usable) {
          llvm::errs() << "fork-hazard-clangd: " << Uri << ": " << Error
                       << "; its fork-hazard diagnostics stop until it is opened again\n";
          D.Usable = false;
        }
      }
    if (D.HeldUntil) // that version's diagnostics of ours will never come
      publish(Uri, D);
    markDirty(D, std::chrono::milliseconds(Settings.DebounceMilliseconds));
  } else if (Method == "textDocument/didSave") {
    // A saved header changes what its includers see: each document's preamble check notices.
    for (auto &Entry : Documents)
      markDirty(Entry.second, std::chrono::milliseconds(Settings.DebounceMilliseconds));
  } else if (Method == "textDocument/didClose") {
    auto It = Documents.find(Uri);
    if (It == Documents.end())
      return;
    std::string Path = It->second.Doc.Path;
    Documents.erase(It);
    std::string Ignored;
    if (Worker)
      Worker->send(Object{{"method", "forget"}, {"params", Object{{"path", Path}}}}, Ignored);
    if (Settings.Standalone) // clangd clears a closed document's diagnostics; alone, we do
      toEditor(notification("textDocument/publishDiagnostics",
                            Object{{"uri", Uri}, {"diagnostics", Array()}}));
  } else if (Method == "textDocument/codeAction" && Id) {
    PendingCodeAction Request;
    Request.Uri = Uri;
    if (const Object *Range = Params->getObject("range"))
      Request.Range = *Range;
    const Object *Context = Params->getObject("context");
    if (const Array *Only = Context ? Context->getArray("only") : nullptr)
      Request.Only = *Only;
    CodeActions[serialize(*Id)] = std::move(Request);
  }
}

void Server::fromEditor(std::string Body) {
  llvm::Expected<Value> Parsed = llvm::json::parse(Body);
  const Object *Message = Parsed ? Parsed->getAsObject() : nullptr;
  if (!Parsed)
    llvm::consumeError(Parsed.takeError());
  if (Message) {
    if (auto Method = stringOf(*Message, "method"))
      observe(*Method, Message->get("id"), Message->getObject("params"));
  }
  if (!Settings.Standalone) {
    ClangdIn->send(std::move(Body)); // unchanged, whatever it is: clangd answers as it does
    return;
  }
  std::optional<int> Exit;
  if (!Message) {
    // clangd logs a parse error and reads on; a value that is not an object ends its loop.
    if (Parsed)
      Exit = ShutdownRequested ? 0 : 1;
    else
      llvm::errs() << "fork-hazard-clangd: JSON parse error\n";
  } else {
    Exit = answerAlone(*Message);
  }
  if (Exit) {
    EditorOut->drain();
    std::_Exit(*Exit);
  }
}

/// --standalone: answers the editor as clangd's transport and server answer it (error codes and
/// messages included), with diagnostics and quick fixes only.
std::optional<int> Server::answerAlone(const Object &Message) {
  auto Reply = [&](const Value &Id, Value Result) {
    toEditor(serialize(Object{{"jsonrpc", "2.0"}, {"id", Id}, {"result", std::move(Result)}}));
  };
  auto Fail = [&](const Value &Id, int64_t Code, llvm::StringRef Text) {
    toEditor(serialize(Object{{"jsonrpc", "2.0"},
                              {"id", Id},
                              {"error", Object{{"code", Code}, {"message", Text}}}}));
  };
  if (stringOf(Message, "jsonrpc") != std::optional<llvm::StringRef>("2.0"))
    return ShutdownRequested ? 0 : 1; // "Not a JSON-RPC 2.0 message": clangd stops
  const Value *Id = Message.get("id");
  std::optional<llvm::StringRef> Method = stringOf(Message, "method");
  if (!Method)
    return Id ? std::nullopt : std::optional<int>(ShutdownRequested ? 0 : 1);
  if (*Method == "exit")
    return ShutdownRequested ? 0 : 1;
  if (!Id)
    return std::nullopt; // a notification: observe() did what there is to do
  if (*Method == "initialize") {
    if (Initialized)
      return Fail(*Id, -32600, "server already initialized"), std::nullopt;
    Initialized = true;
    std::lock_guard<std::mutex> Guard(Lock);
    Reply(*Id, Object{{"serverInfo", Object{{"name", "fork-hazard-clangd"},
                                            {"version", toolVersion()}}},
                      {"capabilities",
                       Object{{"positionEncoding", encodingName(Encoding)},
                              {"textDocumentSync", Object{{"openClose", true},
                                                          {"change", 2},
                                                          {"save", true}}},
                              {"codeActionProvider",
                               Object{{"codeActionKinds", Array{"quickfix"}}}}}}});
    return std::nullopt;
  }
  if (!Initialized)
    return Fail(*Id, -32002, "server not initialized"), std::nullopt;
  if (*Method == "shutdown") {
    ShutdownRequested = true;
    Reply(*Id, nullptr);
  } else if (*Method == "textDocument/codeAction") {
    std::lock_guard<std::mutex> Guard(Lock);
    auto Pending = CodeActions.find(serialize(*Id));
    Array Actions;
    if (Pending != CodeActions.end()) {
      Actions = codeActionsFor(Pending->second);
      CodeActions.erase(Pending);
    }
    Reply(*Id, std::move(Actions));
  } else {
    Fail(*Id, -32601, "method not found");
  }
  return std::nullopt;
}

void Server::fromClangd(std::string Body) {
  // Most of clangd's traffic (completions, hovers, semantic tokens) is none of ours: relayed
  // without being parsed.
  {
    std::lock_guard<std::mutex> Guard(Lock);
    if (CodeActions.empty() && !InitializeId &&
        llvm::StringRef(Body).find("\"textDocument/publishDiagnostics\"") == llvm::StringRef::npos) {
      toEditor(std::move(Body));
      return;
    }
  }
  llvm::Expected<Value> Parsed = llvm::json::parse(Body);
  if (!Parsed) {
    llvm::consumeError(Parsed.takeError());
    toEditor(std::move(Body));
    return;
  }
  Object *Message = Parsed->getAsObject();
  if (!Message) {
    toEditor(std::move(Body));
    return;
  }
  if (stringOf(*Message, "method") == std::optional<llvm::StringRef>("textDocument/publishDiagnostics")) {
    if (const Object *Params = Message->getObject("params"))
      return clangdDiagnostics(*Params, std::move(Body));
  } else if (!Message->get("method") && Message->get("id")) {
    std::string Id = serialize(*Message->get("id"));
    std::lock_guard<std::mutex> Guard(Lock);
    if (InitializeId && *InitializeId == Id) {
      // clangd's choice of position encoding is the session's.
      const Object *Result = Message->getObject("result");
      const Object *Capabilities = Result ? Result->getObject("capabilities") : nullptr;
      std::optional<llvm::StringRef> Chosen =
          Capabilities ? stringOf(*Capabilities, "positionEncoding") : std::nullopt;
      if (!Chosen && Result)
        Chosen = stringOf(*Result, "offsetEncoding");
      Encoding = parseEncoding(Chosen.value_or("utf-16")).value_or(PositionEncoding::UTF16);
      InitializeId.reset();
    }
    auto Pending = CodeActions.find(Id);
    if (Pending != CodeActions.end()) {
      Array Ours = codeActionsFor(Pending->second);
      CodeActions.erase(Pending);
      Value *Result = Message->get("result");
      if (!Ours.empty() && Result && (Result->getAsArray() || Result->getAsNull())) {
        Array Merged = Result->getAsArray() ? std::move(*Result->getAsArray()) : Array();
        for (Value &Action : Ours)
          Merged.push_back(std::move(Action));
        *Result = std::move(Merged);
        toEditor(serialize(Value(std::move(*Message))));
        return;
      }
    }
  }
  toEditor(std::move(Body));
}

void Server::clangdDiagnostics(const Object &Params, std::string Body) {
  std::string Uri = stringOf(Params, "uri").value_or("").str();
  std::lock_guard<std::mutex> Guard(Lock);
  auto It = Documents.find(Uri);
  if (It == Documents.end()) {
    toEditor(std::move(Body)); // not a document of ours
    return;
  }
  OpenDocument &D = It->second;
  D.HaveClangd = true;
  D.ClangdVersion = integerOf(Params, "version");
  const Array *Diagnostics = Params.getArray("diagnostics");
  D.Clangd = Diagnostics ? *Diagnostics : Array();
  bool ForThisVersion = !D.ClangdVersion || *D.ClangdVersion == D.Doc.Version;
  if (!oursValid(D) && ForThisVersion && analysisPending(Uri, D)) {
    D.HeldUntil = Clock::now() + HoldForOurs;
    Wake.notify_all();
    return;
  }
  publish(Uri, D);
}

bool Server::analysisPending(const std::string &Uri, const OpenDocument &D) const {
  if (!D.Usable)
    return false;
  return D.Dirty || (InFlight && InFlight->Uri == Uri && InFlight->Version == D.Doc.Version);
}

void Server::publish(const std::string &Uri, OpenDocument &D) {
  Array Diagnostics = D.HaveClangd ? D.Clangd : Array();
  std::optional<int64_t> Version = D.HaveClangd ? D.ClangdVersion : std::nullopt;
  if (oursValid(D)) {
    for (const Value &Ours : D.Ours)
      Diagnostics.push_back(Ours);
    Version = D.Doc.Version;
  }
  if (Version && D.Published && *Version < *D.Published)
    Version = D.Published; // never backwards
  Object Params{{"uri", Uri}, {"diagnostics", std::move(Diagnostics)}};
  if (Version) {
    Params["version"] = *Version;
    D.Published = Version;
  }
  D.HeldUntil.reset();
  toEditor(notification("textDocument/publishDiagnostics", std::move(Params)));
}

Array Server::codeActionsFor(const PendingCodeAction &Request) {
  Array Actions;
  auto It = Documents.find(Request.Uri);
  if (It == Documents.end() || !oursValid(It->second) || !ActionLiterals)
    return Actions;
  if (Request.Only) {
    bool Wanted = false;
    for (const Value &Kind : *Request.Only) {
      llvm::StringRef K = asString(Kind).value_or("");
      Wanted |= K.empty() || K == "quickfix";
    }
    if (!Wanted)
      return Actions;
  }
  const OpenDocument &D = It->second;
  for (size_t I = 0; I < D.Ours.size() && I < D.OursFixes.size(); ++I) {
    const Object *Diagnostic = D.Ours[I].getAsObject();
    const Array *Fixes = D.OursFixes[I].getAsArray();
    if (!Diagnostic || !Fixes || !overlaps(Diagnostic->getObject("range"), &Request.Range))
      continue;
    for (const Value &Fix : *Fixes) {
      const Object *F = Fix.getAsObject();
      if (!F)
        continue;
      Actions.push_back(Object{
          {"title", stringOf(*F, "title").value_or("apply fix-it").str()},
          {"kind", "quickfix"},
          {"diagnostics", Array{Value(Object(*Diagnostic))}},
          // Every fix-it of ours is the mechanical fix of its finding.
          {"isPreferred", Fixes->size() == 1},
          {"edit", Object{{"changes", Object{{Request.Uri, F->get("edits") ? *F->get("edits")
                                                                            : Value(Array())}}}}}});
    }
  }
  return Actions;
}

void Server::startAnalysis(const std::string &Uri, OpenDocument &D) {
  D.Dirty = false;
  if (!Worker)
    Worker = std::make_unique<WorkerConnection>(
        Settings.Program, Settings.Worker,
        [this](int64_t Id, Object Result) { analysisDone(Id, std::move(Result)); },
        [this](std::string Why) { workerDied(std::move(Why)); });
  InFlight = InFlightAnalysis{NextAnalysisId++, Uri, D.Doc.Version, Clock::now()};
  Object Request{{"id", InFlight->Id},
                 {"method", "analyze"},
                 {"params", Object{{"uri", Uri},
                                   {"path", D.Doc.Path},
                                   {"text", D.Doc.Text},
                                   {"encoding", encodingName(Encoding)},
                                   {"relatedInformation", RelatedInformation}}}};
  std::string Error;
  if (!Worker->send(Request, Error)) {
    InFlight.reset();
    if (!FailureShown) {
      FailureShown = true;
      showMessage(1, "fork-hazard: cannot start the analysis: " + Error +
                         "; clangd's diagnostics are not affected");
    }
    if (D.HeldUntil)
      publish(Uri, D);
  }
}

void Server::analysisDone(int64_t Id, Object Result) {
  std::lock_guard<std::mutex> Guard(Lock);
  if (!InFlight || InFlight->Id != Id)
    return;
  InFlightAnalysis Done = *InFlight;
  InFlight.reset();
  Wake.notify_all();
  if (auto Error = stringOf(Result, "error"))
    if (MessagesShown.insert(Error->str()).second)
      showMessage(2, "fork-hazard: " + Error->str());
  auto It = Documents.find(Done.Uri);
  if (It == Documents.end() || It->second.Doc.Version != Done.Version || !It->second.Usable)
    return; // an older version's result: dropped
  OpenDocument &D = It->second;
  D.OursVersion = Done.Version;
  const Array *Diagnostics = Result.getArray("diagnostics");
  const Array *Fixes = Result.getArray("fixes");
  D.Ours = Diagnostics ? *Diagnostics : Array();
  D.OursFixes = Fixes ? *Fixes : Array();
  publish(Done.Uri, D);
}

void Server::workerDied(std::string Why) {
  std::lock_guard<std::mutex> Guard(Lock);
  if (Stopping)
    return;
  Wake.notify_all();
  if (!InFlight)
    return; // between analyses: the next one starts another worker
  InFlightAnalysis Lost = *InFlight;
  InFlight.reset();
  auto It = Documents.find(Lost.Uri);
  if (It != Documents.end() && It->second.HeldUntil)
    publish(Lost.Uri, It->second); // clangd's, without ours
  if (!FailureShown) {
    FailureShown = true;
    std::string Path = It != Documents.end() ? It->second.Doc.Path : Lost.Uri;
    if (Lost.TimedOut)
      Why = "it took longer than " + std::to_string(Settings.AnalysisTimeoutSeconds) + " s";
    showMessage(1, "fork-hazard: the analysis of " + Path + " stopped (" + Why +
                       "); its fork-hazard diagnostics come back with its next edit. clangd's "
                       "diagnostics are not affected. Please report it with the file.");
  }
}

void Server::schedule() {
  std::unique_lock<std::mutex> Guard(Lock);
  while (!Stopping) {
    Clock::time_point Now = Clock::now();
    Clock::time_point Next = Now + std::chrono::hours(1);
    std::string DueUri;
    Clock::time_point DueAt = Next;
    for (auto &Entry : Documents) {
      OpenDocument &D = Entry.second;
      if (D.HeldUntil && *D.HeldUntil <= Now)
        publish(Entry.first, D);
      else if (D.HeldUntil)
        Next = std::min(Next, *D.HeldUntil);
      if (D.Dirty && D.Usable) {
        Clock::time_point Ready = std::min(D.DueAt, D.DirtySince + MaxDebounce);
        if (Ready < DueAt) {
          DueAt = Ready;
          DueUri = Entry.first;
        }
      }
    }
    if (InFlight && !InFlight->TimedOut) {
      auto Timeout = std::chrono::seconds(Settings.AnalysisTimeoutSeconds);
      if (Now - InFlight->Started >= Timeout) {
        InFlight->TimedOut = true;
        Worker->stop(); // workerDied() follows, from the worker's reader
      } else {
        Next = std::min(Next, InFlight->Started + Timeout);
      }
    }
    if (!InFlight && !DueUri.empty()) {
      if (DueAt <= Now) {
        startAnalysis(DueUri, Documents[DueUri]);
        continue;
      }
      Next = std::min(Next, DueAt);
    }
    Wake.wait_until(Guard, Next);
  }
}

int Server::run() {
  std::signal(SIGPIPE, SIG_IGN); // a peer that is gone is a failed write, not our end
  EditorOut = std::make_unique<MessageWriter>(STDOUT_FILENO);
  std::thread ClangdReader;
  if (!Settings.Standalone) {
    std::vector<std::string> Argv{Settings.ClangdPath};
    Argv.insert(Argv.end(), Settings.ClangdArgs.begin(), Settings.ClangdArgs.end());
    std::string Error;
    if (!Clangd.start(Argv, Error)) {
      llvm::errs() << "fork-hazard-clangd: " << Error
                   << " (give the clangd to run with --clangd=PATH, or run --standalone)\n";
      return 1;
    }
    ClangdIn = std::make_unique<MessageWriter>(Clangd.input());
    ClangdReader = std::thread([this] {
      MessageReader In(Clangd.output());
      std::string Body;
      while (In.read(Body))
        fromClangd(std::move(Body));
      // clangd has ended: so does the session, with clangd's status.
      int Status = Clangd.wait();
      {
        std::lock_guard<std::mutex> Guard(Lock);
        Stopping = true;
      }
      EditorOut->drain();
      std::_Exit(Status);
    });
  }
  std::thread([this] { schedule(); }).detach();
  MessageReader In(stdin);
  std::string Body;
  while (In.read(Body))
    fromEditor(std::move(Body));
  // The editor's end of the pipe is closed.
  if (!Settings.Standalone) {
    ClangdIn.reset(); // writes what is queued
    Clangd.closeInput();
    ClangdReader.join(); // ends the process when clangd is done
  }
  {
    std::lock_guard<std::mutex> Guard(Lock);
    Stopping = true;
  }
  EditorOut->drain();
  std::_Exit(ShutdownRequested ? 0 : 1); // the threads still waiting have nothing left to do
}

} // namespace

int runServer(const ServerSettings &Settings) {
  Server S(Settings);
  return S.run();
}

} // namespace forkhazard::clangd
