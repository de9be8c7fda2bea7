#include <sys/wait.h>
#include <unistd.h>

void risky(int n);
void careful(int n);

void spawn_risky(int n) {
  pid_t pid = fork();
  if (pid == 0) {
    risky(n); // an exception carries the child out of its code, into the caller's
    _exit(0);
  }
  if (pid > 0)
    waitpid(pid, 0, 0);
}

void spawn_catching(int n) {
  pid_t pid = fork();
  if (pid == 0) {
    try {
      risky(n);
    } catch (...) {
      _exit(1); // the child ends whatever happens
    }
    _exit(0);
  }
  if (pid > 0)
    waitpid(pid, 0, 0);
}

void spawn_careful(int n) {
  pid_t pid = fork();
  if (pid == 0) {
    careful(n); // never lets an exception out
    _exit(0);
  }
  if (pid > 0)
    waitpid(pid, 0, 0);
}

void relay_risky(int n);
void relay_guarded(int n);
void relay_noexcept(int n);

// Two files away: relay_risky (relay.cpp) passes on what risky (risky.cpp) throws.
void spawn_relayed(int n) {
  pid_t pid = fork();
  if (pid == 0) {
    relay_risky(n);
    _exit(0);
  }
  if (pid > 0)
    waitpid(pid, 0, 0);
}

void spawn_relayed_safely(int n) {
  pid_t pid = fork();
  if (pid == 0) {
    relay_guarded(n);
    relay_noexcept(n);
    _exit(0);
  }
  if (pid > 0)
    waitpid(pid, 0, 0);
}
