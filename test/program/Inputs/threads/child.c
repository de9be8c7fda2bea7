#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

void run_child(void) {
  pid_t pid = fork();
  if (pid == 0) {
    char *buffer = malloc(64); /* another thread may hold the allocator's lock */
    free(buffer);
    _exit(0);
  }
  if (pid > 0)
    waitpid(pid, 0, 0);
}
