#include <fcntl.h>
#include <unistd.h>

/* The daemon's log, opened once at startup and kept for the whole run. */
int log_fd = -1;
int control_fd = -1;

void log_open(const char *path) {
  log_fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
}

/* Made close-on-exec right away: nothing to inherit. */
void control_open(const char *path) {
  control_fd = open(path, O_RDWR | O_CLOEXEC);
}
