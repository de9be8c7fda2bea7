// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,unchecked-fork-error -Xclang -verify %s
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,unchecked-fork-error %s 2>&1 | FileCheck %s
#include <errno.h>
#include <error.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

void work(void);
int timed_out(void);

// 'if (pid)' treats -1 as the parent.
void terminate_worker(void) {
  pid_t pid = fork(); // expected-note {{'fork' returns -1 when it fails}}
  if (pid) { // expected-note {{'pid' is true when the fork fails}}
    if (timed_out())
      kill(pid, SIGTERM); // expected-warning {{if 'fork' fails, 'pid' is -1 here and 'kill(-1, ...)' sends the signal to every process you may signal}}
    return;
  }
  work();
  _exit(0);
}
// CHECK: unchecked-fork-error.c:{{[0-9]+}}:7: warning: if 'fork' fails, 'pid' is -1 here and 'kill(-1, ...)' sends the signal to every process you may signal [fork-hazard-unchecked-fork-error]
// CHECK: unchecked-fork-error.c:{{[0-9]+}}:15: note: 'fork' returns -1 when it fails
// CHECK: unchecked-fork-error.c:{{[0-9]+}}:7: note: 'pid' is true when the fork fails

// The else branch of 'pid == 0' is -1 as well: waitpid(-1) reaps any child. One report per
// fork; the other calls -1 reaches are notes.
int wait_for_it(void) {
  pid_t pid = fork(); // expected-note {{returns -1 when it fails}}
  if (pid == 0) { // expected-note {{'pid == 0' is false when the fork fails}}
    work();
    _exit(0);
  }
  setpgid(pid, pid); // expected-warning {{'setpgid(-1, ...)' fails instead of moving the child to its process group}}
  int status;
  waitpid(pid, &status, 0); // expected-note {{-1 also reaches 'waitpid' here}}
  return status;
}

// Through a copy, a process group, the terminal, waitid.
void group_and_terminal(int tty) {
  pid_t child = fork(); // expected-note {{returns -1 when it fails}}
  if (child == 0)         // expected-note {{false when the fork fails}}
    _exit(0);
  pid_t group = child;
  killpg(group, SIGHUP); // expected-warning {{'killpg(-1, ...)'}}
  tcsetpgrp(tty, child); // expected-note {{-1 also reaches 'tcsetpgrp' here}}
}

void waits_with_waitid(void) {
  pid_t pid = fork(); // expected-note {{returns -1 when it fails}}
  if (!pid) // expected-note {{'!pid' is false when the fork fails}}
    _exit(0);
  siginfo_t info;
  waitid(P_PID, pid, &info, WEXITED); // expected-warning {{'waitid(..., -1, ...)' is given -1 as the id of the child to wait for}}
}

void tcsetpgrp_only(int tty) {
  pid_t pid = fork(); // expected-note {{returns -1 when it fails}}
  if (pid == 0) // expected-note {{false when the fork fails}}
    _exit(0);
  tcsetpgrp(tty, pid); // expected-warning {{'tcsetpgrp(..., -1)' fails instead of giving the terminal to the child's group}}
}

// A failure branch that reports the error but does not leave lets -1 through.
void reports_but_goes_on(void) {
  pid_t pid = fork(); // expected-note {{returns -1 when it fails}}
  if (pid < 0) // expected-note {{'pid < 0' is true when the fork fails}}
    perror("fork");
  if (pid == 0) // expected-note {{'pid == 0' is false when the fork fails}}
    _exit(0);
  kill(pid, SIGKILL); // expected-warning {{if 'fork' fails, 'pid' is -1 here and 'kill(-1, ...)'}}
}

// A case -1 that only breaks out of the switch.
void switch_breaks(void) {
  pid_t pid = fork(); // expected-note {{returns -1 when it fails}}
  switch (pid) {
  case -1: // expected-note {{this case is taken when the fork fails}}
    perror("fork");
    break;
  case 0:
    _exit(0);
  }
  waitpid(pid, NULL, 0); // expected-warning {{'waitpid(-1, ...)' waits for any child instead of this one}}
}

// A wrapper that returns fork's -1 passes the failure on to its callers.
pid_t fork_or_minus_one(void) {
  pid_t pid = fork();
  if (pid < 0)
    perror("fork");
  return pid;
}

void through_wrapper(void) {
  pid_t pid = fork_or_minus_one(); // expected-note {{'fork_or_minus_one' returns -1 when the fork in it fails}}
  if (pid == 0) // expected-note {{false when the fork fails}}
    _exit(0);
  kill(pid, SIGTERM); // expected-warning {{if 'fork_or_minus_one' fails, 'pid' is -1 here}}
}
// CHECK: unchecked-fork-error.c:{{[0-9]+}}:3: warning: if 'fork_or_minus_one' fails, 'pid' is -1 here and 'kill(-1, ...)' sends the signal to every process you may signal [fork-hazard-unchecked-fork-error]
// CHECK: unchecked-fork-error.c:{{[0-9]+}}:15: note: 'fork_or_minus_one' returns -1 when the fork in it fails

// ---- negatives ----

// A wrapper that never returns when its fork fails: its callers never see -1.
pid_t Fork(void) {
  pid_t pid = fork();
  if (pid < 0) {
    perror("fork");
    exit(1);
  }
  return pid;
}

void through_checked_wrapper(void) {
  pid_t pid = Fork();
  if (pid == 0)
    _exit(0);
  kill(pid, SIGTERM);
  waitpid(pid, NULL, 0);
}

void not_minus_one(void) {
  pid_t pid = fork();
  if (pid == 0)
    _exit(0);
  if (pid != -1)
    waitpid(pid, NULL, 0);
}

void checked_first(void) {
  pid_t pid = fork();
  if (pid < 0)
    return;
  if (pid == 0)
    _exit(0);
  kill(pid, SIGTERM);
  waitpid(pid, NULL, 0);
}

void checked_equal_minus_one(void) {
  pid_t pid;
  if ((pid = fork()) == -1)
    return;
  if (pid)
    kill(pid, SIGTERM);
  else
    _exit(0);
}

void guarded_by_positive(void) {
  pid_t pid = fork();
  if (pid == 0)
    _exit(0);
  if (pid > 0) {
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
  }
}

void switch_handles_failure(void) {
  pid_t pid = fork();
  switch (pid) {
  case -1:
    return;
  case 0:
    _exit(0);
  default:
    waitpid(pid, NULL, 0);
  }
}

void failure_ends_process(void) {
  pid_t pid = fork();
  if (pid == -1)
    _exit(1);
  if (pid == 0)
    _exit(0);
  waitpid(pid, NULL, 0);
}

// Only the child reaches the call, and the pid there is 0 ... or not the pid at all.
void child_only(pid_t other) {
  pid_t pid = fork();
  if (pid == 0) {
    kill(getppid(), SIGUSR1);
    _exit(0);
  }
  if (pid < 0)
    return;
  kill(other, SIGTERM);
  waitpid(pid, NULL, 0);
}

// The pid was overwritten before the call.
void reassigned(void) {
  pid_t pid = fork();
  if (pid == 0)
    _exit(0);
  pid = 42;
  kill(pid, SIGTERM);
}

// Negative: a failed fork ends in error(2, ...), which exits (procps watch: `xerr(2, ...)`).
void failure_ends_in_error(void) {
  pid_t child = fork();
  if (child < 0)
    error(2, errno, "unable to fork process");
  if (child == 0)
    _exit(0);
  waitpid(child, NULL, 0);
}
