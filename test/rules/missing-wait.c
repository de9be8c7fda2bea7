// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,missing-wait -Xclang -verify %s
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,missing-wait %s 2>&1 | FileCheck %s
// The project's own reaper, named by wait-functions, is a wait; without the option it is a
// function the pid escapes to. Either way reaped_by_project_function() is silent.
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,missing-wait -fplugin-arg-fork-hazard-wait-functions=reap_later -Xclang -verify %s
// SIGCHLD handling, reaper loops and reaper threads: missing-wait-reapers.c.

#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int next_request(void);
void handle(int);
void remember(pid_t);
void reap_later(pid_t); // defined elsewhere

// A server that forks per request and never waits.
void serve(void) {
  for (;;) { // expected-note {{the parent process goes round this loop and forks again without waiting}}
    int request = next_request();
    pid_t pid = fork(); // expected-warning {{the child created by 'fork' is never waited for; it stays a zombie until this process exits}}
    if (pid == 0) { // expected-note {{'pid == 0' is false in the parent process}}
      handle(request);
      _exit(0);
    }
  }
}
// CHECK: missing-wait.c:{{[0-9]+}}:17: warning: the child created by 'fork' is never waited for; it stays a zombie until this process exits [fork-hazard-missing-wait]
// CHECK: note: 'pid == 0' is false in the parent process
// CHECK: note: the parent process goes round this loop and forks again without waiting

// The parent returns without waiting and the pid goes nowhere.
int start_and_forget(void) {
  if (fork() == 0) { // expected-warning {{never waited for}} expected-note {{'fork() == 0' is false in the parent process}}
    handle(0);
    _exit(0);
  }
  return 0; // expected-note {{the parent process returns from 'start_and_forget' into its caller here without waiting for the child}}
}

// A helper that returns the pid; a caller that drops it is reported at the call.
static pid_t spawn_worker(void) {
  pid_t pid = fork(); // expected-note 3 {{the child process is created here, in 'spawn_worker'}}
  if (pid == 0) {
    handle(1);
    _exit(0);
  }
  return pid;
}

void drops_it(void) {
  spawn_worker(); // expected-warning {{the child created by 'spawn_worker' is never waited for: the pid it returns is dropped here}}
  printf("started\n");
}
// Negative: a caller that ends right after dropping the pid hands the child to init (a
// worker process's `spawn(...); _exit(0);`).
void drops_it_and_ends(void) {
  spawn_worker();
  _exit(0);
}
// CHECK: missing-wait.c:{{[0-9]+}}:3: warning: the child created by 'spawn_worker' is never waited for: the pid it returns is dropped here, so the child stays a zombie until this process exits [fork-hazard-missing-wait]
// CHECK: missing-wait.c:{{[0-9]+}}:15: note: the child process is created here, in 'spawn_worker'

// Kept in a variable that is only tested and printed: dropped as well.
int keeps_but_forgets(void) {
  pid_t worker = spawn_worker(); // expected-warning {{the child created by 'spawn_worker' is never waited for: the pid it returns is kept in 'worker' but never waited for or passed on, so the child stays a zombie until this process exits}}
  if (worker < 0)
    return -1;
  printf("worker %d\n", (int)worker);
  return 0;
}

void only_tested(void) {
  if (spawn_worker() < 0) // expected-warning {{the pid it returns is dropped here}}
    perror("fork");
}

// Callers that keep the pid: pass it on, return it.
void hands_it_on(void) { remember(spawn_worker()); }
pid_t returns_it(void) {
  pid_t pid = spawn_worker();
  return pid;
}

int waits_for_it(void) {
  pid_t pid = spawn_worker();
  if (pid < 0)
    return -1;
  int status;
  waitpid(pid, &status, 0);
  return status;
}

// Passing the pid to a function that only uses it is no escape.
void kills_but_never_reaps(void) {
  pid_t pid = fork(); // expected-warning {{never waited for}}
  if (pid == 0) { // expected-note {{false in the parent}}
    pause();
    _exit(0);
  }
  if (pid > 0) // expected-note {{'pid > 0' is true in the parent process}}
    kill(pid, 15);
  printf("child %d\n", (int)pid);
} // expected-note {{reaches the end of 'kills_but_never_reaps'}}

// A wait for another child does not reap this one.
void waits_for_another(pid_t other) {
  pid_t pid = fork(); // expected-warning {{never waited for}}
  if (pid == 0) { // expected-note {{'pid == 0' is false in the parent process}}
    handle(6);
    _exit(0);
  }
  waitpid(other, NULL, 0);
} // expected-note {{the parent process reaches the end of 'waits_for_another'}}

// A fork wrapper's caller that forgets the pid.
pid_t Fork(void) { // expected-note {{'Fork' returns the pid of the child it creates}}
  pid_t pid = fork();
  if (pid < 0)
    abort();
  return pid;
}

void forgets_wrapped(void) {
  if (Fork() == 0) { // expected-warning {{the child created by 'Fork' is never waited for}} expected-note {{'Fork() == 0' is false in the parent process}}
    handle(7);
    _exit(0);
  }
} // expected-note {{the parent process reaches the end of 'forgets_wrapped'}}

// ---- negatives ----

void waits_for_wrapped(void) {
  pid_t pid = Fork();
  if (pid == 0)
    _exit(0);
  waitpid(pid, NULL, 0);
}

