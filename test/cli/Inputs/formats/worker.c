#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int run_worker(void) {
  pid_t pid = fork();
  if (pid == 0) {
    write(1, "working\n", 8);
    exit(0);
  }
  if (pid > 0)
    waitpid(pid, NULL, 0);
  return 0;
}
