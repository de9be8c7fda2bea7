// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,vfork-misuse -Xclang -verify %s
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,vfork-misuse %s 2>&1 | FileCheck %s
// vfork-misuse is the one report for a vfork child: the other child-path checks stay out of it.
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-missing-wait -Xclang -verify %s
// Cases ported from clang's test/Analysis/vfork.c (unix.Vfork) are marked "unix.Vfork".
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

void foo(void);
int helper_value(void);
extern int counter;

// unix.Vfork: returning in the child; calling a function; assigning a variable.
int returns_in_child(int x) {
  pid_t pid = vfork(); // expected-note {{the child process is created here by 'vfork'}}
  if (pid != 0) // expected-note {{'pid != 0' is false in the child process}}
    return 0;
  return x; // expected-warning {{the child of 'vfork' returns from 'returns_in_child' into the parent's stack frame while it shares the parent's memory and stack; only an exec function or '_exit' may follow 'vfork'}}
}
// CHECK: vfork-misuse.c:{{[0-9]+}}:3: warning: the child of 'vfork' returns from 'returns_in_child' into the parent's stack frame while it shares the parent's memory and stack; only an exec function or '_exit' may follow 'vfork' [fork-hazard-vfork-misuse]
// CHECK: note: the child process is created here by 'vfork'

void calls_function(void) {
  if (vfork() == 0) { // expected-note {{created here by 'vfork'}} expected-note {{'vfork() == 0' is true in the child process}}
    foo(); // expected-warning {{the child of 'vfork' calls 'foo' while it shares}}
    _exit(1);
  }
}

void assigns(int x) {
  pid_t pid = vfork(); // expected-note {{created here}}
  if (pid == 0) { // expected-note {{true in the child}}
    counter = x; // expected-warning {{the child of 'vfork' assigns to 'counter', which the parent sees}}
    x++; // expected-note {{the child also assigns to 'x', which the parent sees here}}
    _exit(1);
  }
}

// Beyond unix.Vfork: exit() (runs the parent's atexit handlers), throwing is in the C++ test,
// falling off the end, a failed exec that carries on, many problems in one report.
void calls_exit(void) {
  if (vfork() == 0) // expected-note {{created here}} expected-note {{true in the child}}
    exit(1); // expected-warning {{the child of 'vfork' calls 'exit', which runs the parent's atexit handlers and flushes its stdio buffers, while it shares}}
}

void falls_off_end(char **argv) {
  if (vfork() == 0) { // expected-note {{created here}} expected-note {{true in the child}}
    execv(argv[0], argv);
  }
} // expected-warning {{the child of 'vfork' reaches the end of 'falls_off_end' while it shares}}

void many(char **argv) {
  pid_t pid = vfork(); // expected-note {{created here}}
  if (pid == 0) { // expected-note {{true in the child}}
    printf("starting\n"); // expected-warning {{calls 'printf'}}
    foo(); // expected-note {{the child also calls 'foo' here}}
    counter++; // expected-note {{the child also assigns to 'counter'}}
    execvp(argv[0], argv);
    perror("execvp"); // expected-note {{the child also calls 'perror' here}}
    _exit(127);
  }
  if (pid > 0)
    waitpid(pid, NULL, 0);
}

int main_returns(void);
int main(int argc, char **argv) {
  if (vfork() == 0) { // expected-note {{created here}} expected-note {{true in the child}}
    execv(argv[0], argv);
    return 127; // expected-warning {{the child of 'vfork' returns from 'main', which calls 'exit', while it shares}}
  }
  return argc;
}

// ---- negatives ----

// unix.Vfork: overwriting pid, exec, _exit are fine.
void allowed(char **argv) {
  pid_t pid = vfork();
  if (pid == 0) {
    pid = 1;
    execl("/bin/true", "true", (char *)0);
    execve(argv[0], argv, NULL);
    _exit(127);
  }
  if (pid > 0)
    waitpid(pid, NULL, 0);
}

void only_exit(void) {
  if (vfork() == 0)
    _Exit(1);
}

// What the parent (and the failed vfork, -1) does is not the child's.
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

// __builtin_expect is not a call.
void builtin_in_child(char **argv) {
  if (__builtin_expect(vfork() == 0, 0)) {
    execv(argv[0], argv);
    _exit(127);
  }
}
