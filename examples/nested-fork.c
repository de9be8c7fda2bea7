// nested-fork: two forks in a row make four processes, not three.
//
// The intent: start two children, one for each job, then wait for both. But the second fork()
// runs in both processes that exist after the first one, so there are four: the original
// parent, its two children, and a grandchild made by the first child. The first child (pid1 == 0)
// also has a pid2 of its own, and its child (pid1 == 0 as well, pid2 == 0) runs
// do_stuff_proc1() a second time. The parent waits for only two of them.
//
// Reported by: fork-hazard-nested-fork (on the second fork()).
// Also reported: fork-hazard-exit-in-child on the `return 0;` lines, because returning from main
// in a child runs exit() (end each child with _exit(0)), and fork-hazard-unchecked-fork-error on
// the waitpid() calls, which a failed fork turns into waitpid(-1, ...) (check for -1 first).
// Fix: let only the parent reach the second fork: end the first child before it
// (`if (pid1 == 0) { do_stuff_proc1(); _exit(0); }`), then fork again.
#include <stddef.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

void do_stuff_proc1(void);
void do_stuff_proc2(void);

int main(void) {
    pid_t pid1 = fork();
    pid_t pid2 = fork();
    if (pid1 == 0) {
        do_stuff_proc1();
        return 0;
    }
    if (pid2 == 0) {
        do_stuff_proc2();
        return 0;
    }
    waitpid(pid1, NULL, 0);
    waitpid(pid2, NULL, 0);
    return 0;
}
