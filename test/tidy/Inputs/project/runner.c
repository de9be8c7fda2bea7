#include <sys/wait.h>
#include <unistd.h>

void run(char **argv) {
  pid_t pid = fork();
  if (pid == 0)
    execvp(argv[0], argv);
  waitpid(pid, NULL, 0);
}
