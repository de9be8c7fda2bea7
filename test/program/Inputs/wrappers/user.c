#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* No fork call of its own: every fork is a wrapper of wrap.c. */
pid_t xfork(void);
pid_t raw_fork(void);
void work(void);

void checked(void) {
  pid_t pid = xfork(); /* never -1: xfork exits */
  if (pid == 0) {
    work();
    _exit(0);
  }
  waitpid(pid, 0, 0);
}

void unchecked(void) {
  pid_t pid = raw_fork();
  if (pid == 0) {
    work();
    _exit(0);
  }
  waitpid(pid, 0, 0);
}

void escapes(void) {
  if (xfork() == 0)
    work(); /* the child returns into the caller */
}
