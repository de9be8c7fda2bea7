#include <stdlib.h>
#include <unistd.h>

void work(void);
void die(const char *why); /* defined elsewhere; ends the process */

void loop(void) {
  for (;;)
    if (fork() == 0)
      work();
}

void child_exit(void) {
  if (fork() == 0)
    exit(0);
}

int child_dies(void) {
  if (fork() == 0)
    die("done");
  return 0;
}
