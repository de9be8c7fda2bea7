// -fplugin-arg-fork-hazard-exit-functions names functions defined elsewhere that end the
// process; the analysis treats a call to one like _exit. Plain or qualified names.
// RUN: %clang_fh_cxx -fplugin-arg-fork-hazard-checks=-missing-wait -Xclang -verify=unknown %s
// RUN: %clang_fh_cxx -fplugin-arg-fork-hazard-checks=-missing-wait -fplugin-arg-fork-hazard-exit-functions=die,util::fatal -Xclang -verify=known %s
// RUN: %clang_fh_cxx -fplugin-arg-fork-hazard-checks=-missing-wait '-fplugin-arg-fork-hazard-exit-functions= die , util::fatal ' -Xclang -verify=known %s
// A name that is not the function's does not count.
// RUN: %clang_fh_cxx -fplugin-arg-fork-hazard-checks=-missing-wait -fplugin-arg-fork-hazard-exit-functions=fatal,other::die -Xclang -verify=partly %s
// How each one ends: 'name' or 'name:_exit' like _exit, 'name:exit' through exit(), which runs
// the atexit handlers, so exit-in-child reports a child calling it.
// RUN: %clang_fh_cxx -fplugin-arg-fork-hazard-checks=-missing-wait -fplugin-arg-fork-hazard-exit-functions=die:_exit,util::fatal:exit -Xclang -verify=exits %s
// fork-functions names functions defined elsewhere that return fork's result, qualified too.
// RUN: %clang_fh_cxx -fplugin-arg-fork-hazard-checks=-missing-wait -fplugin-arg-fork-hazard-exit-functions=die,util::fatal -fplugin-arg-fork-hazard-fork-functions=proc::spawn -Xclang -verify=spawn %s
// RUN: %clang_fh_cxx -fplugin-arg-fork-hazard-checks=-missing-wait -fplugin-arg-fork-hazard-exit-functions=die,util::fatal -fplugin-arg-fork-hazard-fork-functions=spawn -Xclang -verify=spawn %s
// RUN: %clang_fh_cxx -fplugin-arg-fork-hazard-checks=-missing-wait -fplugin-arg-fork-hazard-exit-functions=die,util::fatal -fplugin-arg-fork-hazard-fork-functions=other::spawn -Xclang -verify=known %s
// known-no-diagnostics
#include <sys/types.h>
#include <unistd.h>

void die(const char *why);
namespace util {
void fatal(int code);
}
namespace proc {
pid_t spawn();
}
void work();

int child_dies() {
  if (fork() == 0) { // unknown-note {{created here}} unknown-note {{true in the child}} partly-note {{created here}} partly-note {{true in the child}}
    work();
    die("finished");
  }
  return 0; // unknown-warning {{returns from 'child_dies'}} partly-warning {{returns from 'child_dies'}}
}

int child_fatal() {
  if (fork() == 0) { // unknown-note {{created here}} unknown-note {{true in the child}} exits-note {{created here}} exits-note {{true in the child}}
    work();
    util::fatal(0); // exits-warning {{the child process calls 'fatal', which ends it with 'exit' and runs the parent's atexit handlers}}
  }
  return 0; // unknown-warning {{returns from 'child_fatal'}}
}

int child_spawned() {
  if (proc::spawn() == 0) { // spawn-note {{the child process is created here (by 'spawn', a fork function named in fork-functions)}} spawn-note {{'proc::spawn() == 0' is true in the child process}}
    work();
  }
  return 0; // spawn-warning {{the child process returns from 'child_spawned' into its caller}}
}
