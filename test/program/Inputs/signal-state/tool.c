#include <signal.h>

void run_filter(const char *input);

/* Another program of the database: it ignores SIGHUP but never runs the filter. */
int main(void) {
  signal(SIGHUP, SIG_IGN);
  return 0;
}
