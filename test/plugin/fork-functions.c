// fork-functions names the project's fork wrappers defined in another file (bash's make_child,
// a server's fork_child that sets up logging and returns fork's result): a call to one is a fork
// site like fork(). This file calls nothing else that forks, so without the option the pre-scan
// skips it. exit-functions says how the project's own enders end: 'name' (or 'name:_exit') like
// _exit, 'name:exit' through exit(), which runs the atexit handlers.
//
// RUN: %clang_fh -Xclang -verify=unknown %s
// RUN: %clang_fh -fplugin-arg-fork-hazard-stats %s 2>&1 | FileCheck --check-prefix=SKIPPED %s
// SKIPPED: fork-functions.c: no fork-family call, not analyzed
// RUN: %clang_fh -fplugin-arg-fork-hazard-fork-functions=make_child,fork_child -fplugin-arg-fork-hazard-exit-functions=die,cleanup:exit -Xclang -verify=known,exits %s
// RUN: %clang_fh '-fplugin-arg-fork-hazard-fork-functions= make_child , fork_child ' '-fplugin-arg-fork-hazard-exit-functions=die:_exit, cleanup : exit' -Xclang -verify=known,exits %s
// RUN: %clang_fh -fplugin-arg-fork-hazard-fork-functions=make_child,fork_child -fplugin-arg-fork-hazard-exit-functions=die:_exit,cleanup -Xclang -verify=known %s
// RUN: %clang_fh -fplugin-arg-fork-hazard-fork-functions=make_child,fork_child -fplugin-arg-fork-hazard-exit-functions=die,cleanup:exit %s 2>&1 | FileCheck %s
// unknown-no-diagnostics

#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

extern pid_t make_child(void); // known-note {{'make_child' returns the pid of the child it creates}}
pid_t fork_child(const char *name);
void die(const char *why);
void cleanup(int code);
void run_job(void);

// bash: the child of make_child runs the job and ends with exit().
void start_job(void) {
  pid_t pid = make_child(); // known-note {{the child process is created here (by 'make_child', a fork function named in fork-functions)}}
  if (pid == 0) { // known-note {{'pid == 0' is true in the child process}}
    run_job();
    exit(0); // known-warning {{the child process calls 'exit'}}
  }
  if (pid > 0)
    waitpid(pid, NULL, 0);
}
// CHECK: fork-functions.c:[[@LINE-5]]:5: warning: the child process calls 'exit', which {{.*}} [fork-hazard-exit-in-child]
// CHECK: fork-functions.c:[[@LINE-9]]:15: note: the child process is created here (by 'make_child', a fork function named in fork-functions)

// The child of `if (make_child() == 0)` returns into the caller's code; the parent never waits.
int serve(void) {
  if (make_child() == 0) // known-warning {{the child created by 'make_child' is never waited for}} known-note {{created here (by 'make_child'}} known-note {{false in the parent}} known-note {{true in the child}}
    run_job();
  return 0; // known-warning {{the child process returns from 'serve' into its caller}} known-note {{the parent process returns from 'serve'}}
}

// die() ends the child like _exit; the failed fork_child reaches waitpid with -1.
void start_worker(void) {
  pid_t pid = fork_child("worker"); // known-note {{'fork_child' returns -1 when the fork in it fails}}
  if (pid == 0) { // known-note {{'pid == 0' is false when the fork fails}}
    run_job();
    die("done");
  }
  waitpid(pid, NULL, 0); // known-warning {{if 'fork_child' fails, 'pid' is -1 here and 'waitpid(-1, ...)' waits for any child}}
}

// cleanup:exit ends the child through exit(); plain cleanup (or cleanup:_exit) like _exit.
void start_cleaner(void) {
  pid_t pid = make_child(); // exits-note {{created here (by 'make_child'}}
  if (pid == 0) // exits-note {{'pid == 0' is true in the child process}}
    cleanup(0); // exits-warning {{the child process calls 'cleanup', which ends it with 'exit' and runs the parent's atexit handlers}}
  if (pid > 0)
    waitpid(pid, NULL, 0);
}
