// unsafe-call-in-child in C++: std::string construction, new, throw, std::cout in the child of
// a program that starts a std::thread.
// RUN: %clang_fh_cxx -std=c++17 -fplugin-arg-fork-hazard-checks=-*,unsafe-call-in-child -Xclang -verify %s
#include <iostream>
#include <stdexcept>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

void background();

void start() {
  std::thread worker(background); // expected-note 7 {{threads are created here}}
  worker.detach();
}

void child_work(const char *name) {
  pid_t pid = fork(); // expected-note 5 {{the child process is created here}}
  if (pid == 0) { // expected-note 5 {{'pid == 0' is true in the child process}}
    std::string copy(name); // expected-warning {{constructing a 'std::string' allocates and is not async-signal-safe; in a multithreaded program the child of fork() can deadlock here if another thread held the allocator's lock}}
    int *numbers = new int[4]; // expected-warning {{'new' allocates and is not async-signal-safe; in a multithreaded program the child of fork() can deadlock here if another thread held the allocator's lock}}
    std::cout << copy; // expected-warning {{'operator<<' is not async-signal-safe; in a multithreaded program the child of fork() can deadlock here if another thread held a stdio lock}}
    if (numbers[0] < 0)
      throw std::runtime_error("bad"); // expected-warning {{throwing an exception allocates it and is not async-signal-safe}}
    delete[] numbers; // expected-warning {{'delete' allocates and is not async-signal-safe}}
    _exit(0);
  }
}

// A child that only execs (arguments prepared before the fork) is fine.
void prepared(const std::vector<std::string> &command) {
  std::vector<char *> argv;
  for (const std::string &word : command)
    argv.push_back(const_cast<char *>(word.c_str()));
  argv.push_back(nullptr);
  char **raw = argv.data();
  if (fork() == 0) {
    execv(raw[0], raw);
    _exit(127);
  }
}

// A library object destroyed at the end of its scope in the child frees memory; an object the
// child constructed is one report (the construction), not two.
void destroyed_in_child(std::vector<int> &shared) {
  if (fork() == 0) { // expected-note {{the child process is created here}} expected-note {{'fork() == 0' is true in the child process}}
    {
      std::vector<int> copy = shared; // expected-warning {{constructing a 'std::vector<int>' allocates}}
    }
    {
      std::vector<int> moved(static_cast<std::vector<int> &&>(shared)); // the same type: reported once
    }
    _exit(0);
  }
}

struct Guard {
  ~Guard() { std::cout << "bye"; } // expected-note {{its destructor calls 'operator<<', not async-signal-safe}}
};

void guard_in_child(Guard *outer) {
  if (fork() == 0) { // expected-note {{created here}} expected-note {{true in the child}}
    {
      Guard guard; // expected-note {{'guard' is declared here}}
    } // expected-warning {{destroying 'guard' (a 'Guard') at the end of its scope is not async-signal-safe}}
    _exit(0);
  }
}
