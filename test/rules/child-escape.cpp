// RUN: %clang_fh_cxx -fplugin-arg-fork-hazard-checks=-*,child-escape -Xclang -verify %s
// RUN: %clang_fh_cxx -fplugin-arg-fork-hazard-checks=-*,child-escape,unchecked-exec %s 2>&1 | FileCheck %s

#include <stdexcept>
#include <string>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

struct Exception : std::runtime_error {
  explicit Exception(const std::string &What) : std::runtime_error(What) {}
};

// The lecture's createChild: the exceptions thrown in the child propagate to the parent's
// handlers, which then run in the child.
pid_t createChild(char **argv, int readFd, int writeFd) {
  pid_t pid = fork(); // expected-note 2 {{the child process is created here}}
  if (pid == -1) {
    throw Exception("Call to fork process failed.");
  }
  if (pid == 0) { // expected-note 2 {{'pid == 0' is true in the child process}}
    if (dup2(readFd, STDIN_FILENO) < 0) {
      throw Exception("Call to dup2 failed"); // expected-warning {{the child process throws an exception out of 'createChild' and goes on running code meant for the parent}}
    }
    if (dup2(writeFd, STDOUT_FILENO) < 0) {
      throw Exception("Call to dup2 failed"); // expected-warning {{throws an exception out of 'createChild'}}
    }
    execvp(argv[0], argv);
    // If the child gets here, execvp failed: unchecked-exec reports it, not child-escape.
    throw Exception("Call to execvp failed.");
  }
  return pid;
}
// CHECK: child-escape.cpp:{{[0-9]+}}:7: warning: the child process throws an exception out of 'createChild' and goes on running code meant for the parent [fork-hazard-child-escape]
// CHECK: child-escape.cpp:{{[0-9]+}}:7: warning: the child process throws an exception out of 'createChild' and goes on running code meant for the parent [fork-hazard-child-escape]
// CHECK: child-escape.cpp:{{[0-9]+}}:5: warning: if 'execvp' fails, the child process throws an exception out of 'createChild'; end it with '_exit(127)' [fork-hazard-unchecked-exec]
// CHECK: child-escape.cpp:{{[0-9]+}}:5: note: the child process throws an exception out of 'createChild' here

// A lambda is a function of its own: its child returning leaves the lambda.
auto spawn = [](int n) {
  pid_t pid = fork(); // expected-note {{created here}}
  if (pid == 0) // expected-note {{is true in the child process}}
    return n; // expected-warning {{returns from 'operator()'}}
  return waitpid(pid, nullptr, 0);
};

// Reported once, not once per instantiation.
template <typename T> T spawn_typed(T value) {
  if (fork() == 0) // expected-note {{created here}} expected-note {{is true in the child process}}
    return value; // expected-warning {{returns from 'spawn_typed'}}
  wait(nullptr);
  return T();
}
int use_templates() { return spawn_typed(1) + (int)spawn_typed(2L); }

//===--- Negatives ---===//

// Caught inside the child's own code: the child then ends.
void caught_in_child(char **argv) {
  pid_t pid = fork();
  if (pid == 0) {
    try {
      if (dup2(3, STDIN_FILENO) < 0)
        throw Exception("dup2");
      execvp(argv[0], argv);
    } catch (const Exception &) {
    }
    _exit(127);
  }
  waitpid(pid, nullptr, 0);
}

// RAII in the child: destructors do not make the child escape.
void raii_child() {
  pid_t pid = fork();
  if (pid == 0) {
    std::string message = "child";
    _exit(static_cast<int>(message.size()));
  }
  waitpid(pid, nullptr, 0);
}

[[noreturn]] void child_main();

void noreturn_cxx_attribute() {
  if (fork() == 0)
    child_main();
  wait(nullptr);
}

// The fork fails: throwing is the parent's business.
pid_t throws_on_failure_only() {
  pid_t pid = fork();
  if (pid < 0)
    throw Exception("fork");
  if (pid == 0)
    _exit(0);
  return pid;
}
