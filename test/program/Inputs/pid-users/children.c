// What the functions main.c hands a child's pid to do with it: only log it (the child is still
// nobody's to reap), keep it in a table, reap it, or test it while reaping any child.
#include <stdio.h>
#include <sys/types.h>
#include <sys/wait.h>

static pid_t children[64];
static int child_count;

void log_child(pid_t pid) {
  if (pid > 0)
    fprintf(stderr, "started child %d\n", (int)pid);
}

void remember_child(pid_t pid) { children[child_count++ % 64] = pid; }

void await_child(pid_t pid) { waitpid(pid, NULL, 0); }

void wait_until(pid_t pid) {
  while (wait(NULL) != pid)
    continue;
}
