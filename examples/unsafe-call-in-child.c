// unsafe-call-in-child: a threaded program forks, and the child calls malloc() before exec.
//
// fork() copies only the thread that called it. If another thread held a lock inside malloc
// (or stdio, or any library) at that moment, the child gets the lock in its locked state and no
// thread that will ever release it. The child's malloc() then waits forever. Between fork() and
// exec, a child of a threaded program may only call async-signal-safe functions (dup2, close,
// execve, _exit, ...): no malloc/free, no printf, no exit.
//
// This is the lecture's example, with a worker thread that keeps the allocator busy.
// Reported by: fork-hazard-unsafe-call-in-child (on malloc(), with a note where the thread is
// created), and fork-hazard-exit-in-child on the exit(1) after the failed exec.
// Fix: build the argument vector before fork(); in the child call only execvp() and _exit(127).
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static void *allocate_forever(void *unused) {
    (void)unused;
    for (;;)
        free(malloc(64)); // takes and releases the allocator's lock, over and over
    return NULL;
}

static void spawn(const char *program, size_t num_args) {
    pid_t pid = fork();
    if (pid == 0) {
        char **args = malloc(sizeof(char *) * num_args); // may never return in the child
        args[0] = (char *)program;
        for (size_t i = 1; i < num_args; i++)
            args[i] = NULL;
        execvp(args[0], args); // a successful exec frees everything anyway
        free(args);
        exit(1);
    }
    if (pid > 0)
        waitpid(pid, NULL, 0);
}

int main(void) {
    pthread_t thread;
    if (pthread_create(&thread, NULL, allocate_forever, NULL) != 0)
        return 1;
    spawn("true", 2);
    return 0;
}
