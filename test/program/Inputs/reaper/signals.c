#include <signal.h>
#include <sys/wait.h>

static void on_child(int signo) {
  (void)signo;
  while (waitpid(-1, 0, WNOHANG) > 0)
    ;
}

void install_reaper(void) { signal(SIGCHLD, on_child); }
