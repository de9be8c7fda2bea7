// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,unsafe-call-in-child -Xclang -verify %s
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,unsafe-call-in-child %s 2>&1 | FileCheck %s
// Without thread creation in the file, nothing is reported ...
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,unsafe-call-in-child -DNO_THREADS -Xclang -verify=nothreads %s
// ... unless the project says it is threaded; threads=no silences the check.
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,unsafe-call-in-child -DNO_THREADS -fplugin-arg-fork-hazard-threads=yes %s 2>&1 | FileCheck --check-prefix=YES %s
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,unsafe-call-in-child -fplugin-arg-fork-hazard-threads=no -Xclang -verify=nothreads %s
// nothreads-no-diagnostics
// Calls to functions the analysis cannot see are reported only with unknown-calls=unsafe.
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,unsafe-call-in-child -fplugin-arg-fork-hazard-unknown-calls=unsafe -Xclang -verify=expected,unknown %s
#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <syslog.h>
#include <unistd.h>

void *worker(void *);
void external_helper(void);
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;

#ifndef NO_THREADS
void start_threads(void) {
  pthread_t thread;
  pthread_create(&thread, NULL, worker, NULL); // expected-note 0+ {{threads are created here}}
}
#endif

// The lecture's example: malloc, then free and exit after the failed exec.
void lecture(const char *program) {
  pid_t pid = fork(); // expected-note {{the child process is created here}}
  if (pid == 0) { // expected-note {{'pid == 0' is true in the child process}}
    char **args = malloc(2 * sizeof(char *)); // expected-warning {{'malloc' is not async-signal-safe; in a multithreaded program the child of fork() can deadlock here if another thread held the allocator's lock}}
    args[0] = (char *)program;
    args[1] = NULL;
    execvp(args[0], args);
    free(args); // after a failed exec: not reported (see the docs)
    exit(1);
  }
  if (pid > 0)
    waitpid(pid, NULL, 0);
}
// CHECK: unsafe-call-in-child.c:{{[0-9]+}}:19: warning: 'malloc' is not async-signal-safe; in a multithreaded program the child of fork() can deadlock here if another thread held the allocator's lock [fork-hazard-unsafe-call-in-child]
// CHECK: note: the child process is created here
// CHECK: note: 'pid == 0' is true in the child process
// CHECK: unsafe-call-in-child.c:{{[0-9]+}}:3: note: threads are created here
// YES: warning: 'malloc' is not async-signal-safe
// YES: note: the program creates threads (-fplugin-arg-fork-hazard-threads=yes)

// One report per distinct callee and fork site, each at its first call.
void stdio_env_locks(void) {
  if (fork() == 0) { // expected-note 5 {{created here}} expected-note 5 {{true in the child}}
    printf("child\n"); // expected-warning {{'printf' is not async-signal-safe; in a multithreaded program the child of fork() can deadlock here if another thread held a stdio lock}}
    printf("again\n");
    const char *home = getenv("HOME"); // expected-warning {{'getenv' is not async-signal-safe; in a multithreaded program the child of fork() can deadlock here if another thread held the environment's lock}}
    syslog(LOG_INFO, "%s", home); // expected-warning {{'syslog' is not async-signal-safe; in a multithreaded program the child of fork() can deadlock here if another thread held syslog's lock}}
    pthread_mutex_lock(&table_lock); // expected-warning {{'pthread_mutex_lock' is not async-signal-safe; in a multithreaded program the child of fork() can deadlock here if another thread held this lock}}
    dlopen("libfoo.so", RTLD_NOW); // expected-warning {{'dlopen' is not async-signal-safe; in a multithreaded program the child of fork() can deadlock here if another thread held the dynamic loader's lock}}
    _exit(0);
  }
}

// Helpers of this file: the chain shows how the child gets to the unsafe call.
static char *copy_name(const char *name) {
  return strdup(name); // expected-note {{'strdup' is called here, not async-signal-safe}}
}
static void prepare(const char *name) {
  char *copy = copy_name(name); // expected-note {{'copy_name' is called here}}
  (void)copy;
}

void through_helpers(void) {
  if (fork() == 0) { // expected-note {{created here}} expected-note {{true in the child}}
    prepare("x"); // expected-warning {{'prepare' calls 'strdup', which is not async-signal-safe}}
    _exit(0);
  }
}
// CHECK: warning: 'prepare' calls 'strdup', which is not async-signal-safe; in a multithreaded program the child of fork() can deadlock here if another thread held the allocator's lock [fork-hazard-unsafe-call-in-child]

// ---- negatives ----

// Only async-signal-safe calls, exec and _exit.
void safe_child(int fd, char **argv, char **envp) {
  pid_t pid = fork();
  if (pid == 0) {
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    int log = open("/tmp/log", O_WRONLY);
    dup2(log, 1);
    close(log);
    write(2, "starting\n", 9);
    execve(argv[0], argv, envp);
    _exit(127);
  }
  if (pid > 0)
    waitpid(pid, NULL, 0);
}

// A helper of this file that only does safe things (and _exits) is fine.
static void child_exit(int code) {
  write(2, "bye\n", 4);
  _exit(code);
}
void safe_helper(void) {
  if (fork() == 0)
    child_exit(0);
}

// The parent may call anything; so may code before the fork.
void parent_side(void) {
  char *buffer = malloc(64);
  pid_t pid = fork();
  if (pid == 0)
    _exit(0);
  printf("child %d\n", (int)pid);
  free(buffer);
}

// Calls after a successful exec cannot run; exec + _exit is the end of the child.
void after_exec(char **argv) {
  if (fork() == 0) {
    execv(argv[0], argv);
    _exit(127);
    printf("unreachable\n");
  }
}

// Unknown functions (defined elsewhere) and calls through pointers: only with unknown-calls.
void unknown_calls(void (*callback)(void)) {
  if (fork() == 0) { // unknown-note 2 {{created here}} unknown-note 2 {{true in the child}}
    external_helper(); // unknown-warning {{'external_helper' is not async-signal-safe}}
    callback(); // unknown-warning {{'a function through a pointer' is not async-signal-safe}}
    _exit(0);
  }
}
