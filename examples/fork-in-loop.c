// fork-in-loop: runaway children.
//
// The loop is meant to run in the parent only: start a worker, go round, start the next one.
// But the child gets back from fork() too. Once do_stuff() returns, nothing ends the child, so
// it goes back to the top of the loop and calls fork() itself; so do its children. The number
// of processes doubles on every turn until fork() starts failing and the machine is out of
// process slots (a "fork bomb").
//
// Reported by: fork-hazard-fork-in-loop (on the fork() call); also fork-hazard-missing-wait,
// since no process here ever waits for its children.
// Fix: end the child when its work is done: `do_stuff(); _exit(0);`.
#include <stdbool.h>
#include <sys/types.h>
#include <unistd.h>

void do_stuff(void); // the child's work, defined elsewhere

int main(int argc, char **argv) {
    while (true) {
        pid_t pid = fork();
        if (pid == 0) {
            do_stuff();
        }
    }
}
