// Shared tails: a parent that goes on past a later fork with no variable of its own fork's
// result still read is, from there on, one of that fork's parent-side processes; its analysis
// takes what it does next from that fork's walk instead of walking the rest of the function
// again (many forks in one function stay linear). What each check sees must not change: the
// events of the tail (a return, a loop back to the fork, a wait), the statements (a helper
// that reaps), the notes on the path through later forks, and what the first parent alone
// knows (a flag it set) must still decide its branches after the later fork.
// RUN: %clang_fh -Xclang -verify %s
// RUN: %clang_fh -DREAPER -Xclang -verify=reaper %s
// RUN: %clang_fh %s 2>&1 | FileCheck %s

#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
void work(int);
void helper(void);

#ifdef REAPER
static void reap_all(void) {
  while (wait(NULL) > 0)
    ;
}

// The parent of the first fork reaps in a helper it calls after the second fork.
void serve_then_reap(void) {
  for (;;) {
    pid_t a = fork();
    if (a == 0) { work(1); _exit(0); }
    pid_t b = fork();
    if (b == 0) { work(2); _exit(0); }
    reap_all();
  }
}
// reaper-no-diagnostics
#else

// Each parent returns after the later fork: the return is in the second fork's walk.
int spawn_two_and_return(void) {
  // CHECK: [[@LINE+1]]:13: warning: the child created by 'fork' is never waited for
  pid_t a = fork(); // expected-warning {{never waited for}}
  // CHECK: [[@LINE+1]]:7: note: 'a == 0' is false in the parent process
  if (a == 0) { work(1); _exit(0); } // expected-note {{'a == 0' is false in the parent}}
  // CHECK: [[@LINE+4]]:3: note: the parent process returns from 'spawn_two_and_return' into its caller here
  // CHECK: [[@LINE+1]]:13: warning: the child created by 'fork' is never waited for
  pid_t b = fork(); // expected-warning {{never waited for}}
  if (b == 0) { work(2); _exit(0); } // expected-note {{'b == 0' is false in the parent}}
  return 0; // expected-note 2 {{returns from 'spawn_two_and_return'}}
}

// The first parent goes round the loop through the second fork's walk, without a wait.
void loop_two(void) {
  // CHECK: [[@LINE+3]]:15: warning: the child created by 'fork' is never waited for
  // CHECK: [[@LINE+1]]:3: note: the parent process goes round this loop and forks again without waiting
  for (;;) { // expected-note {{goes round this loop}}
    pid_t a = fork(); // expected-warning {{never waited for}}
    if (a == 0) { work(1); _exit(0); } // expected-note {{'a == 0' is false in the parent}}
    pid_t b = fork(); // expected-note {{returns -1 when it fails}}
    if (b == 0) { work(2); _exit(0); } // expected-note {{'b == 0' is false when the fork fails}}
    waitpid(b, 0, 0); // expected-warning {{'b' is -1 here}}
  }
}

// Only the first fork's parent has is_parent == 1, and it ends after the second fork: it never
// returns, so the child that returns 0 is the process meant to go on (no child-escape), and the
// first child is reaped by init (no missing-wait for the first fork). The second fork's own
// parent may be the one whose first fork failed, which returns -1 without waiting.
int serve_in_child(void) {
  int is_parent = 0;
  pid_t a = fork();
  if (a == 0)
    return 0;
  if (a > 0)
    is_parent = 1;
  pid_t b = fork(); // expected-warning {{never waited for}}
  if (b == 0) { helper(); _exit(0); } // expected-note {{'b == 0' is false in the parent}}
  if (is_parent)
    _exit(0);
  return -1; // expected-note {{returns from 'serve_in_child'}}
}
#endif
