// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,vfork-misuse -Xclang -verify %s
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,vfork-misuse %s 2>&1 | FileCheck %s
// vfork-misuse is the one report for a vfork child: the other child-path checks (unsafe calls
// included, with threads assumed) stay out of it.
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-missing-wait -fplugin-arg-fork-hazard-threads=yes -Xclang -verify %s
// Cases ported from clang's test/Analysis/vfork.c (unix.Vfork) are marked "unix.Vfork"; there
// each problem is its own warning on its own path, here one warning per vfork lists them all.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

void foo(void);
extern int counter;

// unix.Vfork f1: the child may overwrite pid, exec and _exit; not assign, call or return.
int f1(int x) {
  pid_t pid = vfork(); // expected-note {{the child process is created here by 'vfork'}}
  if (pid != 0) // expected-note {{'pid != 0' is false in the child process}}
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
    foo(); // expected-note {{the child also calls 'foo' here}}
    break;
  default:
    return 0; // expected-note {{the child also returns from 'f1' into the parent's stack frame here}}
  }
  while (1)
    ;
}
// CHECK: vfork-misuse.c:{{[0-9]+}}:5: warning: the child of 'vfork' assigns to 'x', which the parent sees, while it shares the parent's memory and stack; only an exec function or '_exit' may follow 'vfork' [fork-hazard-vfork-misuse]
// CHECK: vfork-misuse.c:{{[0-9]+}}:15: note: the child process is created here by 'vfork'
// CHECK: vfork-misuse.c:{{[0-9]+}}:7: note: 'pid != 0' is false in the child process
// CHECK: vfork-misuse.c:{{[0-9]+}}:5: note: the child also calls 'foo' here

// unix.Vfork f2: the same without a test of the pid: both processes run the switch.
int f2(int x) {
  pid_t pid = vfork(); // expected-note {{created here by 'vfork'}}
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
    foo(); // expected-note {{the child also calls 'foo' here}}
    break;
  default:
    return 0; // expected-note {{the child also returns from 'f2' into the parent's stack frame here}}
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
