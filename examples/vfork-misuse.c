// vfork-misuse: the child of vfork() does more than exec or _exit.
//
// vfork() does not copy the parent: the child runs in the parent's memory, on the parent's
// stack, while the parent is suspended until the child calls exec or _exit. Anything else the
// child does happens to the parent: printf() changes the parent's stdio buffers and locks, and
// returning from the function that called vfork() pops the stack frame the parent will resume
// in, so the parent crashes or runs with garbage when it wakes up.
//
// Reported by: fork-hazard-vfork-misuse, once per path that goes wrong: on printf() in launch(),
// and on access() in launch_if_present() with a note on the `return -1;` that follows it.
// Fix: in a vfork() child, call only an exec function and then _exit(127); or use
// posix_spawn().
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int launch(char **argv) {
    pid_t pid = vfork();
    if (pid == 0) {
        printf("child: starting %s\n", argv[0]); // writes to the parent's stdout buffer
        execvp(argv[0], argv);
        _exit(127);
    }
    if (pid < 0)
        return -1;
    int status = 0;
    waitpid(pid, &status, 0);
    return status;
}

int launch_if_present(char **argv) {
    pid_t pid = vfork();
    if (pid == 0) {
        if (access(argv[0], X_OK) != 0)
            return -1; // returns through the parent's stack frame
        execv(argv[0], argv);
        _exit(127);
    }
    if (pid < 0)
        return -1;
    int status = 0;
    waitpid(pid, &status, 0);
    return status;
}

int main(int argc, char **argv) {
    if (argc < 2)
        return 2;
    return launch(argv + 1) == 0 && launch_if_present(argv + 1) == 0 ? 0 : 1;
}
