#include <signal.h>
#include <stddef.h>

/* Leaving batch mode puts the dispositions and the mask back: what main set is not certain to
   be in effect at a fork anywhere. */
void leave_batch_mode(void) {
  sigset_t set;
  signal(SIGPIPE, SIG_DFL);
  signal(SIGINT, SIG_DFL);
  sigemptyset(&set);
  sigaddset(&set, SIGCHLD);
  sigprocmask(SIG_UNBLOCK, &set, NULL);
}
