// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,unsafe-call-in-child -Xclang -verify %s
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,unsafe-call-in-child %s 2>&1 | FileCheck %s
// glibc's _FORTIFY_SOURCE turns printf into __printf_chk and FD_SET into __fdelt_chk: same reports.
// RUN: %clang_fh -O2 -D_FORTIFY_SOURCE=2 -Wno-unused-result -fplugin-arg-fork-hazard-checks=-*,unsafe-call-in-child -Xclang -verify %s
// Without thread creation in the file, nothing is reported ...
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,unsafe-call-in-child -DNO_THREADS -Xclang -verify=nothreads %s
// ... unless the project says it is threaded; threads=no silences the check.
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,unsafe-call-in-child -DNO_THREADS -fplugin-arg-fork-hazard-threads=yes %s 2>&1 | FileCheck --check-prefix=YES %s
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,unsafe-call-in-child -fplugin-arg-fork-hazard-threads=no -Xclang -verify=nothreads %s
// nothreads-no-diagnostics
// Calls to functions the analysis cannot see are reported only with unknown-calls=unsafe.
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,unsafe-call-in-child -fplugin-arg-fork-hazard-unknown-calls=unsafe -Xclang -verify=expected,unknown %s
// aio_suspend is on POSIX's list, but glibc's takes a lock: unsafe when the target is glibc (a
// GNU environment, or Linux with glibc's headers and no environment), not for musl.
// RUN: %clang_fh -target x86_64-linux-gnu -DAIO -fplugin-arg-fork-hazard-checks=-*,unsafe-call-in-child -Xclang -verify=expected,glibc %s
// RUN: %clang_fh -target x86_64-unknown-linux -DAIO -fplugin-arg-fork-hazard-checks=-*,unsafe-call-in-child -Xclang -verify=expected,glibc %s
// RUN: %clang_fh -target x86_64-linux-musl -DAIO -fplugin-arg-fork-hazard-checks=-*,unsafe-call-in-child -Xclang -verify %s
// exit() in the child is exit-in-child's report (with its fix-it) when that check is on.
// RUN: %clang_fh -fno-caret-diagnostics -fplugin-arg-fork-hazard-checks=-*,unsafe-call-in-child,exit-in-child %s 2>&1 | FileCheck --check-prefix=EXIT --implicit-check-not="'exit' is not" %s
#define _GNU_SOURCE
#include <assert.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <arpa/inet.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <syslog.h>
#include <unistd.h>

void *worker(void *);
void external_helper(void);
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;

#ifndef NO_THREADS
// Thread creation in a function other than the forking ones is evidence for the whole file.
void start_threads(void) {
  pthread_t thread;
  pthread_create(&thread, NULL, worker, NULL); // expected-note 16 {{threads are created here}} unknown-note 6 {{threads are created here}} glibc-note {{threads are created here}}
}
#endif

// The lecture's example: malloc in the child of a threaded program. free and exit come after a
// failed exec and are not reported (see the docs).
void lecture(const char *program) {
  pid_t pid = fork(); // expected-note {{the child process is created here}}
  if (pid == 0) { // expected-note {{'pid == 0' is true in the child process}}
    char **args = malloc(2 * sizeof(char *)); // expected-warning {{'malloc' is not async-signal-safe; in a multithreaded program the child of fork() can deadlock here if another thread held the allocator's lock}}
    args[0] = (char *)program;
    args[1] = NULL;
    execvp(args[0], args);
    free(args);
    exit(1);
  }
  if (pid > 0)
    waitpid(pid, NULL, 0);
}
// CHECK: unsafe-call-in-child.c:{{[0-9]+}}:19: warning: 'malloc' is not async-signal-safe; in a multithreaded program the child of fork() can deadlock here if another thread held the allocator's lock [fork-hazard-unsafe-call-in-child]
// CHECK: unsafe-call-in-child.c:{{[0-9]+}}:15: note: the child process is created here
// CHECK: unsafe-call-in-child.c:{{[0-9]+}}:7: note: 'pid == 0' is true in the child process
// CHECK: unsafe-call-in-child.c:{{[0-9]+}}:3: note: threads are created here
// YES: warning: 'malloc' is not async-signal-safe
// YES: note: the program creates threads (option threads=yes)

