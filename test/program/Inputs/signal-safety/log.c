// Helpers a child may call: some reach an operation that is not async-signal-safe (fprintf
// takes a stdio lock), some do not.
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void log_msg(const char *message) { fprintf(stderr, "%s\n", message); }

void vlog(const char *message) { log_msg(message); }

void write_msg(const char *message) { write(2, message, strlen(message)); }

// What follows a failed exec is the child's way out, not checked (as in the forking function).
void exec_or_die(char **argv) {
  execv(argv[0], argv);
  log_msg("exec failed");
  _exit(127);
}
