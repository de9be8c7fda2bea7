#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Not declared noreturn: only its body tells that it ends the process. */
void die_quietly(int code) { _exit(code); }

void die_loudly(int code) {
  fprintf(stderr, "fatal\n");
  exit(code);
}

/* Returns: calling it does not end the child. */
void log_child(const char *what) { fprintf(stderr, "%s\n", what); }
