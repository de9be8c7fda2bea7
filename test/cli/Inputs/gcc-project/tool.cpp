// A C++ TU of the gcc-built project (g++).
#include <cstdlib>
#include <sys/wait.h>
#include <unistd.h>

int main() {
  pid_t pid = fork();
  if (pid == 0)
    std::exit(0);
  if (pid > 0)
    waitpid(pid, nullptr, 0);
  return 0;
}
