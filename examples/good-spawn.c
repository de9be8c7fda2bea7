// good-spawn: fork and exec done right. The plugin prints nothing for this file.
//
//  * fork()'s -1 is handled before the pid is used;
//  * the child only rewires its descriptors and calls exec: nothing that takes locks;
//  * if dup2() or exec fails, the child ends with _exit(127) (no atexit handlers, no flush of
//    the parent's stdio buffers, no return into the parent's code);
//  * the parent reaps the child with waitpid().
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

// Runs argv[0] with its standard output sent to out_fd; returns its wait status, or -1.
static int spawn_and_wait(char **argv, int out_fd) {
    pid_t pid = fork();
    if (pid == -1) {
        perror("fork");
        return -1;
    }
    if (pid == 0) {
        if (dup2(out_fd, STDOUT_FILENO) < 0)
            _exit(127);
        execvp(argv[0], argv);
        _exit(127); // only reached if execvp failed
    }
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            perror("waitpid");
            return -1;
        }
    }
    return status;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s program [args...]\n", argv[0]);
        return 2;
    }
    int fd = open("/dev/null", O_WRONLY);
    if (fd < 0) {
        perror("open");
        return 1;
    }
    int status = spawn_and_wait(argv + 1, fd);
    close(fd);
    if (status < 0)
        return 1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