// One report per distinct callee and fork site, each at its first call.
void stdio_env_locks(void) {
  if (fork() == 0) { // expected-note 6 {{created here}} expected-note 6 {{true in the child}}
    printf("child\n"); // expected-warning {{'printf' is not async-signal-safe; in a multithreaded program the child of fork() can deadlock here if another thread held a stdio lock}}
    printf("again\n");
    const char *home = getenv("HOME"); // expected-warning {{'getenv' is not async-signal-safe; in a multithreaded program the child of fork() can deadlock here if another thread held the environment's lock}}
    setenv("HOME", "/", 1); // expected-warning {{'setenv' is not async-signal-safe; in a multithreaded program the child of fork() can deadlock here if another thread held the environment's lock}}
    syslog(LOG_INFO, "%s", home); // expected-warning {{'syslog' is not async-signal-safe; in a multithreaded program the child of fork() can deadlock here if another thread held syslog's lock}}
    pthread_mutex_lock(&table_lock); // expected-warning {{'pthread_mutex_lock' is not async-signal-safe; in a multithreaded program the child of fork() can deadlock here if another thread held this lock}}
    dlopen("libfoo.so", RTLD_NOW); // expected-warning {{'dlopen' is not async-signal-safe; in a multithreaded program the child of fork() can deadlock here if another thread held the dynamic loader's lock}}
    _exit(0);
  }
}
// CHECK: warning: 'printf' is not async-signal-safe; {{.*}} a stdio lock [fork-hazard-unsafe-call-in-child]
// CHECK: warning: 'getenv' is not async-signal-safe
// CHECK: warning: 'setenv' is not async-signal-safe
// CHECK: warning: 'syslog' is not async-signal-safe
// CHECK: warning: 'pthread_mutex_lock' is not async-signal-safe; {{.*}} this lock
// CHECK: warning: 'dlopen' is not async-signal-safe

// Helpers of this file, two deep: the notes follow the chain down to the unsafe call.
static char *copy_name(const char *name) {
  return strdup(name); // expected-note {{'copy_name' calls 'strdup', which is not async-signal-safe}}
}
static void prepare(const char *name) {
  char *copy = copy_name(name); // expected-note {{'prepare' calls 'copy_name'}}
  (void)copy;
}
void through_helpers(void) {
  if (fork() == 0) { // expected-note {{created here}} expected-note {{true in the child}}
    prepare("x"); // expected-warning {{'prepare' calls 'strdup' (via 'copy_name'), which is not async-signal-safe; in a multithreaded program the child of fork() can deadlock here if another thread held the allocator's lock}}
    prepare("y");
    _exit(0);
  }
}
// CHECK: :{{[0-9]+}}:5: warning: 'prepare' calls 'strdup' (via 'copy_name'), which is not async-signal-safe; in a multithreaded program the child of fork() can deadlock here if another thread held the allocator's lock [fork-hazard-unsafe-call-in-child]
// CHECK: note: the child process is created here
// CHECK: note: 'fork() == 0' is true in the child process
// CHECK: :{{[0-9]+}}:16: note: 'prepare' calls 'copy_name'
// CHECK: :{{[0-9]+}}:10: note: 'copy_name' calls 'strdup', which is not async-signal-safe
// CHECK: note: threads are created here

