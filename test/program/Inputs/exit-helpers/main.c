#include <sys/wait.h>
#include <unistd.h>

void die_quietly(int code);
void die_loudly(int code);
void log_child(const char *what);
void fatal(void);

void spawn_quiet(void) {
  pid_t pid = fork();
  if (pid == 0)
    die_quietly(1); /* ends the child: nothing escapes */
  if (pid > 0)
    waitpid(pid, 0, 0);
}

void spawn_loud(void) {
  pid_t pid = fork();
  if (pid == 0)
    die_loudly(1);
  if (pid > 0)
    waitpid(pid, 0, 0);
}

void spawn_fatal(void) {
  pid_t pid = fork();
  if (pid == 0)
    fatal();
  if (pid > 0)
    waitpid(pid, 0, 0);
}

void spawn_logging(void) {
  pid_t pid = fork();
  if (pid == 0)
    log_child("child"); /* returns: the child goes on into the caller */
  if (pid > 0)
    waitpid(pid, 0, 0);
}
