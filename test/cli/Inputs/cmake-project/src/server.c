#include "logger.h"

void serve(int clients) {
  for (int i = 0; i < clients; i++) {
    pid_t pid = fork();
    if (pid == 0)
      write(1, "child\n", 6); /* falls through: goes round the loop and forks again */
    else if (pid > 0)
      waitpid(pid, NULL, 0);
  }
}

void reload(void) {
  pid_t pid = fork(); // NOLINT(fork-hazard-missing-wait): reaped by the SIGCHLD handler
  if (pid == 0)
    _exit(0);
}

int main(void) {
  pid_t logger = start_logger();
  serve(3);
  reload();
  waitpid(logger, NULL, 0);
  return 0;
}
