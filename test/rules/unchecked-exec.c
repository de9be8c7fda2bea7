// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,unchecked-exec -Xclang -verify %s
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,unchecked-exec %s 2>&1 | FileCheck %s
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,unchecked-exec -fdiagnostics-parseable-fixits %s 2>&1 | FileCheck --check-prefix=FIXIT %s

#include <errno.h>
#include <error.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

void die(const char *) __attribute__((noreturn));
void log_error(const char *);

// The lecture: "remember to properly exit if exec fails!"
void run(char **argv) {
  pid_t pid = fork(); // expected-note {{the child process is created here}}
  if (pid == 0) {
    execvp(argv[0], argv); // expected-warning {{if 'execvp' fails, the child process falls through into code that the parent also runs and reaches the end of 'run' and returns into its caller; end it with '_exit(127)'}}
  }
  waitpid(pid, NULL, 0); // expected-note {{the child process continues here}}
} // expected-note {{the child process reaches the end of 'run' and returns into its caller here}}
// CHECK: unchecked-exec.c:{{[0-9]+}}:5: warning: if 'execvp' fails, the child process falls through into code that the parent also runs and reaches the end of 'run' and returns into its caller; end it with '_exit(127)' [fork-hazard-unchecked-exec]
// CHECK: unchecked-exec.c:{{[0-9]+}}:3: note: the child process continues here
// CHECK: unchecked-exec.c:{{[0-9]+}}:15: note: the child process is created here
// FIXIT: fix-it:"{{.*}}unchecked-exec.c":{20:27-20:27}:"\n    _exit(127);"

int spawn_helper(char **argv) {
  pid_t pid = fork(); // expected-note {{created here}}
  if (pid == 0) {
    execv(argv[0], argv); // expected-warning {{if 'execv' fails, the child process returns from 'spawn_helper' into its caller}}
    perror("execv");
    return -1; // expected-note {{the child process returns from 'spawn_helper' into its caller here}}
  }
  return waitpid(pid, NULL, 0);
}
// FIXIT: fix-it:"{{.*}}unchecked-exec.c":{32:26-32:26}:"\n    _exit(127);"

void falls_off(char **argv) {
  if (fork() == 0) { // expected-note {{created here}}
    execvp(argv[0], argv); // expected-warning {{if 'execvp' fails, the child process reaches the end of 'falls_off'}}
    log_error("exec failed");
  }
} // expected-note {{reaches the end of 'falls_off' and returns into its caller here}}

// A wrapper that returns the pid: after a failed exec the caller gets 0 and takes the child
// for the parent... or for a child it will never wait for.
pid_t spawn(char **argv) {
  pid_t pid = fork(); // expected-note {{created here}}
  if (pid == 0)
    execvp(argv[0], argv); // expected-warning {{if 'execvp' fails, the child process falls through into code that the parent also runs and returns from 'spawn' into its caller}}
  return pid; // expected-note {{returns from 'spawn' into its caller here}} expected-note {{continues here}}
}

void in_loop(char **argv) {
  for (int i = 0; i < 3; i++) { // expected-note {{continues here}}
    if (fork() == 0) // expected-note {{created here}} expected-note {{calls fork again here}}
      execvp(argv[i], argv); // expected-warning {{if 'execvp' fails, the child process falls through into code that the parent also runs and calls fork again}}
  }
}

void exec_as_condition(char **argv) {
  if (fork() == 0) { // expected-note {{created here}}
    if (execvp(argv[0], argv) < 0) // expected-warning {{if 'execvp' fails}}
      log_error("exec");
  }
  wait(NULL); // expected-note {{continues here}}
} // expected-note {{reaches the end of 'exec_as_condition'}}

//===--- Negatives ---===//

void exec_then_exit_127(char **argv) {
  pid_t pid = fork();
  if (pid == 0) {
    execvp(argv[0], argv);
    _exit(127);
  }
  waitpid(pid, NULL, 0);
}

void exec_then_exit(char **argv) {
  if (fork() == 0) {
    execvp(argv[0], argv);
    exit(1); // exit-in-child's finding, not this one
  }
  wait(NULL);
}

void exec_then_abort(char **argv) {
  if (fork() == 0) {
    execvp(argv[0], argv);
    abort();
  }
}

void exec_then_noreturn(char **argv) {
  if (fork() == 0) {
    execvp(argv[0], argv);
    die("exec");
  }
}

static void exec_failed(const char *what) {
  perror(what);
  _exit(127);
}

void exec_then_helper(char **argv) {
  if (fork() == 0) {
    execvp(argv[0], argv);
    exec_failed(argv[0]);
  }
  wait(NULL);
}

// Trying several programs in turn, then giving up: the child never escapes.
void try_each(char **paths, char **argv) {
  if (fork() == 0) {
    for (int i = 0; paths[i]; i++)
      execv(paths[i], argv);
    _exit(127);
  }
  wait(NULL);
}

int main(int argc, char **argv) {
  if (fork() == 0) {
    execvp(argv[1], argv + 1);
    return 127; // returning from main ends the child: exit-in-child's business
  }
  wait(NULL);
  return 0;
}

// Negative: glibc's error() with a non-zero status calls exit (procps: `xerr(4, ...)`); with
// status 0 it returns, and the child goes on.
void error_with_status(char **argv) {
  pid_t pid = fork();
  if (pid == 0) {
    execvp(argv[0], argv);
    error(127, errno, "cannot run %s", argv[0]);
  }
  waitpid(pid, NULL, 0);
}
void error_status_zero_returns(char **argv) {
  pid_t pid = fork(); // expected-note {{created here}}
  if (pid == 0) {
    execvp(argv[0], argv); // expected-warning {{if 'execvp' fails}}
    error(0, errno, "cannot run %s", argv[0]);
  }
  waitpid(pid, NULL, 0); // expected-note {{the child process continues here}}
} // expected-note {{reaches the end of 'error_status_zero_returns'}}

// Negative: exec returns only -1, so a test of its result has one way on (procps watch).
void exec_result_tested(char **argv) {
  pid_t pid = fork();
  if (pid == 0) {
    if (execvp(argv[0], argv) == -1)
      error(4, errno, "cannot run %s", argv[0]);
  }
  waitpid(pid, NULL, 0);
}

// A failed exec that falls into the parent's code and ends there: the note says "here" once.
void spawn_then_end(char **argv, int pause_first) {
  pid_t pid = fork(); // expected-note {{the child process is created here}}
  if (pid < 0)
    _exit(1);
  if (pid == 0)
    execv(argv[0], argv); // expected-warning {{if 'execv' fails, the child process falls through into code that the parent also runs and ends here; end it with '_exit(127)'}}
  if (pause_first) // expected-note {{the child process continues here}}
    sleep(1);
  _exit(0); // expected-note {{the child process ends here}}
}
// CHECK: unchecked-exec.c:[[@LINE-2]]:3: note: the child process ends here{{$}}
