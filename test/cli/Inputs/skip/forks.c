#include <unistd.h>
void spawn(void) {
  pid_t pid = fork();
  if (pid == 0)
    return;
}
