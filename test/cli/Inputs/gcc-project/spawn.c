/* Built with gcc and gcc-only flags (compile_commands.json.in); analyzed with clang. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int spawn(const char *path) {
  pid_t pid = fork();
  if (pid == 0) {
    execl(path, path, (char *)NULL);
    perror("execl"); /* exec failed and the child carries on */
  }
  waitpid(pid, NULL, 0);
  return 0;
}
