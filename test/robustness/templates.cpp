// Templates around fork: a hazard in a function template is reported once (at the template's
// source, however many instantiations), dependent code that is never instantiated is not
// analyzed, and generic lambdas, variadic templates, class templates and constexpr-if do not crash.
// RUN: %clang_fh_cxx -std=c++17 -Xclang -verify %s
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

void work();

template <typename T> void spawn_all(T n) {
  for (T i = 0; i < n; ++i) // expected-note {{continues this loop}}
    if (fork() == 0)        // expected-warning {{goes back around the loop}} expected-note {{true in the child}}
      work();
  while (wait(nullptr) > 0) {
  }
}
template void spawn_all<int>(int);
template void spawn_all<long>(long);

// Never instantiated: a dependent body is not analyzed.
template <typename T> void never_used(T n) {
  while (n--)
    if (fork() == 0)
      T::work();
}

// A template fork wrapper and its callers.
template <typename Pid> Pid fork_as() { return static_cast<Pid>(fork()); }
void uses_wrapper() {
  pid_t p = fork_as<pid_t>();
  if (p == 0) {
    work();
    _exit(0);
  }
  if (p > 0)
    waitpid(p, nullptr, 0);
}

// Variadic template, fold expression, constexpr if.
template <typename... F> void run_each(F... f) {
  (([&] {
     pid_t p = fork();
     if (p == 0) {
       f();
       _exit(0);
     }
     if (p > 0)
       waitpid(p, nullptr, 0);
   }()),
   ...);
}
template <bool Wait> void maybe_wait(pid_t p) {
  if constexpr (Wait)
    waitpid(p, nullptr, 0);
}
void variadic() {
  run_each(work, work, [] { work(); });
  // Both processes go on: the child returns into the caller (the -1 passed into maybe_wait is not
  // followed across the call).
  maybe_wait<true>(fork()); // expected-note {{created here}}
} // expected-warning {{reaches the end of 'variadic'}}

// A class template whose member forks; a generic lambda.
template <typename T> struct Pool {
  T jobs;
  void start() {
    for (int i = 0; i < jobs; ++i) { // expected-note {{continues this loop}}
      pid_t pid = fork();            // expected-warning {{goes back around the loop}}
      if (pid == 0)                  // expected-note {{true in the child}}
        work();
    }
    while (wait(nullptr) > 0) {
    }
  }
};
template struct Pool<int>;

void generic_lambda() {
  auto spawn = [](auto code) {
    pid_t p = fork();
    if (p == 0)
      _exit(code);
    return p;
  };
  pid_t p = spawn(3);
  if (p > 0)
    waitpid(p, nullptr, 0);
}
