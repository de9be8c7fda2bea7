// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,exit-in-child -Xclang -verify %s
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,exit-in-child %s 2>&1 | FileCheck %s
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,exit-in-child -fdiagnostics-parseable-fixits %s 2>&1 | FileCheck --check-prefix=FIXIT %s

#include <errno.h>
#include <error.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

void do_stuff(void);
void run_daemon(void);

// The lecture's threaded example ends the child with exit(1) after a failed exec.
void exec_then_exit(char **args) {
  pid_t pid = fork(); // expected-note {{the child process is created here}}
  if (pid == 0) { // expected-note {{'pid == 0' is true in the child process}}
    execvp(args[0], args);
    exit(1); // expected-warning {{the child process calls 'exit', which runs the parent's atexit handlers and flushes the stdio buffers the child inherited, so buffered output is written twice; use '_exit'}}
  }
  waitpid(pid, NULL, 0);
}
// CHECK: exit-in-child.c:{{[0-9]+}}:5: warning: the child process calls 'exit', which runs the parent's atexit handlers and flushes the stdio buffers the child inherited, so buffered output is written twice; use '_exit' [fork-hazard-exit-in-child]
// CHECK-NEXT: {{.*}}exit(1);
// CHECK-NEXT: ^~~~
// CHECK-NEXT: _exit
// FIXIT: fix-it:"{{.*}}exit-in-child.c":{21:5-21:9}:"_exit"

void child_work_then_exit(void) {
  if (fork() == 0) { // expected-note {{created here}} expected-note {{is true in the child process}}
    printf("child\n");
    exit(EXIT_SUCCESS); // expected-warning {{the child process calls 'exit'}}
  }
  wait(NULL);
}

static void die(const char *message) {
  perror(message);
  exit(1); // expected-note {{'exit' is called here}}
}

void child_calls_exiting_helper(void) {
  if (fork() == 0) { // expected-note {{created here}} expected-note {{is true in the child process}}
    do_stuff();
    die("child"); // expected-warning {{the child process calls 'die', which ends it with 'exit' and runs the parent's atexit handlers}}
  }
  wait(NULL);
}

int main(void) {
  pid_t pid = fork(); // expected-note {{created here}}
  if (pid == 0) { // expected-note {{is true in the child process}}
    do_stuff();
    return 0; // expected-warning {{the child process returns from 'main', which calls 'exit' and runs the parent's atexit handlers and flushes the stdio buffers the child inherited, so buffered output is written twice; use '_exit'}}
  }
  waitpid(pid, NULL, 0);
  return 0;
}
// FIXIT: fix-it:"{{.*}}exit-in-child.c":{56:5-56:13}:"_exit(0)"

//===--- Negatives ---===//

void uses_underscore_exit(char **args) {
  if (fork() == 0) {
    execvp(args[0], args);
    _exit(127);
  }
  wait(NULL);
}

void parent_exits(void) {
  if (fork() > 0)
    exit(0); // the parent may run its atexit handlers
  do_stuff();
  _exit(0);
}

// Daemonizing: the parent hands the program over to the child, which ends it normally.
void daemonize_and_run(void) {
  pid_t pid = fork();
  if (pid < 0)
    _exit(1);
  if (pid > 0)
    _exit(0);
  setsid();
  run_daemon();
  exit(0);
}

void fork_failure_exits(void) {
  pid_t pid = fork();
  if (pid == -1) {
    perror("fork");
    exit(1);
  }
  if (pid == 0)
    _exit(0);
  wait(NULL);
}

void quick_exit_is_fine(void) {
  if (fork() == 0)
    quick_exit(0);
  wait(NULL);
}

// glibc's error(status != 0, ...) ends the process with exit().
void error_in_child(void) {
  pid_t pid = fork(); // expected-note {{created here}}
  if (pid == 0) { // expected-note {{is true in the child process}}
    if (chdir("/") != 0)
      error(1, errno, "chdir"); // expected-warning {{the child process calls 'error', which ends it with 'exit' and runs the parent's atexit handlers}}
    _exit(0);
  }
  waitpid(pid, NULL, 0);
}
// CHECK: exit-in-child.c:{{[0-9]+}}:7: warning: the child process calls 'error', which ends it with 'exit' and runs the parent's atexit handlers and flushes the stdio buffers the child inherited, so buffered output is written twice [fork-hazard-exit-in-child]

