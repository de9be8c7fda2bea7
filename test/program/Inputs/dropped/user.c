#include <sys/types.h>
#include <sys/wait.h>

pid_t spawn_child(const char *path);

/* Drops the pid: the child stays a zombie. */
void fire_and_forget(void) { spawn_child("/bin/true"); }

/* Keeps it only to print it. */
int report(void) {
  pid_t pid = spawn_child("/bin/true");
  return pid > 0;
}

/* Reaps it. */
void run(void) {
  pid_t pid = spawn_child("/bin/true");
  waitpid(pid, 0, 0);
}

/* Passes it on: its own caller may reap it. */
pid_t start(void) { return spawn_child("/bin/true"); }
