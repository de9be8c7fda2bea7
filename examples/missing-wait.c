// missing-wait: the parent never reaps its child (zombie processes).
//
// When a child ends, the kernel keeps its process-table entry (pid and exit status) until the
// parent collects it with wait()/waitpid(). This server starts a child per request and never
// waits, so every finished child stays behind as a zombie. A long-running parent fills the
// process table and fork() starts failing with EAGAIN.
//
// Reported by: fork-hazard-missing-wait (on the fork() call, with a note where the parent goes
// round to fork again).
// Fix: waitpid() each child (or reap them in a SIGCHLD handler, or set SIGCHLD to SIG_IGN).
#include <stdio.h>
#include <sys/types.h>
#include <unistd.h>

int next_request(void);          // blocks until a request arrives
void handle_request(int request);

int main(void) {
    for (;;) {
        int request = next_request();
        pid_t pid = fork();
        if (pid < 0) {
            perror("fork");
            continue;
        }
        if (pid == 0) {
            handle_request(request);
            _exit(0);
        }
        // The parent goes straight on to the next request: pid is never waited for.
    }
}
