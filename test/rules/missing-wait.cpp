// missing-wait in C++: a pid handed to an object (the lecture's "a type whose destructor calls
// wait"), a container or a lambda escapes; a method that forks and forgets does not.
// RUN: %clang_fh_cxx -std=c++17 -fplugin-arg-fork-hazard-checks=-*,missing-wait -Xclang -verify %s
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

void work();

class Child {
public:
  explicit Child(pid_t pid) : pid_(pid) {}
  ~Child() { waitpid(pid_, nullptr, 0); }

private:
  pid_t pid_;
};

void owned_by_object() {
  pid_t pid = fork();
  if (pid == 0) {
    work();
    _exit(0);
  }
  Child child(pid);
}

void kept_in_vector(std::vector<pid_t> &children) {
  pid_t pid = fork();
  if (pid == 0)
    _exit(0);
  children.push_back(pid);
}

void moved_into_vector(std::vector<pid_t> &children) {
  pid_t pid = fork();
  if (pid == 0)
    _exit(0);
  children.push_back(std::move(pid));
}

std::unique_ptr<Child> owned_on_the_heap() {
  pid_t pid = fork();
  if (pid == 0)
    _exit(0);
  return std::make_unique<Child>(pid);
}

std::function<void()> captured_in_lambda() {
  pid_t pid = fork();
  if (pid == 0)
    _exit(0);
  return [pid] { waitpid(pid, nullptr, 0); };
}

// Waiting for a different child is not waiting for this one.
class Pair {
public:
  void start() {
    first_ = fork();
    if (first_ == 0)
      _exit(0);
    pid_t second = fork(); // expected-warning {{the child created by 'fork' is never waited for}}
    if (second == 0) // expected-note {{'second == 0' is false in the parent process}}
      _exit(0);
    pid_t other = first_;
    waitpid(other, nullptr, 0);
  } // expected-note {{the parent process reaches the end of 'start'}}

private:
  pid_t first_ = 0;
};

class Spawner {
public:
  void start() {
    if (fork() == 0) { // expected-warning {{the child created by 'fork' is never waited for}} expected-note {{'fork() == 0' is false in the parent process}}
      work();
      _exit(0);
    }
    ++started_;
  } // expected-note {{the parent process reaches the end of 'start'}}

private:
  int started_ = 0;
};
