// One root cause, one diagnostic: when a later fork is reached by both processes of an earlier
// one, nested-fork reports it; the processes that exist only because of that (the earlier
// child's children) are not analyzed again, and a process that goes on past a fork goes on as
// that fork's parent (or as the parent whose fork failed), never as its child. Every check on.
// RUN: %clang_fh -Xclang -verify %s
// RUN: %clang_fh %s 2>&1 | FileCheck %s --implicit-check-not=warning:

#include <stdlib.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

void job_a(void);
void job_b(void);
void serve_forever(void);

// A daemonize() that forgot `if (pid > 0) exit(0);` after its first fork: both processes make a
// daemon. The original parent then ends in every branch the second fork gives it, so its
// first child goes to init (no missing-wait), and the first child's exit(1) when the second
// fork fails is not an exit-in-child of a parent that went on: nothing but the nested fork.
void daemonize_forgot_exit(void) {
  pid_t pid = fork(); // expected-note {{the earlier fork is here}}
  if (pid < 0)
    exit(1);
  setsid();
  pid = fork(); // expected-warning {{this 'fork' runs in both the parent and the child of an earlier 'fork'}}
  if (pid < 0)
    exit(1);
  if (pid > 0)
    _exit(0);
  chdir("/");
  umask(0);
}
// CHECK: one-root-cause.c:[[@LINE-8]]:9: warning: this 'fork' runs in both the parent and the child of an earlier 'fork', so it creates two processes instead of one [fork-hazard-nested-fork]

// The parent starts a helper, then double-forks itself away: its children are re-parented to
// init, nobody has to wait for them.
int start_then_detach(void) {
  pid_t helper = fork();
  if (helper < 0)
    return -1;
  if (helper == 0) {
    execl("/usr/libexec/helper", "helper", (char *)0);
    _exit(127);
  }
  pid_t self = fork();
  if (self != 0)
    _exit(self < 0);
  serve_forever();
  return 0;
}

// A fork wrapper called twice, then the process ends: the nested fork is the whole story.
static pid_t Fork(void) {
  pid_t pid = fork();
  if (pid == -1)
    abort();
  return pid;
}
int twice_then_exit(void) {
  Fork(); // expected-note {{the earlier fork is here}}
  Fork(); // expected-warning {{this 'Fork' runs in both the parent and the child of an earlier 'Fork'}}
  // CHECK: one-root-cause.c:[[@LINE-1]]:3: warning: {{.*}} [fork-hazard-nested-fork]
  _exit(0);
}

// The second fork's processes are the first parent's: its own test of `a` after the second
// fork tells them apart from the first child's children, which never reach the parent's wait
// for b with b == 0.
int two_jobs(void) {
  pid_t a = fork(); // expected-note {{the earlier fork is here}}
  pid_t b = fork(); // expected-warning {{this 'fork' runs in both the parent and the child of an earlier 'fork'}}
  // CHECK: one-root-cause.c:[[@LINE-1]]:13: warning: {{.*}} [fork-hazard-nested-fork]
  if (a < 0 || b < 0)
    _exit(1);
  if (a == 0) {
    job_a();
    _exit(0);
  }
  if (b == 0) {
    job_b();
    _exit(0);
  }
  waitpid(a, NULL, 0);
  waitpid(b, NULL, 0);
  return 0;
}

// Positive next to the negatives: a parent that goes on past its second fork and returns
// still leaves the first child unreaped.
int start_two_helpers(void) {
  pid_t first = fork(); // expected-warning {{the child created by 'fork' is never waited for}}
  // CHECK: one-root-cause.c:[[@LINE-1]]:17: warning: {{.*}} [fork-hazard-missing-wait]
  if (first < 0)
    return -1;
  if (first == 0) { // expected-note {{'first == 0' is false in the parent process}}
    execl("/usr/libexec/helper", "helper", (char *)0);
    _exit(127);
  }
  pid_t second = fork();
  if (second < 0)
    return -1; // expected-note {{the parent process returns from 'start_two_helpers' into its caller here without waiting for the child}}
  if (second == 0) {
    execl("/usr/libexec/helper", "helper", (char *)0);
    _exit(127);
  }
  waitpid(second, NULL, 0);
  return 0;
}
