// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,vfork-misuse -Xclang -verify %s
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,vfork-misuse %s 2>&1 | FileCheck %s
// vfork-misuse is the one report for a vfork child: the other child-path checks (unsafe calls
// included, with threads assumed) stay out of it.
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-missing-wait -fplugin-arg-fork-hazard-threads=yes -Xclang -verify %s
// Cases ported from clang's test/Analysis/vfork.c (unix.Vfork) are marked "unix.Vfork"; there,
// as here, each path of the child that goes wrong is its own warning, at its first problem; here
// what the child does wrong after that on the same path is listed in notes.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

void foo(void);
extern int counter;

// unix.Vfork f1: the child may overwrite pid, exec and _exit; not assign, call or return. Three
// cases, three paths: three warnings.
int f1(int x) {
  pid_t pid = vfork(); // expected-note 3 {{the child process is created here by 'vfork'}}
  if (pid != 0) // expected-note 3 {{'pid != 0' is false in the child process}}
    return 0;
  switch (x) {
  case 0:
    pid = 1;
    execl("", "", (char *)0);
    _exit(1);
    break;
  case 1:
    x = 0; // expected-warning {{the child of 'vfork' assigns to 'x', which the parent sees, while it shares the parent's memory and stack; only an exec function or '_exit' may follow 'vfork'}}
    break;
  case 2:
    foo(); // expected-warning {{the child of 'vfork' calls 'foo' while it shares the parent's memory and stack; only an exec function or '_exit' may follow 'vfork'}}
    break;
  default:
    return 0; // expected-warning {{the child of 'vfork' returns from 'f1' into the parent's stack frame while it shares the parent's memory and stack}}
  }
  while (1)
    ;
}
// CHECK: vfork-misuse.c:[[@LINE-11]]:5: warning: the child of 'vfork' assigns to 'x', which the parent sees, while it shares the parent's memory and stack; only an exec function or '_exit' may follow 'vfork' [fork-hazard-vfork-misuse]
// CHECK: vfork-misuse.c:[[@LINE-22]]:15: note: the child process is created here by 'vfork'
// CHECK: vfork-misuse.c:[[@LINE-22]]:7: note: 'pid != 0' is false in the child process
// CHECK: vfork-misuse.c:[[@LINE-11]]:5: warning: the child of 'vfork' calls 'foo' while it shares the parent's memory and stack; only an exec function or '_exit' may follow 'vfork' [fork-hazard-vfork-misuse]
// CHECK: vfork-misuse.c:[[@LINE-25]]:15: note: the child process is created here by 'vfork'
// CHECK: vfork-misuse.c:[[@LINE-25]]:7: note: 'pid != 0' is false in the child process
// CHECK: vfork-misuse.c:[[@LINE-11]]:5: warning: the child of 'vfork' returns from 'f1'

// unix.Vfork f2: the same without a test of the pid: both processes run the switch.
int f2(int x) {
  pid_t pid = vfork(); // expected-note 3 {{created here by 'vfork'}}
  switch (x) {
  case 0:
    pid = 1;
    execl("", "", (char *)0);
    _exit(1);
    break;
  case 1:
    x = 0; // expected-warning {{the child of 'vfork' assigns to 'x', which the parent sees}}
    break;
  case 2:
    foo(); // expected-warning {{the child of 'vfork' calls 'foo'}}
    break;
  default:
    return 0; // expected-warning {{the child of 'vfork' returns from 'f2' into the parent's stack frame}}
  }
  while (1)
    ;
}

// unix.Vfork f3: the parent is not restricted.
int f3(int x) {
  if (vfork() == 0)
    _exit(1);
  x = 0;
  foo();
  return 0;
}

// unix.Vfork f4: a result that is not stored, a switch on vfork(), a child that never ends.
void f4(int x) {
  switch (x) {
  case 0:
    vfork(); // expected-note {{created here by 'vfork'}}
    x = 0; // expected-warning {{the child of 'vfork' assigns to 'x', which the parent sees}}
    break;
  case 1: {
    char args[2];
    switch (vfork()) { // expected-note {{created here by 'vfork'}}
    case 0: // expected-note {{the child process takes this case}}
      args[0] = 0; // expected-warning {{the child of 'vfork' writes to 'args[0]' while it shares}}
      exit(1); // expected-note {{the child also calls 'exit' here}}
    }
    break;
  }
  case 2: {
    pid_t pid;
    if ((pid = vfork()) == 0)
      while (1)
        ;
    break;
  }
  }
  while (1)
    ;
}

