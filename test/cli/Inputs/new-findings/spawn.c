#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

void run(char **argv) {
  pid_t pid = fork();
  if (pid == 0) {
    execvp(argv[0], argv);
    exit(127);
  }
  if (pid > 0)
    waitpid(pid, NULL, 0);
}

void helper(void) {
  if (fork() == 0) {
    execl("/bin/true", "true", (char *)NULL);
  }
  wait(NULL);
}
