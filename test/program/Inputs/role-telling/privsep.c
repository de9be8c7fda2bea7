// Functions that fork and tell their caller which process it is in by what they return (0 in
// the child, 1 in the parent, -1 when the fork fails), like openssh's privsep_preauth. Alone,
// this TU cannot know what the callers in main.c do with the value.
#include <stdio.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int privsep_preauth(void) {
  pid_t pid = fork();
  if (pid == -1)
    return -1;
  if (pid == 0)
    return 0; // the caller's child branch runs the unprivileged code
  waitpid(pid, NULL, 0);
  return 1;
}

// The lecture's createChildAndSayHello, with `return 1` for the parent: main.c ignores the
// value, so its child goes on as a second copy of the parent.
int create_child_and_say_hello(void) {
  pid_t pid = fork();
  if (pid == -1)
    return -1;
  if (pid == 0) {
    printf("hello from the child\n");
    return 0;
  }
  waitpid(pid, NULL, 0);
  return 1;
}
