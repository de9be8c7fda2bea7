// unchecked-fork-error: fork() fails, and its -1 is used as a process id.
//
// fork() returns -1 when it cannot create a process (too many processes, no memory). This code
// only tells the child (0) from "everything else", so on failure the parent takes -1 for its
// child's pid. kill(-1, SIGTERM) does not fail: it sends SIGTERM to every process the user may
// signal -- the whole session, including the shell and this program.
//
// Reported by: fork-hazard-unchecked-fork-error (on kill(), with a note that -1 also reaches
// waitpid(), where it means "any child").
// Fix: test `if (pid < 0)` right after fork() and handle the error there.
#include <signal.h>
#include <stddef.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

void run_worker(void);
int worker_timed_out(void);

int main(void) {
    pid_t pid = fork();
    if (pid == 0) {
        run_worker();
        _exit(0);
    }
    if (worker_timed_out())
        kill(pid, SIGTERM); // pid may be -1: signals every process we are allowed to signal
    waitpid(pid, NULL, 0);
    return 0;
}
