// A function of the file that forks and returns 0 in the child and another constant in the
// parent (openssh's privsep_preauth) hands the child to its caller on purpose: each call the
// caller branches on is a fork site of the caller, whose per-role values are the callee's
// constants, so every check follows the child into the caller's branch for the child's value.
// Every check on, threads assumed.
// RUN: %clang_fh -fplugin-arg-fork-hazard-threads=yes -Xclang -verify %s
// RUN: %clang_fh -fplugin-arg-fork-hazard-threads=yes -fno-caret-diagnostics %s 2>&1 | FileCheck %s

#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

void drop_privileges(void);
void serve(void);
void log_done(void);

// 0 in the child, 1 in the parent; a failed fork never returns.
int privsep(void) {
  pid_t pid = fork();
  if (pid == -1)
    abort();
  if (pid != 0) {
    waitpid(pid, NULL, 0);
    return 1;
  }
  drop_privileges();
  return 0;
}

void exits_in_caller(void) {
  if (privsep() == 0) { // expected-note {{the child process is created here (in 'privsep', which returns 0 in the child and 1 in the parent)}} expected-note {{'privsep() == 0' is true in the child process}}
    serve();
    exit(0); // expected-warning {{the child process calls 'exit'}}
  }
  serve();
}
// CHECK: role-telling-callers.c:[[@LINE-4]]:5: warning: the child process calls 'exit', {{.*}} [fork-hazard-exit-in-child]
// CHECK-NEXT: role-telling-callers.c:[[@LINE-7]]:7: note: the child process is created here (in 'privsep', which returns 0 in the child and 1 in the parent)
// CHECK-NEXT: role-telling-callers.c:[[@LINE-8]]:7: note: 'privsep() == 0' is true in the child process

void switch_falls_through(void) {
  switch (privsep()) { // expected-note {{created here (in 'privsep'}}
  case 0: // expected-note {{the child process takes this case}}
    serve();
    break;
  default:
    break;
  }
  log_done(); // expected-warning {{the child process falls through into code that the parent also runs}}
} // expected-note {{the child process then reaches the end of 'switch_falls_through'}}

void unsafe_in_caller(void) {
  if (!privsep()) { // expected-note {{created here (in 'privsep'}} expected-note {{'!privsep()' is true in the child process}} expected-note {{the program creates threads}}
    printf("child\n"); // expected-warning {{'printf' is not async-signal-safe}}
    _exit(0);
  }
  log_done();
}

void exec_in_caller(char **argv) {
  int r = privsep(); // expected-note {{created here (in 'privsep'}}
  if (r == 0)
    execv(argv[0], argv); // expected-warning {{if 'execv' fails, the child process falls through into code that the parent also runs}}
  serve(); // expected-note {{the child process continues here}}
} // expected-note {{reaches the end of 'exec_in_caller'}}

//===--- Negatives ---===//

void child_exits_properly(void) {
  if (privsep() == 0) {
    serve();
    _exit(0);
  }
  serve();
}

int parent_branch_is_parents(void) {
  if (privsep() == 1) {
    printf("parent\n");
    return 1;
  }
  serve();
  _exit(0);
}

// gnulib's savewd_save: false in the child and after a failed fork ("do the work here"), true
// in the parent: the caller's branch for false also runs in the only process after a failed
// fork, so it is not the child's code.
_Bool save_by_forking(pid_t *child) {
  *child = fork();
  if (*child != 0) {
    if (0 < *child)
      return 1;
    log_done();
  }
  return 0;
}
void work_here_or_in_child(void) {
  pid_t child;
  if (!save_by_forking(&child)) {
    serve();
    exit(0);
  }
  waitpid(child, NULL, 0);
}

// Passing the value on: a role-telling function itself, not a child that returns.
int privsep_again(void) { return privsep(); }
void uses_again(void) {
  if (privsep_again() == 0) // expected-note {{created here (in 'privsep_again', which returns 0 in the child and 1 in the parent)}} expected-note {{'privsep_again() == 0' is true in the child process}}
    exit(1); // expected-warning {{the child process calls 'exit'}}
  serve();
}

// A failed fork returns the parent's value: the caller goes on as the parent.
int fork_or_stay(void) {
  pid_t pid = fork();
  if (pid < 0)
    return 1;
  if (pid > 0) {
    waitpid(pid, NULL, 0);
    return 1;
  }
  return 0;
}
void stays_when_fork_fails(void) {
  if (fork_or_stay() != 0) // expected-note {{created here (in 'fork_or_stay', which returns 0 in the child and 1 in the parent)}} expected-note {{'fork_or_stay() != 0' is false in the child process}}
    return;
  serve();
  exit(0); // expected-warning {{the child process calls 'exit'}}
}

// A failed fork returns -1 of its own: that branch is the parent's.
int privsep_or_fail(void) {
  pid_t pid = fork();
  if (pid < 0)
    return -1;
  if (pid > 0) {
    waitpid(pid, NULL, 0);
    return 1;
  }
  return 0;
}
void failure_is_the_parents(void) {
  switch (privsep_or_fail()) {
  case -1:
    perror("fork");
    exit(1);
  case 0:
    serve();
    _exit(0);
  default:
    break;
  }
}

// What the child does in the callee is the callee's report; the parent's missing wait too,
// once: no pid reaches the caller.
int privsep_logs(void) {
  pid_t pid = fork(); // expected-warning {{the child created by 'fork' is never waited for}} expected-note {{the child process is created here}} expected-note {{the program creates threads}}
  if (pid < 0)
    abort();
  if (pid == 0) { // expected-note {{'pid == 0' is false in the parent process}} expected-note {{'pid == 0' is true in the child process}}
    printf("child\n"); // expected-warning {{'printf' is not async-signal-safe}}
    return 0;
  }
  return 1; // expected-note {{the parent process returns from 'privsep_logs' into its caller here without waiting for the child}}
}
void uses_privsep_logs(void) {
  if (privsep_logs() == 0)
    _exit(0);
  serve();
}

// A caller that throws the value away: the child's return in the callee is the escape.
int privsep_ignored(void) {
  pid_t pid = fork(); // expected-note {{the child process is created here}}
  if (pid < 0)
    abort();
  if (pid == 0) // expected-note {{'pid == 0' is true in the child process}}
    return 0; // expected-warning {{the child process returns from 'privsep_ignored' into its caller}}
  waitpid(pid, NULL, 0);
  return 1;
}
void ignores(void) { privsep_ignored(); } // expected-note {{'privsep_ignored' is called here and its result, which tells the child from the parent, is thrown away}}
void branches(void) {
  if (privsep_ignored() == 0) // expected-note {{created here (in 'privsep_ignored'}} expected-note {{is true in the child process}}
    exit(0); // expected-warning {{the child process calls 'exit'}}
}

// 1 in the child, 0 in the parent. A process that goes on past the call as its parent gets the
// parent's 0 (not fork's -1 or pid): the first fork's parent reaps its child below.
int in_child(void) {
  pid_t pid = fork();
  if (pid < 0)
    abort();
  if (pid == 0)
    return 1;
  waitpid(pid, NULL, 0);
  return 0;
}
void reaps_after_second_split(void) {
  pid_t first = fork();
  if (first < 0)
    return;
  if (first == 0) {
    serve();
    _exit(0);
  }
  if (in_child()) // expected-note {{created here (in 'in_child', which returns 1 in the child and 0 in the parent)}} expected-note {{'in_child()' is true in the child process}}
    return; // expected-warning {{the child process returns from 'reaps_after_second_split' into its caller}}
  waitpid(first, NULL, 0);
}
