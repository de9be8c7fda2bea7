// LSP's base protocol over a pipe: "Content-Length: N\r\n\r\n" and N bytes of JSON. Messages
// are read the way clangd reads them (clang-tools-extra/clangd/JSONTransport.cpp), so that
// whatever the proxy passes on is what clangd itself would have taken from the same bytes: a
// header without a length, a zero or absurd length, or a short body is dropped the same way.
#ifndef FORK_HAZARD_CLANGD_TRANSPORT_H
#define FORK_HAZARD_CLANGD_TRANSPORT_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/JSON.h"
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

namespace forkhazard::clangd {

/// Reads framed messages from a stream (stdin, or a pipe from clangd or the analysis worker).
class MessageReader {
public:
  explicit MessageReader(std::FILE *In) : In(In) {}
  /// The next message's body; false at the end of the input (or on a read error). A framing
  /// error skips that message and goes on, as clangd does.
  bool read(std::string &Body);
  /// The next message that is a JSON object (between our own processes, where anything else
  /// is skipped); false at the end of the input.
  bool readObject(llvm::json::Object &Message);

private:
  bool readLine(std::string &Line);
  std::FILE *In;
};

/// Writes framed messages to a file descriptor from a thread of its own, so that no reader
/// ever waits for a slow peer (clangd still starting, an editor busy elsewhere); messages go
/// out whole and in the order they were queued.
class MessageWriter {
public:
  explicit MessageWriter(int Fd);
  ~MessageWriter(); // writes what is queued, then stops
  void send(std::string Body);
  /// Stops after what is queued; later messages are dropped.
  void close();
  /// Waits until everything queued so far is written (or the peer is gone).
  void drain();
  /// Whether a write failed (the peer is gone).
  bool broken() const { return Broken; }

private:
  void run();
  int Fd;
  std::mutex Lock;
  std::condition_variable Ready;
  std::deque<std::string> Queue;
  bool Closing = false;
  bool Broken = false;
  bool Writing = false;
  std::condition_variable Drained;
  std::thread Thread;
};

/// Writes one framed message to Fd (retrying after signals); false if the peer is gone.
bool writeMessage(int Fd, llvm::StringRef Body);

} // namespace forkhazard::clangd

#endif
