#include <unistd.h>

void start_pool(int n) {
  for (int i = 0; i < n; i++)
    if (fork() == 0)
      write(1, "worker\n", 7);
}
