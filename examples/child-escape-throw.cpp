// child-escape (C++): exceptions thrown in the child unwind into the parent's code.
//
// createChild() reports errors by throwing. In the parent that is fine. In the child, an
// exception thrown after a failed dup2() or a failed execvp() leaves createChild() and is caught
// by a handler that was written for the parent (here in main), so the child goes on running the
// parent's program: it prints the parent's error, and would start the next command of the shell
// as a second copy.
//
// Reported by: fork-hazard-child-escape on the two `throw`s after dup2() fails, and
// fork-hazard-unchecked-exec on execvp() (the child throws out of createChild() when exec fails).
// Fix: in the child, never throw: report the error and `_exit(127);`.
#include <cstdio>
#include <string>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

class Exception {
public:
    explicit Exception(std::string message) : message_(std::move(message)) {}
    const char *what() const { return message_.c_str(); }

private:
    std::string message_;
};

pid_t createChild(char **argv, int readFd, int writeFd) {
    pid_t pid = fork();
    if (pid == -1) {
        throw Exception("Call to fork failed.");
    }
    if (pid == 0) { // in the child
        if (dup2(readFd, STDIN_FILENO) < 0) {
            throw Exception("Call to dup2 failed");
        }
        if (dup2(writeFd, STDOUT_FILENO) < 0) {
            throw Exception("Call to dup2 failed");
        }
        execvp(argv[0], argv);
        // Only reached when execvp failed.
        throw Exception("Call to execvp failed.");
    }
    return pid;
}

int main(int argc, char **argv) {
    if (argc < 2)
        return 2;
    try {
        pid_t pid = createChild(argv + 1, STDIN_FILENO, STDOUT_FILENO);
        waitpid(pid, nullptr, 0);
    } catch (const Exception &e) {
        // Written for the parent, but a child that threw lands here too.
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
    return 0;
}
