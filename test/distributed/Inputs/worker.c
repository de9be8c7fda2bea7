#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

void quiet_child(void) {
  if (fork() == 0) {
    puts("child");
    exit(0); // NOLINT(fork-hazard-exit-in-child): atexit handlers are wanted here
  }
  wait(NULL);
}

void loud_child(void) {
  if (fork() == 0) {
    puts("child");
    exit(1);
  }
  wait(NULL);
}

// NOLINTBEGIN(fork-hazard-exit-in-child)
void region_child(void) {
  if (fork() == 0)
    exit(2);
  wait(NULL);
}
// NOLINTEND(fork-hazard-exit-in-child)
