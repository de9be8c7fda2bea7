#include <stdio.h>
#include <sys/types.h>
#include <unistd.h>

void log_child(pid_t pid);
void remember_child(pid_t pid);
void await_child(pid_t pid);
void wait_until(pid_t pid);

static void work(void) { write(1, "work\n", 5); }

static void print_pid(pid_t pid) { printf("child %d\n", (int)pid); }

void spawn_logged(void) {
  for (;;) {
    pid_t pid = fork();
    if (pid == 0) {
      work();
      _exit(0);
    }
    log_child(pid);
  }
}

void spawn_printed(void) {
  for (;;) {
    pid_t pid = fork();
    if (pid == 0) {
      work();
      _exit(0);
    }
    print_pid(pid);
  }
}

void spawn_remembered(void) {
  for (;;) {
    pid_t pid = fork();
    if (pid == 0) {
      work();
      _exit(0);
    }
    remember_child(pid);
  }
}

void spawn_awaited(void) {
  for (;;) {
    pid_t pid = fork();
    if (pid == 0) {
      work();
      _exit(0);
    }
    log_child(pid);
    await_child(pid);
  }
}

void spawn_waited_until(void) {
  for (;;) {
    pid_t pid = fork();
    if (pid == 0) {
      work();
      _exit(0);
    }
    wait_until(pid);
  }
}
