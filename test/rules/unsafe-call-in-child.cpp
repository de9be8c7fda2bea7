// unsafe-call-in-child in C++: std::string construction, new, delete, throw, std::cout, locks,
// destructors at the end of a scope, helpers that are classes and lambdas, in the child of a
// program that starts threads; library operations that neither allocate nor lock stay silent.
// RUN: %clang_fh_cxx -std=c++17 -fplugin-arg-fork-hazard-checks=-*,unsafe-call-in-child -Xclang -verify %s
// RUN: %clang_fh_cxx -std=c++17 -fno-caret-diagnostics -fplugin-arg-fork-hazard-checks=-*,unsafe-call-in-child %s 2>&1 | FileCheck %s
// The evidence can be a container of threads, std::make_unique<std::thread>, std::async or (C++20)
// std::jthread; a default-constructed std::thread starts nothing.
// RUN: %clang_fh_cxx -std=c++17 -DEVIDENCE=2 -fplugin-arg-fork-hazard-checks=-*,unsafe-call-in-child -Xclang -verify %s
// RUN: %clang_fh_cxx -std=c++17 -DEVIDENCE=3 -fplugin-arg-fork-hazard-checks=-*,unsafe-call-in-child -Xclang -verify %s
// RUN: %clang_fh_cxx -std=c++17 -DEVIDENCE=4 -fplugin-arg-fork-hazard-checks=-*,unsafe-call-in-child -Xclang -verify %s
// RUN: %clang_fh_cxx -std=c++20 -DEVIDENCE=5 -fplugin-arg-fork-hazard-checks=-*,unsafe-call-in-child -Xclang -verify %s
// RUN: %clang_fh_cxx -std=c++17 -DEVIDENCE=6 -fplugin-arg-fork-hazard-checks=-*,unsafe-call-in-child -Xclang -verify=nothreads %s
// nothreads-no-diagnostics
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <future>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <stdexcept>
#include <string>
#include <string_view>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

void background();
int compute();

#ifndef EVIDENCE
#define EVIDENCE 1
#endif
void start() {
#if EVIDENCE == 1
  std::thread worker(background); // expected-note 13 {{threads are created here}}
  worker.detach();
#elif EVIDENCE == 2
  std::vector<std::thread> pool;
  pool.emplace_back(background); // expected-note 13 {{threads are created here}}
#elif EVIDENCE == 3
  auto worker = std::make_unique<std::thread>(background); // expected-note 13 {{threads are created here}}
#elif EVIDENCE == 4
  auto result = std::async(std::launch::async, compute); // expected-note 13 {{threads are created here}}
#elif EVIDENCE == 5
  std::jthread worker(background); // expected-note 13 {{threads are created here}}
#else
  std::thread nothing; // no thread runs
#endif
}

std::mutex table_mutex;

void child_work(const char *name) {
  pid_t pid = fork(); // expected-note 6 {{the child process is created here}}
  if (pid == 0) { // expected-note 6 {{'pid == 0' is true in the child process}}
    std::string copy(name); // expected-warning {{constructing a 'std::string' allocates and is not async-signal-safe; in a multithreaded program the child of fork() can deadlock here if another thread held the allocator's lock}}
    int *numbers = new int[4]; // expected-warning {{'new' allocates and is not async-signal-safe; in a multithreaded program the child of fork() can deadlock here if another thread held the allocator's lock}}
    std::cout << copy; // expected-warning {{'operator<<' is not async-signal-safe; in a multithreaded program the child of fork() can deadlock here if another thread held a stdio lock}}
    if (numbers[0] < 0)
      throw std::runtime_error("bad"); // expected-warning {{throwing an exception allocates it and is not async-signal-safe}}
    delete[] numbers; // expected-warning {{'delete' frees memory and is not async-signal-safe}}
    std::lock_guard<std::mutex> hold(table_mutex); // expected-warning {{constructing a 'std::lock_guard<std::mutex>' takes a lock and is not async-signal-safe; in a multithreaded program the child of fork() can deadlock here if another thread held this lock}}
    _exit(0);
  }
}
// CHECK: warning: constructing a 'std::string' allocates and is not async-signal-safe; in a multithreaded program the child of fork() can deadlock here if another thread held the allocator's lock [fork-hazard-unsafe-call-in-child]
// CHECK-NEXT: note: the child process is created here
// CHECK-NEXT: note: 'pid == 0' is true in the child process
// CHECK-NEXT: note: threads are created here
// CHECK: warning: 'new' allocates and is not async-signal-safe
// CHECK: warning: 'operator<<' is not async-signal-safe; {{.*}} a stdio lock [fork-hazard-unsafe-call-in-child]
// CHECK: warning: throwing an exception allocates it and is not async-signal-safe
// CHECK: warning: 'delete' frees memory and is not async-signal-safe
// CHECK: warning: constructing a 'std::lock_guard<std::mutex>' takes a lock and is not async-signal-safe

