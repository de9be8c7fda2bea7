#include <unistd.h>

/* A program that uses lib.c's spawn_detached and reaps nothing. */
void spawn_detached(const char *path);

int main(int argc, char **argv) {
  if (argc > 1)
    spawn_detached(argv[1]);
  pause();
  return 0;
}
