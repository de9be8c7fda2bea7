// Macros that hide fork(): the fork site and the diagnostics are found through the expansion, the
// locations are the macro's use with "expanded from" notes; no crash, no duplicate.
// RUN: %clang_fh %s 2>&1 | FileCheck %s --implicit-check-not="warning:"
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#define SPAWN() fork()
#define IN_CHILD if (fork() == 0)
#define FORK_LOOP(n) for (int i_ = 0; i_ < (n); i_++) { if (fork() == 0) work(); }
#define fork_twice() (fork(), fork())
#define CHILD_RUNS(f) do { pid_t p_ = fork(); if (p_ == 0) { f(); _exit(0); } waitpid(p_, 0, 0); } while (0)
#define NOTHING
#define PAREN(x) (x)

void work(void);

// A correct child hidden in macros: nothing to say.
void in_child(void) {
  IN_CHILD { work(); _exit(0); }
  wait(0);
}

// The macro waits for the pid without checking for -1: a real finding, reported at the macro's use.
// CHECK: hidden-fork-macros.c:[[@LINE+3]]:3: warning: if 'fork' fails, the pid is -1 here and 'waitpid(-1, ...)' {{.*}}[fork-hazard-unchecked-fork-error]
// CHECK: note: expanded from macro 'CHILD_RUNS'
void whole_pattern(void) {
  CHILD_RUNS(work);
}

// CHECK: hidden-fork-macros.c:[[@LINE+4]]:3: warning: the child process goes back around the loop {{.*}}[fork-hazard-fork-in-loop]
// CHECK: note: expanded from macro 'FORK_LOOP'
// CHECK: note: the child process continues this loop instead of exiting
void loop(void) {
  FORK_LOOP(3);
}

// CHECK: hidden-fork-macros.c:[[@LINE+3]]:3: warning: this 'fork' runs in both the parent and the child {{.*}}[fork-hazard-nested-fork]
// CHECK: hidden-fork-macros.c:[[@LINE+3]]:1: warning: the child process reaches the end of 'twice' {{.*}}[fork-hazard-child-escape]
void twice(void) {
  fork_twice();
}

// The pid through a macro and parentheses: checked like plain code.
void spelled(void) {
  pid_t p = PAREN(SPAWN() NOTHING);
  if (PAREN(p) == 0) {
    work();
    _exit(0);
  }
  if (p > 0)
    waitpid(p, 0, 0);
}

// A call through a function pointer is not a fork site: no diagnostic, no crash.
void through_pointer(void) {
  pid_t (*f)(void) = fork;
  if (f() == 0)
    work();
}

// CHECK: 4 warnings generated.
