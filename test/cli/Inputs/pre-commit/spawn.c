#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int run_helper(char **argv) {
  pid_t pid = fork();
  if (pid < 0)
    return -1;
  if (pid == 0) {
    execvp(argv[0], argv);
    _exit(127);
  }
  int status;
  waitpid(pid, &status, 0);
  return status;
}

void old_code(void) {
  if (fork() == 0) {
    puts("child");
    exit(0);
  }
  wait(NULL);
}
