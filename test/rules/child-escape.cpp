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

//===--- Exceptions thrown by functions the child calls ---===//

struct OtherError {};
void log_failure(const char *what);

// Throws when dup2 fails. A child that calls it before exec, outside a handler that ends the
// child, escapes by the exception.
static void redirect(int fd) {
  if (dup2(fd, STDOUT_FILENO) < 0)
    throw Exception("dup2"); // expected-note 3 {{the exception is thrown here}}
}
static void setup(int fd) {
  redirect(fd); // expected-note {{the exception comes from 'redirect', called here}}
}

void child_calls_thrower(int fd, char **argv) {
  pid_t pid = fork(); // expected-note {{the child process is created here}}
  if (pid == 0) { // expected-note {{'pid == 0' is true in the child process}}
    redirect(fd); // expected-warning {{the child process may leave 'child_calls_thrower' by an exception thrown in 'redirect' and goes on running code meant for the parent}}
    execvp(argv[0], argv);
    _exit(127);
  }
  waitpid(pid, nullptr, 0);
}

// Through a further function of the file: the notes follow the calls down to the throw.
void transitive_thrower(int fd, char **argv) {
  pid_t pid = fork(); // expected-note {{the child process is created here}}
  if (pid == 0) { // expected-note {{'pid == 0' is true in the child process}}
    setup(fd); // expected-warning {{the child process may leave 'transitive_thrower' by an exception thrown in 'setup'}}
    execvp(argv[0], argv);
    _exit(127);
  }
  waitpid(pid, nullptr, 0);
}
// CHECK: child-escape.cpp:[[@LINE-6]]:5: warning: the child process may leave 'transitive_thrower' by an exception thrown in 'setup' and goes on running code meant for the parent [fork-hazard-child-escape]
// CHECK-NEXT: {{^}}{{.*}}setup(fd);
// CHECK: child-escape.cpp:[[@LINE-10]]:15: note: the child process is created here
// CHECK: child-escape.cpp:[[@LINE-10]]:7: note: 'pid == 0' is true in the child process
// CHECK: child-escape.cpp:[[@LINE-27]]:3: note: the exception comes from 'redirect', called here
// CHECK: child-escape.cpp:[[@LINE-31]]:5: note: the exception is thrown here

// Only the forking function catches it, in a handler written for the parent: the child runs
// that handler and returns -1 to the caller.
int caught_by_caller_only(int fd, char **argv) {
  try {
    pid_t pid = fork(); // expected-note {{the child process is created here}}
    if (pid == 0) { // expected-note {{'pid == 0' is true in the child process}}
      redirect(fd); // expected-warning {{the child process may enter a handler of 'caught_by_caller_only' by an exception thrown in 'redirect' and goes on running code meant for the parent}}
      execvp(argv[0], argv);
      _exit(127);
    }
    return waitpid(pid, nullptr, 0);
  } catch (const std::exception &e) { // expected-note {{it is caught here, and the handler does not end the child process on every path}}
    log_failure(e.what());
    return -1;
  }
}

// [[noreturn]] does not mean the process ends: this one throws.
[[noreturn]] static void fail(const char *what) {
  throw Exception(what); // expected-note {{the exception is thrown here}}
}
void noreturn_thrower(int fd) {
  pid_t pid = fork(); // expected-note {{the child process is created here}}
  if (pid == 0) { // expected-note {{'pid == 0' is true in the child process}}
    if (dup2(fd, STDIN_FILENO) < 0)
      fail("dup2"); // expected-warning {{the child process may leave 'noreturn_thrower' by an exception thrown in 'fail'}}
    _exit(0);
  }
  waitpid(pid, nullptr, 0);
}

// `throw;` in the helper's own handler throws again; a handler of another type does not catch.
static void redirect_logged(int fd) {
  try {
    redirect(fd);
  } catch (const Exception &) {
    log_failure("dup2");
    throw; // expected-note {{the exception is thrown again here}}
  }
}
static void wrong_handler(int fd) {
  try {
    if (fd < 0)
      throw OtherError(); // expected-note {{the exception is thrown here}}
  } catch (const std::exception &) {
  }
}
void rethrown_and_uncaught(int fd) {
  pid_t pid = fork(); // expected-note 2 {{the child process is created here}}
  if (pid == 0) { // expected-note 2 {{'pid == 0' is true in the child process}}
    redirect_logged(fd); // expected-warning {{may leave 'rethrown_and_uncaught' by an exception thrown in 'redirect_logged'}}
    wrong_handler(fd); // expected-warning {{may leave 'rethrown_and_uncaught' by an exception thrown in 'wrong_handler'}}
    _exit(0);
  }
  waitpid(pid, nullptr, 0);
}

//===--- Negatives: exceptions that do not carry the child away ---===//

// The helper catches its own exception (by a base class).
static void redirect_or_log(int fd) {
  try {
    redirect(fd);
  } catch (const std::runtime_error &e) {
    log_failure(e.what());
  }
}
// noexcept: an exception inside ends the process by std::terminate.
static void redirect_or_terminate(int fd) noexcept { redirect(fd); }
// The throws come only after exec (when it failed) or after _exit.
static void exec_or_throw(char **argv) {
  execvp(argv[0], argv);
  throw Exception("execvp");
}
static void exit_then_throw() {
  _exit(1);
  throw Exception("unreachable");
}
// Defined in another file: not assumed to throw.
void external_setup(int fd);

void callee_exceptions_contained(int fd, char **argv) {
  pid_t pid = fork();
  if (pid == 0) {
    redirect_or_log(fd);
    redirect_or_terminate(fd);
    external_setup(fd);
    exec_or_throw(argv);
    exit_then_throw();
  }
  waitpid(pid, nullptr, 0);
}

// The child's own handlers end it: at once, or by the _exit after the try statement.
void child_handlers_end_it(int fd, char **argv) {
  pid_t pid = fork();
  if (pid == 0) {
    try {
      redirect(fd);
    } catch (...) {
      _exit(1);
    }
    try {
      setup(fd);
      execvp(argv[0], argv);
    } catch (const Exception &) {
    }
    _exit(127);
  }
  waitpid(pid, nullptr, 0);
}

// Only the parent calls the helper that throws; the child has ended before.
void parent_calls_thrower(int fd) {
  pid_t pid = fork();
  if (pid == 0)
    _exit(0);
  redirect(fd);
  waitpid(pid, nullptr, 0);
}
