// The child-path checks on C++ code: range-for loops, methods, std::exit, exceptions.
// RUN: %clang_fh_cxx -std=c++17 -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: %clang_fh_cxx -std=c++17 -fdiagnostics-parseable-fixits %s 2>&1 | FileCheck %s

#include <cstdlib>
#include <stdexcept>
#include <string>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

void run(const std::string &command);

void run_all(const std::vector<std::string> &commands) {
  for (const std::string &command : commands) {
    if (fork() == 0) // expected-warning {{the child process goes back around the loop and calls 'fork' again}}
      run(command);
  }
  while (wait(nullptr) > 0) {
  }
}

class Spawner {
public:
  bool start(char **argv) {
    pid_t pid = fork();
    if (pid == 0) {
      execvp(argv[0], argv); // expected-warning {{if 'execvp' fails, the child process returns from 'start' into its caller}}
      return false;
    }
    child_ = pid;
    return pid > 0;
  }

  void twice() {
    fork();
    fork(); // expected-warning {{runs in both the parent and the child}}
  } // expected-warning {{the child process reaches the end of 'twice' and returns into its caller}}

  void finish() {
    if (fork() == 0) {
      run("child");
      std::exit(0); // expected-warning {{the child process calls 'exit'}}
    }
  }

private:
  pid_t child_ = -1;
};
// CHECK: fix-it:"{{.*}}cxx-child-paths.cpp":{29:29-29:29}:"\n      _exit(127);"
// CHECK: fix-it:"{{.*}}cxx-child-paths.cpp":{44:7-44:16}:"_exit"

// Exceptions from a method or a lambda of this file, thrown in the child before exec; no other
// check reports them.
class Pipeline {
public:
  void connect(int fd) {
    if (dup2(fd, STDIN_FILENO) < 0)
      throw std::runtime_error("dup2");
  }
  void spawn(int fd, char **argv) {
    pid_t pid = fork();
    if (pid < 0)
      return;
    if (pid == 0) {
      connect(fd); // expected-warning {{the child process may leave 'spawn' by an exception thrown in 'connect' and goes on running code meant for the parent}}
      execvp(argv[0], argv);
      _exit(127);
    }
    waitpid(pid, nullptr, 0);
  }
};

void spawn_checked(int fd, char **argv) {
  auto check = [](int result) {
    if (result < 0)
      throw std::runtime_error("dup2");
  };
  pid_t pid = fork();
  if (pid < 0)
    return;
  if (pid == 0) {
    check(dup2(fd, STDIN_FILENO)); // expected-warning {{may leave 'spawn_checked' by an exception thrown in 'operator()'}}
    execvp(argv[0], argv);
    _exit(127);
  }
  waitpid(pid, nullptr, 0);
}

//===--- Negatives ---===//

class ChildGuard {
public:
  ~ChildGuard();
};

void guarded_child() {
  pid_t pid = fork();
  if (pid == 0) {
    ChildGuard guard;
    run("child");
    _exit(0);
  }
  waitpid(pid, nullptr, 0); // expected-warning {{if 'fork' fails, 'pid' is -1 here and 'waitpid(-1, ...)' waits for any child instead of this one}}
}

void spawn_all_then_wait(const std::vector<std::string> &commands) {
  std::vector<pid_t> children;
  for (const std::string &command : commands) {
    pid_t pid = fork();
    if (pid < 0)
      throw std::runtime_error("fork failed");
    if (pid == 0) {
      run(command);
      _exit(0);
    }
    children.push_back(pid);
  }
  for (pid_t child : children)
    waitpid(child, nullptr, 0);
}

// A [[noreturn]] helper of the file that ends with std::exit runs the atexit handlers (and the
// destructors of static objects) like std::exit itself.
[[noreturn]] static void finish_child(int code) {
  run("cleanup");
  std::exit(code);
}

void noreturn_helper_in_child() {
  pid_t pid = fork();
  if (pid == 0)
    finish_child(0); // expected-warning {{the child process calls 'finish_child', which ends it with 'exit'}}
  if (pid > 0)
    waitpid(pid, nullptr, 0);
}
// CHECK: cxx-child-paths.cpp:[[@LINE-4]]:5: warning: the child process calls 'finish_child', which ends it with 'exit' {{.*}} [fork-hazard-exit-in-child]
// CHECK-NEXT: {{.*}}finish_child(0);
// CHECK: cxx-child-paths.cpp:[[@LINE-12]]:3: note: 'exit' is called here

// The same method, in a child whose own handler ends it.
void spawn_guarded(Pipeline &pipeline, int fd, char **argv) {
  pid_t pid = fork();
  if (pid < 0)
    return;
  if (pid == 0) {
    try {
      pipeline.connect(fd);
    } catch (const std::exception &) {
      _exit(126);
    }
    execvp(argv[0], argv);
    _exit(127);
  }
  waitpid(pid, nullptr, 0);
}
