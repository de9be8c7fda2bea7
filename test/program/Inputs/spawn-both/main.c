#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

pid_t spawn_child(const char *path);
void serve(void);

// Both processes of the fork call the spawn wrapper. The child drops the pid and ends at once:
// its own child is handed to init, which reaps it. The parent reaps its helper.
int main(void) {
  pid_t worker = fork();
  if (worker < 0)
    return 1;
  if (worker == 0) {
    spawn_child("/bin/true");
    _exit(0);
  }
  pid_t tool = spawn_child("/bin/false");
  waitpid(tool, NULL, 0);
  waitpid(worker, NULL, 0);
  return 0;
}

// The parent drops the pid and goes on serving: its helper stays a zombie (and so does the
// worker). The worker drops its helper's pid too, but ends at once: init reaps that one.
void serve_forever(void) {
  pid_t worker = fork();
  if (worker < 0)
    return;
  if (worker == 0) {
    spawn_child("/bin/true");
    _exit(0);
  }
  spawn_child("/bin/false");
  for (;;)
    serve();
}
