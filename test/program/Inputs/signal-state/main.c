#include <signal.h>
#include <stddef.h>

void run_filter(const char *input);
void run_reset(const char *input);

/* A batch tool: it writes into pipes and handles EPIPE itself, and keeps SIGCHLD blocked. */
int main(int argc, char **argv) {
  sigset_t set;
  signal(SIGPIPE, SIG_IGN);
  sigemptyset(&set);
  sigaddset(&set, SIGCHLD);
  sigprocmask(SIG_BLOCK, &set, NULL);
  run_filter(argc > 1 ? argv[1] : "-");
  run_reset(argc > 1 ? argv[1] : "-");
  return 0;
}
