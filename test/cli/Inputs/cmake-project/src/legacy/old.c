#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int old_spawn(void) {
  pid_t pid = fork();
  if (pid == 0)
    exit(1); /* exit-in-child, turned off by this directory's .fork-hazard.yaml */
  waitpid(pid, NULL, 0);
  return 0;
}
