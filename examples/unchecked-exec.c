// unchecked-exec: exec fails and the child carries on as a copy of the parent.
//
// execvp() returns only when it failed (no such program, no permission, ...). This child then
// reports the error and returns from run_command(), so main() sees a "successful" spawn in the
// child as well and runs everything after it twice: it prints the parent's summary twice, and
// the child never ends until main does.
//
// Reported by: fork-hazard-unchecked-exec (on execvp(); fix-it inserts `_exit(127);` after it).
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int run_command(char **argv) {
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        return -1;
    }
    if (pid == 0) {
        execvp(argv[0], argv);
        perror("execvp");
        return -1;
    }
    int status = 0;
    if (waitpid(pid, &status, 0) < 0)
        return -1;
    return status;
}

int main(int argc, char **argv) {
    if (argc < 2)
        return 2;
    int status = run_command(argv + 1);
    printf("command finished with status %d\n", status); // printed by the child too
    return 0;
}