// Helpers that call each other: the cycle is summarized once and still explained.
static void pong(int depth);
static void ping(int depth) {
  if (depth > 0)
    pong(depth - 1); // expected-note {{'ping' calls 'pong'}}
}
static void pong(int depth) {
  if (depth > 0)
    ping(depth - 1);
  else
    puts("bottom"); // expected-note {{'pong' calls 'puts', which is not async-signal-safe}}
}
void recursive_helpers(void) {
  if (fork() == 0) { // expected-note {{created here}} expected-note {{true in the child}}
    ping(3); // expected-warning {{'ping' calls 'puts' (via 'pong'), which is not async-signal-safe}}
    _exit(0);
  }
}

// A switch on fork's result, and the child reaching code the parent also runs.
void switch_child(void) {
  switch (fork()) { // expected-note {{created here}}
  case 0: // expected-note {{the child process takes this case}}
    fputs("child\n", stderr); // expected-warning {{'fputs' is not async-signal-safe}}
    _exit(0);
  default:
    break;
  }
}
void shared_code(int fd) {
  pid_t pid = fork(); // expected-note {{created here}}
  if (pid == 0) // expected-note {{'pid == 0' is true in the child process}}
    close(fd);
  sprintf((char[16]){0}, "%d", fd); // expected-warning {{'sprintf' is not async-signal-safe}}
}

// POSIX.1-2024 took fork off the list and put _Fork on it.
void double_fork(void) {
  if (fork() == 0) { // expected-note {{created here}} expected-note {{true in the child}}
    setsid();
    if (_Fork() == 0)
      _exit(0);
    if (fork() == 0) // expected-warning {{'fork' is not async-signal-safe; in a multithreaded program the child of fork() can deadlock here if another thread held a lock that fork's pthread_atfork handlers take}}
      _exit(0);
    _exit(0);
  }
}

#ifdef AIO
#include <aio.h>
// glibc's aio_suspend takes a lock (signal-safety(7), "Deviations in the GNU C library"); the
// rest of the AIO functions on the list do not.
void aio_in_child(const struct aiocb *const *list) {
  if (fork() == 0) { // glibc-note {{created here}} glibc-note {{true in the child}}
    aio_suspend(list, 1, NULL); // glibc-warning {{'aio_suspend' is not async-signal-safe; in a multithreaded program the child of fork() can deadlock here if another thread held glibc's AIO request lock}}
    if (aio_error(list[0]) == 0)
      _exit(aio_return((struct aiocb *)list[0]) < 0);
    _exit(1);
  }
}
#endif

// exit() runs atexit handlers and flushes every stream: reported here only while exit-in-child
// is off (it reports the call itself, with a fix-it).
void exits_in_child(void) {
  if (fork() == 0) // expected-note {{created here}} expected-note {{true in the child}}
    exit(0); // expected-warning {{'exit' is not async-signal-safe; in a multithreaded program the child of fork() can deadlock here if another thread held a stdio lock}}
}
// EXIT: warning: 'malloc' is not async-signal-safe
// EXIT: warning: the child process calls 'exit'{{.*}} [fork-hazard-exit-in-child]
// EXIT: warning: 'fork' is not async-signal-safe
// EXIT: :{{[0-9]+}}:5: warning: the child process calls 'exit'{{.*}} [fork-hazard-exit-in-child]

// Long chains: the message names the first helpers, the notes every step.
#define CHAIN10(P, Last)                                                                           \
  static void P##9(void) { Last(); }                                                               \
  static void P##8(void) { P##9(); }                                                               \
  static void P##7(void) { P##8(); }                                                               \
  static void P##6(void) { P##7(); }                                                               \
  static void P##5(void) { P##6(); }                                                               \
  static void P##4(void) { P##5(); }                                                               \
  static void P##3(void) { P##4(); }                                                               \
  static void P##2(void) { P##3(); }                                                               \
  static void P##1(void) { P##2(); }                                                               \
  static void P##0(void) { P##1(); }
