// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,nested-fork -Xclang -verify %s
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,nested-fork %s 2>&1 | FileCheck %s

#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

void do_stuff_proc1(void);
void do_stuff_proc2(void);
void log_line(const char *);
void run_daemon(void);
extern int verbose;

// The lecture's example: both processes of the first fork run the second one: four processes.
int main(void) {
  pid_t pid1 = fork(); // expected-note {{the earlier fork is here; its child does not exit before the later one}}
  pid_t pid2 = fork(); // expected-warning {{this 'fork' runs in both the parent and the child of an earlier 'fork', so it creates two processes instead of one}}
  if (pid1 == 0) {
    do_stuff_proc1();
    return 0;
  }
  if (pid2 == 0) {
    do_stuff_proc2();
    return 0;
  }
  waitpid(pid1, NULL, 0);
  waitpid(pid2, NULL, 0);
}
// CHECK: nested-fork.c:{{[0-9]+}}:16: warning: this 'fork' runs in both the parent and the child of an earlier 'fork', so it creates two processes instead of one [fork-hazard-nested-fork]
// CHECK: nested-fork.c:{{[0-9]+}}:16: note: the earlier fork is here; its child does not exit before the later one

void bare_statements(void) {
  fork(); // expected-note {{the earlier fork is here}}
  fork(); // expected-warning {{runs in both the parent and the child}}
}

void child_falls_through(void) {
  pid_t first = fork(); // expected-note {{the earlier fork is here}}
  if (first == 0) { // expected-note {{'first == 0' is true in the child process}}
    do_stuff_proc1();
  }
  log_line("second"); // expected-note {{the child falls through into code the parent also runs}}
  pid_t second = fork(); // expected-warning {{runs in both the parent and the child}}
  (void)second;
}

void unknown_condition_keeps_both(void) {
  pid_t pid = fork(); // expected-note {{the earlier fork is here}}
  if (verbose)
    log_line("forked");
  if (fork() == 0) // expected-warning {{runs in both the parent and the child}}
    _exit(0);
  waitpid(pid, NULL, 0);
}

pid_t Fork(void) {
  pid_t pid = fork();
  if (pid == -1)
    abort();
  return pid;
}

void through_wrapper(void) {
  Fork(); // expected-note {{the earlier fork is here; its child does not exit before the later one (by 'Fork', which returns the result of a fork)}}
  Fork(); // expected-warning {{this 'Fork' runs in both the parent and the child of an earlier 'Fork'}}
}

//===--- Negatives ---===//

// Double-fork daemon: only the child of the first fork reaches the second one.
void daemonize(void) {
  pid_t pid = fork();
  if (pid < 0)
    exit(1);
  if (pid > 0)
    _exit(0);
  setsid();
  if (fork() > 0)
    _exit(0);
  run_daemon();
}

// The classic variant: the parent waits for the middle process, which forks and leaves.
void double_fork_and_wait(void) {
  pid_t pid = fork();
  if (pid == 0) {
    if (fork() > 0)
      _exit(0);
    run_daemon();
    _exit(0);
  }
  waitpid(pid, NULL, 0);
}

// Spawning children one after another: only the parent reaches the later forks.
void spawn_in_turn(char **argv) {
  pid_t a = fork();
  if (a == 0) {
    execvp(argv[0], argv);
    _exit(127);
  }
  pid_t b = fork();
  if (b == 0) {
    do_stuff_proc2();
    _exit(0);
  }
  waitpid(a, NULL, 0);
  waitpid(b, NULL, 0);
}

// One variable reused for both forks: the second test is about the second fork.
void reused_variable(void) {
  pid_t pid = fork();
  if (pid == 0) {
    do_stuff_proc1();
    _exit(0);
  }
  waitpid(pid, NULL, 0);
  pid = fork();
  if (pid == 0) {
    do_stuff_proc2();
    _exit(0);
  }
  waitpid(pid, NULL, 0);
}

void second_fork_in_parent_branch(void) {
  pid_t pid = fork();
  if (pid == 0) {
    do_stuff_proc1();
  } else if (pid > 0) {
    if (fork() == 0) {
      do_stuff_proc2();
      _exit(0);
    }
  }
}

void switch_then_fork(void) {
  switch (fork()) {
  case 0:
    do_stuff_proc1();
    _exit(0);
  case -1:
    return;
  }
  if (fork() == 0)
    _exit(0);
}

void failed_exec_is_another_check(char **argv) {
  if (fork() == 0)
    execvp(argv[0], argv); // unchecked-exec reports the child reaching the next fork
  fork();
}
