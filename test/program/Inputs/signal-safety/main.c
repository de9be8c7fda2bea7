#include <pthread.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

void log_msg(const char *message);
void relay(const char *message);
void write_msg(const char *message);
void exec_or_die(char **argv);

static void *worker(void *arg) { return arg; }

int main(int argc, char **argv) {
  pthread_t thread;
  pthread_create(&thread, NULL, worker, NULL);
  pid_t pid = fork();
  if (pid == 0) {
    write_msg("child\n");
    log_msg("child");
    relay("child");
    exec_or_die(argv + 1);
  }
  waitpid(pid, NULL, 0);
  pthread_join(thread, NULL);
  return argc;
}
