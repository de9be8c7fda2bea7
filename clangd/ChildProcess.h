// A program run with its stdin and stdout as pipes to us (clangd, the analysis worker), and
// stderr shared with ours, so that its log goes where the editor shows ours.
#ifndef FORK_HAZARD_CLANGD_CHILD_PROCESS_H
#define FORK_HAZARD_CLANGD_CHILD_PROCESS_H

#include <cstdio>
#include <string>
#include <sys/types.h>
#include <vector>

namespace forkhazard::clangd {

class ChildProcess {
public:
  /// Starts Argv[0] (a path) with Argv; on failure returns false and sets Error.
  bool start(const std::vector<std::string> &Argv, std::string &Error);
  ~ChildProcess();

  int input() const { return ToChild; }     // its stdin
  std::FILE *output() const { return FromChild; } // its stdout
  pid_t pid() const { return Pid; }
  /// Closes its stdin (it sees the end of its input).
  void closeInput();
  /// Waits for it to end; its exit status, or 128 + the signal that ended it.
  int wait();
  /// Ends it now (SIGKILL) and reaps it.
  void kill();
  /// Sends it SIGKILL; whoever waits for it reaps it.
  void terminate();

private:
  pid_t Pid = -1; // until reaped
  int ToChild = -1;
  std::FILE *FromChild = nullptr;
  int Status = -1;
};

} // namespace forkhazard::clangd

#endif