// The pid is returned through a conditional.
pid_t returns_checked(void) {
  pid_t pid = fork();
  if (pid == 0)
    _exit(0);
  return pid > 0 ? pid : -1;
}

// The pid is stored in an array and all children are waited for later, in a loop.
struct worker { pid_t pid; int busy; };
static struct worker workers[8];

void start_pool(void) {
  for (int i = 0; i < 8; i++) {
    pid_t pid = fork();
    if (pid == 0) {
      handle(i);
      _exit(0);
    }
    workers[i].pid = pid;
  }
}

void stop_pool(void) {
  for (int i = 0; i < 8; i++)
    waitpid(workers[i].pid, NULL, 0);
}

// Returned to the caller, passed to another function, stored through a pointer, kept in a
// struct initializer, copied then passed on.
pid_t returns_pid(void) {
  pid_t pid = fork();
  if (pid == 0)
    _exit(0);
  return pid;
}

void passes_pid(void) {
  pid_t pid = fork();
  if (pid == 0)
    _exit(0);
  remember(pid);
}

void stores_through_pointer(pid_t *out) {
  pid_t pid = fork();
  if (pid == 0)
    _exit(0);
  *out = pid;
}

struct child { pid_t pid; const char *name; };
void record(struct child *);

void struct_initializer(void) {
  pid_t pid = fork();
  if (pid == 0)
    _exit(0);
  struct child c = {pid, "worker"};
  record(&c);
}

void copied_then_passed(int n) {
  pid_t last = -1;
  for (int i = 0; i < n; i++) {
    pid_t pid = fork();
    if (pid == 0)
      _exit(0);
    last = pid;
  }
  remember(last);
}

// The parent ends right away: the child is handed to init (daemonizing).
void daemonize_by_hand(void) {
  pid_t pid = fork();
  if (pid < 0)
    exit(1);
  if (pid > 0)
    exit(0);
  setsid();
}

// Double fork: the middle process exits at once, the outer parent reaps it.
void double_fork(void) {
  pid_t middle = fork();
  if (middle == 0) {
    if (fork() != 0)
      _exit(0);
    handle(3);
    _exit(0);
  }
  if (middle > 0)
    waitpid(middle, NULL, 0);
}

// After daemon(), this function's forks are not its caller's to reap.
void after_daemon(void) {
  if (daemon(0, 0) < 0)
    return;
  if (fork() == 0) {
    handle(4);
    _exit(0);
  }
}

// The project's reaper: a function given the pid may reap it, with or without wait-functions.
void reaped_by_project_function(void) {
  pid_t pid = fork();
  if (pid == 0) {
    handle(5);
    _exit(0);
  }
  if (pid > 0)
    reap_later(pid);
}

// Negative: the pid through a GNU statement expression (busybox's xvfork() macro), then waited.
#define xfork() ({ pid_t forked_ = fork(); if (forked_ < 0) abort(); forked_; })
int statement_expression_wrapper(char **argv) {
  pid_t pid = xfork();
  if (pid == 0) {
    execvp(argv[0], argv);
    _exit(127);
  }
  waitpid(pid, NULL, 0);
  return 0;
}

// Negative: the pid stored in a global is reaped later by whoever reads it (coreutils split's
// filter_pid, openssh sftp's sshpid).
pid_t filter_pid;
static pid_t helper_pid;
int store_in_global(char *cmd) {
  pid_t child = fork();
  if (child == 0) {
    execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
    _exit(127);
  }
  filter_pid = child;
  return 0;
}
int assign_global_in_condition(char **argv) {
  if ((helper_pid = fork()) == 0) {
    execvp(argv[0], argv);
    _exit(127);
  }
  return helper_pid < 0 ? -1 : 0;
}

// A helper of this file that only tests or prints the pid does not keep it: the child is still
// nobody's to reap.
static void trace_child(pid_t pid) {
  if (pid > 0)
    fprintf(stderr, "child %d\n", (int)pid);
}
void handed_to_tracer(void) {
  for (;;) { // expected-note {{goes round this loop}}
    pid_t pid = fork(); // expected-warning {{the child created by 'fork' is never waited for}}
    if (pid == 0) { // expected-note {{'pid == 0' is false in the parent process}}
      handle(next_request());
      _exit(0);
    }
    trace_child(pid); // expected-note {{'trace_child' only tests or prints the pid it is passed; it does not keep it}}
  }
}
// Negative: helpers that keep the pid, or pass it on to a function of the program (which may
// keep it). (One that tests it while reaping any child: test/program/pid-users.test.)
static pid_t kept[8];
static void keep_child(pid_t pid) { kept[pid % 8] = pid; }
static void wait_for(pid_t pid) { waitpid(pid, NULL, 0); }
static void pass_on(pid_t pid) { remember(pid); }
static void copies(pid_t pid) {
  pid_t copy = pid;
  remember(copy);
}
void handed_to_keepers(void) {
  for (int i = 0; i < 4; ++i) {
    pid_t pid = fork();
    if (pid == 0)
      _exit(0);
    switch (i) {
    case 0: keep_child(pid); break;
    case 1: wait_for(pid); break;
    case 2: pass_on(pid); break;
    default: copies(pid); break;
    }
  }
}
