#include <stdlib.h>
#include <unistd.h>

void serve(int connection) {
  if (fork() == 0) {
    close(connection);
    exit(0);
  }
}
