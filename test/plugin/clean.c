// A file without fork hazards compiles with no output and exit status 0, in every mode.
// RUN: %clang -fplugin=%plugin -c %s -o %t.o 2>&1 | count 0
// RUN: test -s %t.o
// RUN: %clang -fplugin=%plugin -fsyntax-only -Wall -Wextra %s 2>&1 | count 0
// RUN: %clang --driver-mode=g++ -x c++ -fplugin=%plugin -fsyntax-only %s 2>&1 | count 0

#include <stdio.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int spawn(char **argv) {
  pid_t pid = fork();
  if (pid < 0) {
    perror("fork");
    return -1;
  }
  if (pid == 0) {
    execvp(argv[0], argv);
    _exit(127);
  }
  int status;
  if (waitpid(pid, &status, 0) < 0)
    return -1;
  return status;
}

int main(int argc, char **argv) {
  (void)argc;
  printf("%d\n", spawn(argv + 1));
  return 0;
}
