// Correct: the child ends whatever exec does, the parent waits for it.
#include <sys/wait.h>
#include <unistd.h>

int run(const char *command) {
  pid_t pid = fork();
  if (pid < 0)
    return -1;
  if (pid == 0) {
    execlp(command, command, (char *)NULL);
    _exit(127);
  }
  int status;
  if (waitpid(pid, &status, 0) < 0)
    return -1;
  return status;
}
