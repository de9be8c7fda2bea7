// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,fork-in-loop -Xclang -verify %s
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,fork-in-loop %s 2>&1 | FileCheck %s

#include <stdbool.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

void do_stuff(void);
void serve(int);
__attribute__((noreturn)) void child_main(void);

// The lecture's first example: the child finishes do_stuff() and goes round the loop again.
int lecture(void) {
  while (true) { // expected-note {{the child process continues this loop instead of exiting}}
    pid_t pid = fork(); // expected-warning {{the child process goes back around the loop and calls 'fork' again, so every child creates children of its own}}
    if (pid == 0) { // expected-note {{'pid == 0' is true in the child process}}
      do_stuff();
    }
  }
}
// CHECK: fork-in-loop.c:{{[0-9]+}}:17: warning: the child process goes back around the loop and calls 'fork' again, so every child creates children of its own [fork-hazard-fork-in-loop]
// CHECK: fork-in-loop.c:{{[0-9]+}}:9: note: 'pid == 0' is true in the child process
// CHECK: fork-in-loop.c:{{[0-9]+}}:3: note: the child process continues this loop instead of exiting

void counted_loop(int n) {
  for (int i = 0; i < n; i++) { // expected-note {{continues this loop}}
    if (fork() == 0) // expected-warning {{calls 'fork' again}} expected-note {{'fork() == 0' is true in the child process}}
      serve(i);
  }
}

void do_while(void) {
  pid_t pid;
  do { // expected-note {{continues this loop}}
    if ((pid = fork()) == 0) { // expected-warning {{calls 'fork' again}} expected-note {{is true in the child}}
      do_stuff();
      continue;
    }
    waitpid(pid, NULL, 0);
  } while (1);
}

void negated_test(void) {
  for (;;) { // expected-note {{continues this loop}}
    pid_t pid = fork(); // expected-warning {{calls 'fork' again}}
    if (!pid) // expected-note {{'!pid' is true in the child process}}
      do_stuff();
  }
}

void parent_branch_test(void) {
  for (;;) { // expected-note {{continues this loop}}
    pid_t pid = fork(); // expected-warning {{calls 'fork' again}}
    if (pid > 0) // expected-note {{'pid > 0' is false in the child process}}
      continue;
    do_stuff();
  }
}

void copied_pid(void) {
  while (1) { // expected-note {{continues this loop}}
    pid_t pid = fork(); // expected-warning {{calls 'fork' again}}
    pid_t child = pid;
    if (child == 0) // expected-note {{'child == 0' is true in the child process}}
      do_stuff();
  }
}

void switch_without_exit(void) {
  for (;;) { // expected-note {{continues this loop}}
    switch (fork()) { // expected-warning {{calls 'fork' again}}
    case -1:
      return;
    case 0: // expected-note {{the child process takes this case}}
      do_stuff();
      break;
    default:
      break;
    }
  }
}

// A fork-returning wrapper in this file makes its callers fork sites too.
pid_t Fork(void) {
  pid_t pid = fork();
  if (pid < 0)
    abort();
  return pid;
}

void wrapper_in_loop(void) {
  for (;;) { // expected-note {{continues this loop}}
    if (Fork() == 0) // expected-warning {{calls 'Fork' again}} expected-note {{'Fork() == 0' is true in the child process}}
      do_stuff();
  }
}

//===--- Negatives: the child never gets back to the loop. ---===//

void child_execs(char **argv) {
  for (;;) {
    pid_t pid = fork();
    if (pid == 0) {
      execvp(argv[0], argv);
      _exit(127);
    }
    waitpid(pid, NULL, 0);
  }
}

void child_exits(int n) {
  for (int i = 0; i < n; i++) {
    pid_t pid = fork();
    if (pid < 0)
      break;
    if (pid == 0) {
      serve(i);
      exit(0);
    }
  }
}

void noreturn_worker(void) {
  while (1)
    if (fork() == 0)
      child_main();
}

// No noreturn attribute: the analysis summarizes functions of this file that always end.
static void finish_child(int status) {
  do_stuff();
  _exit(status);
}

void wrapper_that_exits(void) {
  for (int i = 0; i < 4; i++)
    if (fork() == 0)
      finish_child(0);
}

static void worker_loop(int fd) {
  for (;;)
    serve(fd);
}

void prefork_server(int listen_fd) {
  for (int i = 0; i < 8; i++)
    if (fork() == 0)
      worker_loop(listen_fd);
}

void child_breaks_out_and_ends(void) {
  while (1) {
    if (fork() == 0)
      break;
  }
  do_stuff();
  _exit(0);
}

void switch_on_fork(void) {
  for (int i = 0; i < 3; i++) {
    switch (fork()) {
    case -1:
      abort();
    case 0:
      do_stuff();
      _exit(0);
    default:
      break;
    }
  }
}

void parent_continue_child_exits(void) {
  for (;;) {
    pid_t pid = fork();
    if (pid != 0)
      continue;
    do_stuff();
    _exit(0);
  }
}

void reassigned_pid_variable(void) {
  pid_t pid;
  for (int i = 0; i < 2; i++) {
    pid = fork();
    if (pid == 0)
      _exit(0);
    pid = waitpid(pid, NULL, 0);
    if (pid == 0)
      do_stuff(); // waitpid's result, not fork's: says nothing about the role
  }
}

#define SPAWN_AND_EXIT()                                                                   \
  do {                                                                                     \
    if (fork() == 0)                                                                       \
      _exit(0);                                                                            \
  } while (0)

void fork_in_macro(void) {
  for (int i = 0; i < 2; i++)
    SPAWN_AND_EXIT();
}

void exec_failure_is_another_check(char **argv) {
  for (;;) {
    if (fork() == 0)
      execvp(argv[0], argv); // unchecked-exec reports this, not fork-in-loop
  }
}

// A flag set in the child is followed only where it is tested: here the loop does not test it.
void flag_not_tested(int n) {
  int child = 0;
  for (int i = 0; i < n; i++) { // expected-note {{the child process continues this loop instead of exiting}}
    pid_t pid = fork(); // expected-warning {{the child process goes back around the loop and calls 'fork' again}}
    if (pid == 0) { // expected-note {{'pid == 0' is true in the child process}}
      child = 1;
      do_stuff();
    }
  }
  (void)child;
}

// A flag whose address escapes may change behind the analysis' back: it is not followed.
void set_flag(int *flag);
void flag_address_taken(void) {
  int child = 0;
  set_flag(&child);
  while (!child) { // expected-note {{the child process continues this loop instead of exiting}}
    pid_t pid = fork(); // expected-warning {{the child process goes back around the loop and calls 'fork' again}}
    if (pid == 0) // expected-note {{'pid == 0' is true in the child process}}
      child = 1;
    else
      waitpid(pid, NULL, 0);
  }
}

// A constant that differs between loop iterations (1 on the first, 2 after) is no longer known
// at the loop head, so `state == 1` decides nothing there: the child of a later iteration
// carries on around the loop. (Both values are nonzero: knowing that must not hide the change.)
int more_work(void);
void state_changes_between_iterations(void) {
  int state = 1;
  while (more_work()) { // expected-note {{the child process continues this loop instead of exiting}}
    pid_t pid = fork(); // expected-warning {{the child process goes back around the loop and calls 'fork' again}}
    if (pid < 0)
      return;
    if (pid == 0) { // expected-note {{'pid == 0' is true in the child process}}
      if (state == 1)
        _exit(0);
      do_stuff();
    }
    state = 2;
    waitpid(pid, NULL, 0);
  }
}
