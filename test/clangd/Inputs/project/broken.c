// Does not parse: clangd reports the error; fork-hazard waits for a clean parse.
#include <unistd.h>

void start(void) {
  pid_t pid = fork();
  if (pid == 0)
    execl("/bin/true", "true", (char *)0);
  return missing_name;
}