// unix.Vfork f5: exit() after a failed exec runs the parent's atexit handlers.
void f5(void) {
  if (vfork() == 0) { // expected-note {{created here}} expected-note {{'vfork() == 0' is true in the child process}}
    execl("prog", "arg1", (char *)0);
    exit(1); // expected-warning {{the child of 'vfork' calls 'exit', which runs the parent's atexit handlers and flushes its stdio buffers, while it shares}}
  }
}

// Beyond unix.Vfork: falling off the end (unix.Vfork is silent here), main, locals of the
// child's own (they live in the parent's stack frame), stores through pointers, many problems
// in one report. Throwing is in the C++ test.
void falls_off_end(char **argv) {
  if (vfork() == 0) { // expected-note {{created here}} expected-note {{true in the child}}
    execv(argv[0], argv);
  }
} // expected-warning {{the child of 'vfork' reaches the end of 'falls_off_end' while it shares}}
// CHECK: vfork-misuse.c:{{[0-9]+}}:1: warning: the child of 'vfork' reaches the end of 'falls_off_end' while it shares the parent's memory and stack; only an exec function or '_exit' may follow 'vfork' [fork-hazard-vfork-misuse]

void child_locals(char **argv, int *out) {
  pid_t pid = vfork(); // expected-note {{created here}}
  if (pid == 0) { // expected-note {{true in the child}}
    char *args[] = {argv[0], NULL}; // expected-warning {{the child of 'vfork' initializes 'args' while it shares}}
    int status;
    status = 127; // expected-note {{the child also writes to 'status' here}}
    out[1] = 0; // expected-note {{the child also writes to 'out[1]' here}}
    *out = 1; // expected-note {{the child also writes to '*out' here}}
    execv(argv[0], args);
    _exit(status);
  }
}

void many(char **argv) {
  pid_t pid = vfork(); // expected-note {{created here}}
  if (pid == 0) { // expected-note {{true in the child}}
    printf("starting\n"); // expected-warning {{calls 'printf'}} expected-note {{and 1 more such statements; consider 'posix_spawn'}}
    foo(); // expected-note {{the child also calls 'foo' here}}
    counter++; // expected-note {{the child also assigns to 'counter' here}}
    dup2(1, 2); // expected-note {{the child also calls 'dup2' here}}
    execvp(argv[0], argv);
    perror("execvp"); // expected-note {{the child also calls 'perror' here}}
    foo();
    _exit(127);
  }
  if (pid > 0)
    waitpid(pid, NULL, 0);
}

void loops_back(void) {
  for (;;) {
    pid_t pid = vfork(); // expected-note {{created here}} expected-warning {{the child of 'vfork' goes back around the loop and calls 'vfork' again while it shares}}
    if (pid == 0) // expected-note {{true in the child}}
      continue;
    if (pid > 0)
      waitpid(pid, NULL, 0);
  }
}

int main(int argc, char **argv) {
  if (vfork() == 0) { // expected-note {{created here}} expected-note {{true in the child}}
    execv(argv[0], argv);
    return 127; // expected-warning {{the child of 'vfork' returns from 'main', which calls 'exit', while it shares}}
  }
  return argc;
}

// One warning per path that goes wrong, at its first problem: a statement the child can reach
// without doing anything wrong first leads its own warning, so a NOLINT on one path's problem
// leaves the other path's warning.
void two_paths(int verbose, char **argv) {
  pid_t pid = vfork(); // expected-note {{created here by 'vfork'}}
  if (pid == 0) { // expected-note {{'pid == 0' is true in the child process}}
    if (verbose)
      printf("running %s\n", argv[0]); // NOLINT(fork-hazard-vfork-misuse)
    else
      counter = 1; // expected-warning {{the child of 'vfork' assigns to 'counter', which the parent sees, while it shares}}
    execv(argv[0], argv);
    _exit(127);
  }
}
// CHECK: vfork-misuse.c:[[@LINE-5]]:7: warning: the child of 'vfork' assigns to 'counter'
// CHECK-NOT: calls 'printf'
// CHECK: vfork-misuse.c:[[@LINE+6]]:7: warning: the child of 'vfork' calls 'foo'

