#include <sys/wait.h>
#include <unistd.h>

/* This file's own cleanup returns: a.c's, which ends the process, is another function. */
static int cleaned;
static void cleanup(void) { cleaned = 1; }

void spawn(void) {
  pid_t pid = fork();
  if (pid == 0)
    cleanup();
  if (pid > 0)
    waitpid(pid, 0, 0);
}