// A multi-call binary's program entry (busybox: `int nbdclient_main(int argc, char **argv)`,
// whose caller passes the result to exit()): returning from it is returning from main.
int tool_main(int argc, char **argv) {
  (void)argc;
  (void)argv;
  pid_t pid = fork(); // expected-note {{created here}}
  if (pid == 0) { // expected-note {{is true in the child process}}
    do_stuff();
    return 0; // expected-warning {{the child process returns from 'tool_main', a program's entry point whose caller passes its result to 'exit', and runs the parent's atexit handlers}}
  }
  waitpid(pid, NULL, 0);
  return 0;
}

//===--- noreturn helpers: how they end is judged by their bodies ---===//

// bash's cleanup_and_exit: declared noreturn through a macro, defined further down, it ends with
// exit(), so the atexit handlers run as with exit() itself.
#define NORETURN __attribute__((noreturn))
static void cleanup_and_exit(int code) NORETURN;

void noreturn_macro_helper_in_child(void) {
  pid_t pid = fork(); // expected-note {{created here}}
  if (pid == 0) { // expected-note {{is true in the child process}}
    do_stuff();
    cleanup_and_exit(2); // expected-warning {{the child process calls 'cleanup_and_exit', which ends it with 'exit' and runs the parent's atexit handlers}}
  }
  waitpid(pid, NULL, 0);
}

static void cleanup_and_exit(int code) {
  unlink("/tmp/fork-hazard-test");
  exit(code); // expected-note {{'exit' is called here}}
}

// _Noreturn, ending through a further helper of the file: the note is at the exit() itself.
NORETURN static void log_and_exit(int code) {
  perror("child");
  exit(code); // expected-note {{'exit' is called here}}
}

_Noreturn static void fail_child(void) {
  do_stuff();
  log_and_exit(3);
}

void noreturn_chain_in_child(void) {
  if (fork() == 0) // expected-note {{created here}} expected-note {{is true in the child process}}
    fail_child(); // expected-warning {{the child process calls 'fail_child', which ends it with 'exit'}}
  wait(NULL);
}

// The attribute first, exit() on one path and _exit() on the other: the note is at exit().
__attribute__((noreturn)) static void finish(int ok) {
  if (!ok)
    _exit(1);
  exit(0); // expected-note {{'exit' is called here}}
}

void noreturn_attribute_in_child(void) {
  if (fork() == 0) // expected-note {{created here}} expected-note {{is true in the child process}}
    finish(1); // expected-warning {{the child process calls 'finish', which ends it with 'exit'}}
  wait(NULL);
}
// CHECK: exit-in-child.c:[[@LINE-3]]:5: warning: the child process calls 'finish', which ends it with 'exit' and runs the parent's atexit handlers and flushes the stdio buffers the child inherited, so buffered output is written twice [fork-hazard-exit-in-child]
// CHECK: exit-in-child.c:[[@LINE-9]]:3: note: 'exit' is called here

// Negatives: noreturn helpers that end without the exit hooks, or whose end the file cannot see.
NORETURN static void cleanup_and_underscore_exit(int code) {
  unlink("/tmp/fork-hazard-test");
  _exit(code);
}

_Noreturn static void crash(void) {
  do_stuff();
  abort();
}

NORETURN void fatal_elsewhere(int code); // declared only: its body is in another file

void noreturn_helpers_without_exit(int which) {
  if (fork() == 0) {
    if (which == 1)
      cleanup_and_underscore_exit(1);
    if (which == 2)
      crash();
    fatal_elsewhere(3);
  }
  wait(NULL);
}

// The declaration says these end. One loops (a worker), one ends through a call this file cannot
// see: still an end, without exit hooks, so the child never returns from the entry point.
void serve(void);
void report_and_quit(int code);

NORETURN static void serve_forever(void) {
  for (;;)
    serve();
}

NORETURN static void quit(int code) {
  report_and_quit(code);
} // expected-warning {{function declared 'noreturn' should not return}}

int worker_main(int argc, char **argv) {
  (void)argv;
  pid_t pid = fork();
  if (pid == 0) {
    if (argc > 1)
      serve_forever();
    quit(1);
  }
  waitpid(pid, NULL, 0);
  return 0;
}

// The parent that ends with such a helper ends without returning: it hands the program over to
// the child (daemonizing), which may then end it with exit().
void daemon_parent_quits(void) {
  pid_t pid = fork();
  if (pid < 0)
    quit(1);
  if (pid > 0)
    quit(0);
  setsid();
  run_daemon();
  exit(0);
}
