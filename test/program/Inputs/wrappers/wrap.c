#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Returns fork's result in both processes and exits when it fails. */
pid_t xfork(void) {
  pid_t pid = fork();
  if (pid < 0) {
    perror("fork");
    exit(1);
  }
  return pid;
}

/* Returns fork's result as it is, -1 included. */
pid_t raw_fork(void) { return fork(); }
