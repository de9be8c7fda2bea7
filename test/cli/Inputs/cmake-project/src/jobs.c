#include "logger.h"

/* Correct: the child execs or exits, the parent waits. */
int run_job(char *const argv[]) {
  pid_t logger = start_logger();
  pid_t pid = fork();
  if (pid < 0)
    return -1;
  if (pid == 0) {
    execvp(argv[0], argv);
    _exit(127);
  }
  int status;
  waitpid(pid, &status, 0);
  waitpid(logger, NULL, 0);
  return status;
}
