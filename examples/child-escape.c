// child-escape: the child returns from a helper function into code meant for the parent.
//
// Returning from main ends a process, but returning from any other function only goes back to
// its caller. The child has a copy of the parent's whole call stack, so `return 0;` sends it back
// into main(), where it carries on as if it were the parent: here it prints the parent's
// message and starts the next step of the program a second time.
//
// Reported by: fork-hazard-child-escape (on `return 0;`).
// Fix: end the child where its work ends: `sayHello(); _exit(0);`.
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static void sayHello(void) {
    printf("hello from the child, pid %d\n", (int)getpid());
}

static void runRestOfProgram(void) {
    printf("only the parent should get here (pid %d)\n", (int)getpid());
}

int createChildAndSayHello(void) {
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        sayHello();
        return 0;
    }
    waitpid(pid, NULL, 0);
    return 1;
}

int main(void) {
    createChildAndSayHello();
    runRestOfProgram(); // runs twice: in the parent, and in the child that returned
    return 0;
}