// Reached without the first problem when verbose is 0: a warning of its own.
void clean_path_too(int verbose) {
  if (vfork() == 0) { // expected-note 2 {{created here}} expected-note 2 {{true in the child}}
    if (verbose)
      foo(); // expected-warning {{the child of 'vfork' calls 'foo'}}
    counter = 3; // expected-warning {{the child of 'vfork' assigns to 'counter'}}
    _exit(0);
  }
}

// The role analysis's shortest way there runs through the first problem; a path as long does
// not: still a warning of its own.
void longer_clean_path(int verbose, int fd) {
  if (vfork() == 0) { // expected-note 2 {{created here}} expected-note 2 {{true in the child}}
    if (verbose)
      foo(); // expected-warning {{the child of 'vfork' calls 'foo'}}
    else if (fd < 0)
      _exit(2);
    counter = 4; // expected-warning {{the child of 'vfork' assigns to 'counter'}}
    _exit(0);
  }
}

// Reached only after one of the two problems: a note of a warning, not a third warning.
void join_after_paths(int verbose) {
  if (vfork() == 0) { // expected-note 2 {{created here}} expected-note 2 {{true in the child}}
    if (verbose)
      foo(); // expected-warning {{the child of 'vfork' calls 'foo'}}
    else
      counter = 2; // expected-warning {{the child of 'vfork' assigns to 'counter'}}
    counter++; // expected-note {{the child also assigns to 'counter' here}}
    _exit(0);
  }
}

// One statement is one problem, whichever of its branches runs: the call is part of the store.
void one_statement(int verbose) {
  if (vfork() == 0) { // expected-note {{created here}} expected-note {{true in the child}}
    counter = verbose ? foo(), 1 : 0; // expected-warning {{the child of 'vfork' assigns to 'counter'}} expected-note {{the child also calls 'foo' here}}
    _exit(0);
  }
}

// ---- negatives ----

// unix.Vfork: overwriting pid, exec (execve too), _exit are fine; so is reading errno.
void allowed(char **argv) {
  pid_t pid = vfork();
  if (pid == 0) {
    pid = 1;
    execl("/bin/true", "true", (char *)0);
    execve(argv[0], argv, NULL);
    _exit(errno == ENOENT ? 127 : 126);
  }
  if (pid > 0)
    waitpid(pid, NULL, 0);
}

void only_exit(void) {
  if (vfork() == 0)
    _Exit(1);
}

void exit_on_every_path(int fast) {
  pid_t pid = vfork();
  if (pid == 0) {
    if (fast)
      _exit(0);
    _exit(1);
  }
}

// What the parent does, and what happens when vfork fails (-1: there is no child), is not the
// child's.
void parent_side(void) {
  pid_t pid = vfork();
  if (pid < 0) {
    perror("vfork");
    counter = 1;
    return;
  }
  if (pid == 0)
    _exit(0);
  printf("child %d\n", (int)pid);
  counter = 2;
  waitpid(pid, NULL, 0);
}

void failure_in_else(void) {
  pid_t pid = vfork();
  if (pid == 0)
    _exit(0);
  else if (pid == -1)
    foo();
}

// __builtin_expect is not a call.
void builtin_in_child(char **argv) {
  if (__builtin_expect(vfork() == 0, 0)) {
    execv(argv[0], argv);
    _exit(127);
  }
}

// The child's own value decides the next test (busybox inetd's `if (pid == 0) pid--;`): the
// child always closes, so the restore after the join is on the same path, a note, not a
// second finding.
void restore_state(void);
void child_marks_itself(int fd) {
  pid_t pid = vfork(); // expected-note {{the child process is created here by 'vfork'}}
  if (pid == 0) // expected-note {{'pid == 0' is true in the child process}}
    pid = -1;
  if (pid < 0)
    close(fd); // expected-warning {{the child of 'vfork' calls 'close'}}
  restore_state(); // expected-note {{the child also calls 'restore_state' here}}
  _exit(1);
}
