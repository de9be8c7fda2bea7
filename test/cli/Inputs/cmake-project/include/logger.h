/* A shared header with a hazard: both server.c and jobs.c include it, and the finding in it
   must be reported once. */
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static inline pid_t start_logger(void) {
  pid_t pid = fork();
  if (pid == 0) {
    write(1, "logger\n", 7);
    exit(0);
  }
  return pid;
}
