// C++ members that hold the pid: `pid_ = fork()` in a constructor or method (the implicit
// `this->pid_`), a member initializer `: pid_(fork())`, an in-class initializer `pid_ = -1`.
// They are followed like struct fields (`cmd->pid`). Every check on.
// RUN: %clang_fh_cxx -Xclang -verify %s
// RUN: %clang_fh_cxx %s 2>&1 | FileCheck %s --implicit-check-not=warning:

#include <stdexcept>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

// The RAII process class: the constructor forks and execs, the destructor reaps.
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
  ~Process() {
    if (pid_ > 0)
      waitpid(pid_, nullptr, 0);
  }
  int wait() {
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
  }

private:
  pid_t pid_ = -1;
};

// The same with the pid set by the member initializer, tested through `this->`.
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

// A method that restarts a worker; the switch on the member decides the roles.
class Worker {
public:
  void restart() {
    pid_ = fork();
    switch (pid_) {
    case -1:
      throw std::runtime_error("fork failed");
    case 0:
      serve();
      _exit(0);
    default:
      break;
    }
  }
  void reap() { waitpid(pid_, nullptr, 0); }

private:
  void serve();
  pid_t pid_ = 0;
};

// Positive: the child of a method with a member pid really returns into the caller.
struct Job {
  pid_t pid = -1;
  void run();
  void start() {
    pid = fork(); // expected-note {{the child process is created here}}
    if (pid < 0)
      throw std::runtime_error("fork failed");
    if (pid == 0) { // expected-note {{'pid == 0' is true in the child process}}
      run();
    }
  } // expected-warning {{the child process reaches the end of 'start' and returns into its caller and goes on running code meant for the parent}}
  // CHECK: member-pids.cpp:[[@LINE-1]]:3: warning: {{.*}} [fork-hazard-child-escape]
};

// Positive: the exec is not checked, so a failed exec throws out of the constructor as a child.
class Unchecked {
public:
  explicit Unchecked(char **argv) : pid_(fork()) { // expected-note {{the child process is created here}}
    if (pid_ == 0)
      execvp(argv[0], argv); // expected-warning {{if 'execvp' fails, the child process falls through into code that the parent also runs and reaches the end of 'Unchecked'}}
    // CHECK: member-pids.cpp:[[@LINE-1]]:7: warning: {{.*}} [fork-hazard-unchecked-exec]
    if (pid_ < 0) // expected-note {{the child process continues here}}
      throw std::runtime_error("fork failed");
  } // expected-note {{the child process reaches the end of 'Unchecked' and returns into its caller here}}
  ~Unchecked() { waitpid(pid_, nullptr, 0); }

private:
  pid_t pid_;
};

// Positive: another object's member is not this object's pid.
struct Pair {
  pid_t pid_ = -1;
  void start(Pair &other) {
    pid_ = fork(); // expected-note {{the child process is created here}}
    if (other.pid_ == 0) // the other object's pid says nothing about this fork
      _exit(0);
  } // expected-warning {{the child process reaches the end of 'start' and returns into its caller}}
  // CHECK: member-pids.cpp:[[@LINE-1]]:3: warning: {{.*}} [fork-hazard-child-escape]
};
