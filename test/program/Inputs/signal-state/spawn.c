#include <signal.h>
#include <stddef.h>
#include <sys/wait.h>
#include <unistd.h>

void quiet_terminal(void) { signal(SIGINT, SIG_IGN); }

void run_filter(const char *input) {
  pid_t pid = fork();
  if (pid == 0) {
    execlp("sort", "sort", input, (char *)NULL);
    _exit(127);
  }
  if (pid > 0)
    waitpid(pid, NULL, 0);
}

/* The child puts back what the program changed: silent. */
void run_reset(const char *input) {
  sigset_t none;
  pid_t pid = fork();
  if (pid == 0) {
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    signal(SIGPIPE, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    execlp("sort", "sort", input, (char *)NULL);
    _exit(127);
  }
  if (pid > 0)
    waitpid(pid, NULL, 0);
}
