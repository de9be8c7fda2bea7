#include <sys/wait.h>
#include <unistd.h>

extern int log_fd;
extern int control_fd;

/* A helper run for every job: it inherits the daemon's log descriptor. */
int run_job(char **argv) {
  pid_t pid = fork();
  if (pid < 0)
    return -1;
  if (pid == 0) {
    execvp(argv[0], argv);
    _exit(127);
  }
  return waitpid(pid, NULL, 0) < 0 ? -1 : 0;
}

/* The same, closing the log in the child: silent. */
int run_job_closing(char **argv) {
  pid_t pid = fork();
  if (pid < 0)
    return -1;
  if (pid == 0) {
    close(log_fd);
    execvp(argv[0], argv);
    _exit(127);
  }
  return waitpid(pid, NULL, 0) < 0 ? -1 : 0;
}
