// The fork+exec window: what a child carries into the program it runs.
//
// sort_lines() pipes text through sort(1). The server ignores SIGPIPE for itself and keeps its
// log open; the child hands both to sort, and keeps the pipe's write end as well, so sort never
// sees end-of-file and the parent waits for it forever.
//
// Reported by: fork-hazard-pipe-end-leak (on execlp(); fix-it inserts `close(fds[1]);`),
// fork-hazard-fd-leak-into-exec (on execlp(): the log; fix-it adds O_CLOEXEC to its open),
// fork-hazard-signal-state-leak (on execlp(): SIGPIPE ignored; fix-it resets it).
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static int log_fd = -1;

void server_setup(void) {
    signal(SIGPIPE, SIG_IGN); // a closed connection gives EPIPE, not death
    log_fd = open("/tmp/server.log", O_WRONLY | O_CREAT | O_APPEND, 0644);
}

int sort_lines(const char *text) {
    int fds[2];
    if (pipe(fds) < 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        dup2(fds[0], 0);
        close(fds[0]);
        execlp("sort", "sort", (char *)NULL);
        _exit(127);
    }
    close(fds[0]);
    write(fds[1], text, strlen(text));
    close(fds[1]);
    int status = 0;
    if (waitpid(pid, &status, 0) < 0)
        return -1;
    return status;
}

int main(void) {
    server_setup();
    return sort_lines("b\na\n");
}
