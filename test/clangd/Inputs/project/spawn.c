// A child that runs a command: if exec fails, the child falls through into the parent's code.
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int run(const char *command) {
  int unused; // clangd's own warning (-Wall), so that a publish holds both servers' diagnostics
  pid_t pid = fork();
  if (pid < 0)
    return -1;
  if (pid == 0) {
    execlp(command, command, (char *)NULL);
  }
  int status;
  waitpid(pid, &status, 0);
  return status;
}

int is_zero(int value) {
  if (value = 0) // clangd's own quick fix (-Wparentheses), next to ours
    return 1;
  return 0;
}
