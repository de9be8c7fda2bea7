// exit-in-child: the child ends with exit() instead of _exit().
//
// exit() does more than end the process: it runs the atexit() handlers and flushes every stdio
// buffer. The child inherited both from the parent. So here the parent's handler runs in the
// child too (removing the parent's lock file early), and "starting up" -- still in the stdout
// buffer when fork() copied it, e.g. when output goes to a file or a pipe -- is written twice.
//
// Reported by: fork-hazard-exit-in-child (on exit(0); fix-it replaces it with _exit).
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static void remove_lock_file(void) {
    unlink("/tmp/example.lock"); // the parent's clean-up, not the child's
}

static void child_work(void) {
    fprintf(stderr, "child %d working\n", (int)getpid());
}

int main(void) {
    atexit(remove_lock_file);
    printf("starting up\n"); // may still be buffered at fork()

    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        return 1;
    }
    if (pid == 0) {
        child_work();
        exit(0);
    }
    waitpid(pid, NULL, 0);
    printf("done\n");
    return 0;
}
