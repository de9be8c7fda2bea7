// A system header with fork hazards of its own: never analyzed nor reported.
#include <unistd.h>
void sys_work(void);
static inline int sys_spawn_badly(void) {
  if (fork() == 0) {
    sys_work();
    return 0;
  }
  return 1;
}
#define SYS_FORK_LOOP() for (;;) if (fork() == 0) sys_work()
