// -fplugin-arg-fork-hazard-exit-functions names functions defined elsewhere that end the
// process; the analysis treats a call to one like _exit. Plain or qualified names.
// RUN: %clang_fh_cxx -fplugin-arg-fork-hazard-checks=-missing-wait -Xclang -verify=unknown %s
// RUN: %clang_fh_cxx -fplugin-arg-fork-hazard-checks=-missing-wait -fplugin-arg-fork-hazard-exit-functions=die,util::fatal -Xclang -verify=known %s
// RUN: %clang_fh_cxx -fplugin-arg-fork-hazard-checks=-missing-wait '-fplugin-arg-fork-hazard-exit-functions= die , util::fatal ' -Xclang -verify=known %s
// A name that is not the function's does not count.
// RUN: %clang_fh_cxx -fplugin-arg-fork-hazard-checks=-missing-wait -fplugin-arg-fork-hazard-exit-functions=fatal,other::die -Xclang -verify=partly %s
// known-no-diagnostics
#include <unistd.h>

void die(const char *why);
namespace util {
void fatal(int code);
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
  if (fork() == 0) { // unknown-note {{created here}} unknown-note {{true in the child}}
    work();
    util::fatal(0);
  }
  return 0; // unknown-warning {{returns from 'child_fatal'}}
}