static void allocate(void) {
  free(malloc(16)); // expected-note {{'allocate' calls 'malloc', which is not async-signal-safe}}
}
CHAIN10(e, allocate) // expected-note-re 10 {{'e{{[0-9]}}' calls '{{e[0-9]|allocate}}'}}
void long_chain(void) {
  if (fork() == 0) { // expected-note {{created here}} expected-note {{true in the child}}
    e0(); // expected-warning {{'e0' calls 'malloc' (via 'e1', 'e2', 'e3' and 7 more), which is not async-signal-safe}}
    _exit(0);
  }
}

// A local function pointer set once from a function name and only read afterwards calls that
// function: judged like a direct call, with its chain and a note at the pointer.
static void log_and_cleanup(void) {
  syslog(LOG_ERR, "child failed"); // expected-note {{'log_and_cleanup' calls 'syslog', which is not async-signal-safe}}
}
void known_pointer(char **argv) {
  void (*cb)(void) = log_and_cleanup; // expected-note {{'cb' is set to 'log_and_cleanup' here and never changed}}
  if (fork() == 0) { // expected-note {{created here}} expected-note {{true in the child}}
    cb(); // expected-warning {{'log_and_cleanup' calls 'syslog', which is not async-signal-safe; in a multithreaded program the child of fork() can deadlock here if another thread held syslog's lock}}
    execv(argv[0], argv);
    _exit(127);
  }
}
// CHECK: :[[@LINE-5]]:5: warning: 'log_and_cleanup' calls 'syslog', which is not async-signal-safe; {{.*}} [fork-hazard-unsafe-call-in-child]
// CHECK: :[[@LINE-7]]:7: note: the child process is created here
// CHECK: :[[@LINE-8]]:7: note: 'fork() == 0' is true in the child process
// CHECK: :[[@LINE-10]]:10: note: 'cb' is set to 'log_and_cleanup' here and never changed
// CHECK: :[[@LINE-14]]:3: note: 'log_and_cleanup' calls 'syslog', which is not async-signal-safe
// CHECK: note: threads are created here
void known_library_pointer(void) {
  void *(*allocate)(size_t) = &malloc; // expected-note {{'allocate' is set to 'malloc' here and never changed}}
  if (fork() == 0) { // expected-note {{created here}} expected-note {{true in the child}}
    (*allocate)(16); // expected-warning {{'malloc' is not async-signal-safe; in a multithreaded program the child of fork() can deadlock here if another thread held the allocator's lock}}
    _exit(0);
  }
}

// ---- negatives ----

// Function pointers that may hold something else when the child calls them: reassigned, address
// taken, a global. Judged as today: silent, or "may not be" with unknown-calls=unsafe.
void install_handler(void (**slot)(void));
static void (*global_cb)(void) = log_and_cleanup;
static void quiet_exit(void) { _exit(0); }
void pointer_reassigned(int quiet) {
  void (*cb)(void) = log_and_cleanup;
  if (quiet)
    cb = quiet_exit;
  if (fork() == 0) { // unknown-note {{created here}} unknown-note {{true in the child}}
    cb(); // unknown-warning {{the function called through 'cb' may not be async-signal-safe}}
    _exit(0);
  }
}
void pointer_address_taken(void) {
  void (*cb)(void) = log_and_cleanup;
  install_handler(&cb);
  if (fork() == 0) { // unknown-note {{created here}} unknown-note {{true in the child}}
    cb(); // unknown-warning {{the function called through 'cb' may not be async-signal-safe}}
    _exit(0);
  }
}
void global_pointer(void) {
  if (fork() == 0) { // unknown-note {{created here}} unknown-note {{true in the child}}
    global_cb(); // unknown-warning {{the function called through 'global_cb' may not be async-signal-safe}}
    _exit(0);
  }
}

