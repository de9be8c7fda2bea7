// missing-wait in C++: a pid handed to an object (the lecture's "a type whose destructor calls
// wait"), a container or a lambda escapes; a method that forks and forgets does not.
// RUN: %clang_fh_cxx -std=c++17 -fplugin-arg-fork-hazard-checks=-*,missing-wait -Xclang -verify %s
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <functional>
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

std::function<void()> captured_in_lambda() {
  pid_t pid = fork();
  if (pid == 0)
    _exit(0);
  return [pid] { waitpid(pid, nullptr, 0); };
}

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
