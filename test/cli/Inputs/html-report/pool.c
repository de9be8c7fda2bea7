#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

void start_pool(int n) {
  for (int i = 0; i < n; i++) {
    if (fork() == 0) {
      sleep(1);
    }
  }
  while (wait(NULL) > 0) {
  }
}

int start_worker(void) {
  pid_t pid = fork();
  if (pid == 0) {
    _exit(0);
  }
  return pid;
}
