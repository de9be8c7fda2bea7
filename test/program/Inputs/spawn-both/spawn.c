#include <unistd.h>

/* Forks a child that execs, and hands its pid to the caller, who must reap it. */
pid_t spawn_child(const char *path) {
  pid_t pid = fork();
  if (pid == 0) {
    execl(path, path, (char *)0);
    _exit(127);
  }
  return pid;
}
