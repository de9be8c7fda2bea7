// A small program with one finding of each kind the tidy tests look at.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

void die(const char *message); // defined elsewhere: ends the process (exit-functions)

void run(char **argv) {
  pid_t pid = fork();
  if (pid == 0) {
    execvp(argv[0], argv);
    exit(127);
  }
  waitpid(pid, NULL, 0);
}

void run_or_die(char **argv) {
  pid_t pid = fork();
  if (pid < 0)
    return;
  if (pid == 0) {
    execvp(argv[0], argv);
    die("exec");
  }
  waitpid(pid, NULL, 0);
}

void log_in_child(void) {
  pid_t pid = fork();
  if (pid == 0) {
    printf("child\n");
    _exit(0);
  }
  if (pid > 0)
    waitpid(pid, NULL, 0);
}