// A library object destroyed at the end of its scope in the child frees its memory.
void vector_destroyed_in_child() {
  if (fork() == 0) { // expected-note 2 {{the child process is created here}} expected-note 2 {{'fork() == 0' is true in the child process}}
    {
      std::vector<int> local; // expected-note {{'local' is declared here}}
      local.push_back(1); // expected-warning {{'std::vector<int>::push_back' is not async-signal-safe; in a multithreaded program the child of fork() can deadlock here if another thread held the allocator's lock}}
    } // expected-warning {{destroying 'local' (a 'std::vector<int>') at the end of its scope frees memory and is not async-signal-safe; in a multithreaded program the child of fork() can deadlock here if another thread held the allocator's lock}}
    _exit(0);
  }
}
// CHECK: :{{[0-9]+}}:5: warning: destroying 'local' (a 'std::vector<int>') at the end of its scope frees memory and is not async-signal-safe; in a multithreaded program the child of fork() can deadlock here if another thread held the allocator's lock [fork-hazard-unsafe-call-in-child]
// CHECK: note: 'local' is declared here

// An object constructed and destroyed in the child is one report (the construction).
void constructed_and_destroyed(const std::vector<long> &shared) {
  if (fork() == 0) { // expected-note {{the child process is created here}} expected-note {{'fork() == 0' is true in the child process}}
    {
      std::vector<long> copy = shared; // expected-warning {{constructing a 'std::vector<long>' allocates}}
    }
    _exit(0);
  }
}

// std::map's operator[] inserts (a vector's does not).
void map_inserts(std::map<int, int> &counts, std::vector<int> &numbers) {
  if (fork() == 0) { // expected-note {{the child process is created here}} expected-note {{'fork() == 0' is true in the child process}}
    numbers[0] = 1;
    counts[1] = 2; // expected-warning {{'operator[]' is not async-signal-safe; in a multithreaded program the child of fork() can deadlock here if another thread held the allocator's lock}}
    _exit(0);
  }
}

// Classes and lambdas of this file are summarized like helpers.
struct Guard {
  ~Guard() { std::cout << "bye"; } // expected-note {{'Guard::~Guard' calls 'operator<<', which is not async-signal-safe}}
};
struct Config {
  std::string name;
  explicit Config(const char *text) : name(text) {} // expected-note {{'Config::Config' constructs a 'std::string', which is not async-signal-safe}}
};
void local_classes(const char *text) {
  if (fork() == 0) { // expected-note 3 {{the child process is created here}} expected-note 3 {{'fork() == 0' is true in the child process}}
    Config config(text); // expected-warning {{'Config::Config' constructs a 'std::string', which is not async-signal-safe; in a multithreaded program the child of fork() can deadlock here if another thread held the allocator's lock}}
    {
      Guard guard; // expected-note {{'guard' is declared here}}
    } // expected-warning {{destroying 'guard' at the end of its scope calls 'operator<<' (via 'Guard::~Guard'), which is not async-signal-safe; in a multithreaded program the child of fork() can deadlock here if another thread held a stdio lock}}
    auto say = [] { std::puts("hi"); }; // expected-note {{the lambda calls 'puts', which is not async-signal-safe}}
    say(); // expected-warning {{the lambda calls 'puts', which is not async-signal-safe}}
    _exit(0);
  }
}
// CHECK: warning: 'Config::Config' constructs a 'std::string', which is not async-signal-safe
// CHECK: warning: destroying 'guard' at the end of its scope calls 'operator<<' (via 'Guard::~Guard'), which is not async-signal-safe
// CHECK: note: 'Guard::~Guard' calls 'operator<<', which is not async-signal-safe
// CHECK: warning: the lambda calls 'puts', which is not async-signal-safe

// ---- negatives ----

// The child only uses what was prepared before the fork: accessors, iteration, atomics, views,
// std::max, moves and placement new neither allocate nor lock.
void prepared(const std::vector<std::string> &command, std::vector<char *> &argv,
              const std::vector<int> &fds, std::string &text) {
  pid_t pid = fork();
  if (pid == 0) {
    for (int fd : fds)
      close(fd);
    std::atomic<int> counter{0};
    counter.fetch_add(1);
    counter = 2;
    std::string_view view("abc");
    std::unique_ptr<int> owner;
    int biggest = std::max(static_cast<int>(view.size()), owner ? *owner : 0);
    alignas(int) unsigned char storage[sizeof(int)];
    new (storage) int(biggest);
    std::string moved = std::move(text);
    if (command.empty() || argv.empty() || moved.empty())
      _exit(2);
    execv(command[0].c_str(), argv.data());
    _exit(127);
  }
  waitpid(pid, nullptr, 0);
}

// After a failed exec the child reports and ends: not checked.
void exec_then_report(char **argv) {
  if (fork() == 0) {
    execvp(argv[0], argv);
    std::cerr << "cannot run " << argv[0] << '\n';
    _exit(127);
  }
}

// Function pointers the child calls that may hold another function than their initializer: a
// parameter (its default argument is only what callers that pass nothing get), a local that a
// lambda reassigns through its capture, one bound to a reference. Not judged as a call to it.
static void log_line() { std::puts("child"); }
static void stay_quiet() {}
void pointer_parameter(void (*report)() = log_line) {
  if (fork() == 0) {
    report();
    _exit(0);
  }
}
void pointer_reset_by_lambda(bool quiet) {
  void (*report)() = log_line;
  auto silence = [&report] { report = stay_quiet; };
  if (quiet)
    silence();
  if (fork() == 0) {
    report();
    _exit(0);
  }
}
void pointer_behind_reference(bool quiet) {
  void (*report)() = log_line;
  void (*&alias)() = report;
  if (quiet)
    alias = stay_quiet;
  if (fork() == 0) {
    report();
    _exit(0);
  }
}
