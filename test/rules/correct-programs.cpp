// The C++ twin of correct-programs.c: correct fork code, with every check on, no diagnostic at
// all. RAII process classes (members that hold the pid), helpers that throw only in the parent,
// a child's own handler that ends it.
// RUN: %clang_fh_cxx -Xclang -verify %s
// RUN: %clang_fh_cxx -fplugin-arg-fork-hazard-stats %s 2>&1 | FileCheck %s
// CHECK: fork-hazard: {{.*}}correct-programs.cpp: {{[1-9][0-9]*}} functions analyzed, {{[1-9][0-9]*}} fork sites, 0 findings, 0 suppressed
// expected-no-diagnostics

#include <stdexcept>
#include <string>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

// The constructor forks and execs, the destructor reaps; the pid lives in a member.
class Process {
public:
  explicit Process(std::vector<char *> argv) {
    pid_ = fork();
    if (pid_ < 0)
      throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      execvp(argv[0], argv.data());
      _exit(127);
    }
  }
  Process(const Process &) = delete;
  ~Process() {
    if (pid_ > 0)
      waitpid(pid_, nullptr, 0);
  }

private:
  pid_t pid_ = -1;
};

// The pid from the member initializer, tested through `this->`.
class Spawned {
public:
  explicit Spawned(char **argv) : pid_(fork()) {
    if (this->pid_ == -1)
      throw std::runtime_error("fork failed");
    if (!pid_) {
      execvp(argv[0], argv);
      _exit(127);
    }
  }
  ~Spawned() { waitpid(pid_, nullptr, 0); }

private:
  pid_t pid_;
};

// A helper that may throw, called by the child inside a handler that ends it.
static void redirect(int fd) {
  if (dup2(fd, STDOUT_FILENO) < 0)
    throw std::runtime_error("dup2 failed");
}
int run_redirected(int fd, char **argv) {
  pid_t pid = fork();
  if (pid < 0)
    return -1;
  if (pid == 0) {
    try {
      redirect(fd);
    } catch (...) {
      _exit(126);
    }
    execvp(argv[0], argv);
    _exit(127);
  }
  return waitpid(pid, nullptr, 0) < 0 ? -1 : 0;
}

// The parent alone calls the throwing helper.
int run_then_check(int fd, char **argv) {
  pid_t pid = fork();
  if (pid < 0)
    return -1;
  if (pid == 0) {
    execvp(argv[0], argv);
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  redirect(fd);
  return status;
}

// A worker pool that keeps its pids in a member vector and reaps them in the destructor.
class Pool {
public:
  explicit Pool(int workers) {
    for (int i = 0; i < workers; i++) {
      pid_t pid = fork();
      if (pid < 0)
        throw std::runtime_error("fork failed");
      if (pid == 0) {
        serve(i);
        _exit(0);
      }
      children_.push_back(pid);
    }
  }
  ~Pool() {
    for (pid_t child : children_)
      waitpid(child, nullptr, 0);
  }

private:
  static void serve(int shard);
  std::vector<pid_t> children_;
};
