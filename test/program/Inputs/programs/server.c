#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

/* A program that uses spawn_detached and reaps its children in a SIGCHLD handler. */
void spawn_detached(const char *path);

static void on_child(int signo) {
  (void)signo;
  while (waitpid(-1, 0, WNOHANG) > 0)
    ;
}

int main(int argc, char **argv) {
  signal(SIGCHLD, on_child);
  for (int i = 1; i < argc; ++i)
    spawn_detached(argv[i]);
  for (;;)
    pause();
}
