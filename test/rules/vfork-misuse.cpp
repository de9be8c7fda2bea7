// vfork-misuse in C++: throwing in the child unwinds the parent's stack (unix.Vfork misses it).
// RUN: %clang_fh_cxx -fplugin-arg-fork-hazard-checks=-*,vfork-misuse -Xclang -verify %s
#include <stdexcept>
#include <sys/types.h>
#include <unistd.h>

void run(char **argv) {
  pid_t pid = vfork(); // expected-note {{created here by 'vfork'}}
  if (pid == 0) { // expected-note {{'pid == 0' is true in the child process}}
    execv(argv[0], argv);
    throw std::runtime_error("exec failed"); // expected-warning {{the child of 'vfork' throws an exception while it shares the parent's memory and stack}}
  }
}

void fine(char **argv) {
  if (vfork() == 0) {
    execv(argv[0], argv);
    _exit(127);
  }
}
