// vfork-misuse in C++: throwing in the child unwinds the parent's stack (unix.Vfork misses it);
// constructors, new, delete and destructors run code on the parent's heap and stack.
// RUN: %clang_fh_cxx -std=c++17 -fplugin-arg-fork-hazard-checks=-*,vfork-misuse -Xclang -verify %s
// RUN: %clang_fh_cxx -std=c++17 -fplugin-arg-fork-hazard-checks=-*,vfork-misuse %s 2>&1 | FileCheck %s
#include <new>
#include <stdexcept>
#include <string>
#include <sys/types.h>
#include <unistd.h>

struct Guard {
  Guard();
  ~Guard();
};
struct Plain {
  int fd;
};

void throws(char **argv) {
  pid_t pid = vfork(); // expected-note {{created here by 'vfork'}}
  if (pid == 0) { // expected-note {{'pid == 0' is true in the child process}}
    execv(argv[0], argv);
    throw std::runtime_error("exec failed"); // expected-warning {{the child of 'vfork' throws an exception, which unwinds the parent's stack frames, while it shares the parent's memory and stack}} expected-note {{the child also constructs an object of type 'std::runtime_error' here}}
  }
}
// CHECK: vfork-misuse.cpp:{{[0-9]+}}:5: warning: the child of 'vfork' throws an exception, which unwinds the parent's stack frames, while it shares the parent's memory and stack; only an exec function or '_exit' may follow 'vfork' [fork-hazard-vfork-misuse]

void constructs(char **argv) {
  if (vfork() == 0) { // expected-note {{created here by 'vfork'}} expected-note {{true in the child}}
    std::string path = argv[0]; // expected-warning {{the child of 'vfork' constructs an object of type 'std::string', which runs its constructor, while it shares}}
    execv(path.c_str(), argv); // expected-note {{the child also calls 'c_str' here}}
    _exit(127);
  }
}

void allocates(char **argv) {
  if (vfork() == 0) { // expected-note {{created here by 'vfork'}} expected-note {{true in the child}}
    char **copy = new char *[2]; // expected-warning {{the child of 'vfork' initializes 'copy'}} expected-note {{the child also allocates memory with 'new' here}}
    delete[] copy; // expected-note {{the child also frees memory with 'delete' here}}
    _exit(1);
  }
}

// The child returns: the return and the destructor of a local are both reported, once.
int destroys(int fd) {
  pid_t pid = vfork(); // expected-note {{created here by 'vfork'}}
  if (pid == 0) { // expected-note {{true in the child}}
    Guard guard; // expected-warning {{the child of 'vfork' constructs an object of type 'Guard'}}
    return fd; // expected-note {{the child also returns from 'destroys' into the parent's stack frame here}} expected-note {{the child also destroys 'guard' here}}
  }
  return 0;
}

void calls_lambda(char **argv) {
  auto run = [argv] { execv(argv[0], argv); };
  if (vfork() == 0) { // expected-note {{created here by 'vfork'}} expected-note {{true in the child}}
    run(); // expected-warning {{the child of 'vfork' calls a lambda while it shares}}
    _exit(127);
  }
}

// Two paths after a failed exec, each wrong in its own way: two warnings. The exception the
// throw constructs is part of the throw.
void two_paths(char **argv, bool quiet) {
  if (vfork() == 0) { // expected-note 2 {{created here by 'vfork'}} expected-note 2 {{true in the child}}
    execv(argv[0], argv);
    if (quiet)
      throw std::runtime_error("exec failed"); // expected-warning {{the child of 'vfork' throws an exception}} expected-note {{the child also constructs an object of type 'std::runtime_error' here}}
    std::string message = "cannot run"; // expected-warning {{the child of 'vfork' constructs an object of type 'std::string'}}
    _exit(127);
  }
}
// CHECK: vfork-misuse.cpp:[[@LINE-5]]:7: warning: the child of 'vfork' throws an exception
// CHECK: vfork-misuse.cpp:[[@LINE-5]]:27: warning: the child of 'vfork' constructs an object of type 'std::string'

// ---- negatives ----

void fine(char **argv) {
  if (vfork() == 0) {
    execv(argv[0], argv);
    _exit(127);
  }
}

// Trivial constructors and placement new run no code of their own.
void trivial(char **argv) {
  static Plain buffer;
  pid_t pid = vfork();
  if (pid == 0) {
    new (&buffer) Plain;
    execv(argv[0], argv);
    _exit(127);
  }
}