// A chain deeper than the summaries' bound (64 helpers, SignalSafety::MaxDepth) counts as safe
// past the bound: the cost of a summary stays bounded and the stack is not exhausted.
CHAIN10(z, allocate)
CHAIN10(y, z0)
CHAIN10(x, y0)
CHAIN10(w, x0)
CHAIN10(v, w0)
CHAIN10(u, v0)
CHAIN10(t, u0)
void beyond_the_bound(void) {
  if (fork() == 0) {
    t0();
    _exit(0);
  }
}

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

// The C library's macros (errno, assert, FD_SET, htons) expand to its own helpers, not calls
// the child makes by name.
void library_macros(int fd, char **argv) {
  if (fork() == 0) {
    assert(fd >= 0);
    fd_set set;
    FD_ZERO(&set);
    FD_SET(fd, &set);
    unsigned short port = htons(80);
    (void)port;
    if (dup2(fd, 0) < 0)
      _exit(errno == EBADF ? 3 : 4);
    execv(argv[0], argv);
    _exit(127);
  }
}

// The common idiom: report the failed exec, then _exit. What follows a failed exec is not
// checked, in the forking function or in a helper.
void exec_then_perror(char **argv) {
  if (fork() == 0) {
    execvp(argv[0], argv);
    perror("execvp");
    _exit(127);
  }
}
static void run_child(char **argv) {
  execvp(argv[0], argv);
  fprintf(stderr, "cannot run %s\n", argv[0]);
  _exit(127);
}
void exec_in_helper(char **argv) {
  if (fork() == 0)
    run_child(argv);
}

// A helper of this file that only does safe things and _exits (an _exit wrapper) is fine.
static void child_exit(int code) {
  write(2, "bye\n", 4);
  _exit(code);
}
void safe_helper(void) {
  if (fork() == 0)
    child_exit(0);
}

// The parent may call anything after the fork, and code before the fork is not the child's.
void parent_side(void) {
  char *buffer = malloc(64);
  pid_t pid = fork();
  if (pid == 0)
    _exit(0);
  if (pid < 0) {
    perror("fork");
    return;
  }
  printf("child %d\n", (int)pid);
  free(buffer);
}

// A fork wrapper whose callers keep the pid: only the parent (or a failed fork) reports.
static pid_t checked_fork(void) {
  pid_t pid = fork();
  if (pid < 0) {
    perror("fork");
    _exit(1);
  }
  return pid;
}
pid_t spawn(char **argv) {
  pid_t pid = checked_fork();
  if (pid == 0) {
    execv(argv[0], argv);
    _exit(127);
  }
  printf("started %d\n", (int)pid);
  return pid;
}

// Calls after a successful exec cannot run; exec + _exit is the end of the child.
void after_exec(char **argv) {
  if (fork() == 0) {
    execv(argv[0], argv);
    _exit(127);
    printf("unreachable\n");
  }
}

// A vfork child is vfork-misuse's.
void vfork_child(void) {
  if (vfork() == 0) {
    printf("vfork child\n");
    _exit(0);
  }
}

// Unknown functions (defined elsewhere) and calls through pointers: only with unknown-calls.
void unknown_calls(void (*callback)(void)) {
  if (fork() == 0) { // unknown-note 2 {{created here}} unknown-note 2 {{true in the child}}
    external_helper(); // unknown-warning {{'external_helper' is defined in another file and may not be async-signal-safe; in a multithreaded program the child of fork() can deadlock there if it waits for a lock another thread held}}
    callback(); // unknown-warning {{the function called through 'callback' may not be async-signal-safe}}
    _exit(0);
  }
}
static void calls_unknown(void) {
  external_helper(); // unknown-note {{'calls_unknown' calls 'external_helper', which is defined in another file and may not be async-signal-safe}}
}
void unknown_through_helper(void) {
  if (fork() == 0) { // unknown-note {{created here}} unknown-note {{true in the child}}
    calls_unknown(); // unknown-warning {{'calls_unknown' calls 'external_helper', which is defined in another file and may not be async-signal-safe}}
    _exit(0);
  }
}
