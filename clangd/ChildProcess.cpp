#include "clangd/ChildProcess.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace forkhazard::clangd {

// posix_spawn rather than fork and exec: a process that runs threads (ours does) must not run
// anything but async-signal-safe code in a forked child, and the descriptors it must hand over
// are exactly what the file actions say. The pipes are close-on-exec, so no other child (a
// second worker, clangd) inherits the far end of one and keeps it from seeing end-of-file.
bool ChildProcess::start(const std::vector<std::string> &Argv, std::string &Error) {
  int In[2], Out[2];
  if (::pipe2(In, O_CLOEXEC) != 0) {
    Error = std::strerror(errno);
    return false;
  }
  if (::pipe2(Out, O_CLOEXEC) != 0) {
    Error = std::strerror(errno);
    ::close(In[0]);
    ::close(In[1]);
    return false;
  }
  posix_spawn_file_actions_t Actions;
  posix_spawn_file_actions_init(&Actions);
  posix_spawn_file_actions_adddup2(&Actions, In[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&Actions, Out[1], STDOUT_FILENO);
  // The child starts with default signal dispositions: SIGPIPE ignored here is not its business.
  posix_spawnattr_t Attributes;
  posix_spawnattr_init(&Attributes);
  sigset_t Defaults;
  sigemptyset(&Defaults);
  sigaddset(&Defaults, SIGPIPE);
  posix_spawnattr_setsigdefault(&Attributes, &Defaults);
  sigset_t NoneBlocked;
  sigemptyset(&NoneBlocked);
  posix_spawnattr_setsigmask(&Attributes, &NoneBlocked);
  posix_spawnattr_setflags(&Attributes, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  std::vector<char *> Args;
  for (const std::string &Arg : Argv)
    Args.push_back(const_cast<char *>(Arg.c_str()));
  Args.push_back(nullptr);
  int Failed = posix_spawn(&Pid, Args[0], &Actions, &Attributes, Args.data(), environ);
  posix_spawn_file_actions_destroy(&Actions);
  posix_spawnattr_destroy(&Attributes);
  ::close(In[0]);
  ::close(Out[1]);
  if (Failed != 0) {
    Error = std::string("cannot run '") + Argv[0] + "': " + std::strerror(Failed);
    ::close(In[1]);
    ::close(Out[0]);
    Pid = -1;
    return false;
  }
  ToChild = In[1];
  FromChild = ::fdopen(Out[0], "r");
  return true;
}

void ChildProcess::closeInput() {
  if (ToChild >= 0)
    ::close(ToChild);
  ToChild = -1;
}

int ChildProcess::wait() {
  if (Pid > 0) {
    int Raw = 0;
    while (::waitpid(Pid, &Raw, 0) < 0 && errno == EINTR) {
    }
    Status = WIFEXITED(Raw) ? WEXITSTATUS(Raw) : 128 + WTERMSIG(Raw);
    Pid = -1;
  }
  return Status;
}

void ChildProcess::terminate() {
  if (Pid > 0)
    ::kill(Pid, SIGKILL);
}

void ChildProcess::kill() {
  if (Pid > 0)
    ::kill(Pid, SIGKILL);
  wait();
}

ChildProcess::~ChildProcess() {
  closeInput();
  if (Pid > 0)
    kill();
  if (FromChild)
    std::fclose(FromChild);
}

} // namespace forkhazard::clangd
