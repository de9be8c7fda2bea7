// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,child-escape -Xclang -verify %s
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,child-escape %s 2>&1 | FileCheck %s

#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

void sayHello(void);
void do_stuff(void);
void serve(void);
__attribute__((noreturn)) void worker(void);

// The lecture's example: the child returns 0 from a helper and runs its caller's code.
int createChildAndSayHello(void) {
  pid_t pid = fork(); // expected-note {{the child process is created here}}
  if (pid == 0) { // expected-note {{'pid == 0' is true in the child process}}
    sayHello();
    return 0; // expected-warning {{the child process returns from 'createChildAndSayHello' into its caller and goes on running code meant for the parent}}
  }
  waitpid(pid, NULL, 0);
} // expected-warning {{non-void function does not return a value}} (the lecture's code as it is: the parent returns no value, nothing tells the caller which process it is in)
// CHECK: child-escape.c:{{[0-9]+}}:5: warning: the child process returns from 'createChildAndSayHello' into its caller and goes on running code meant for the parent [fork-hazard-child-escape]
// CHECK: child-escape.c:{{[0-9]+}}:15: note: the child process is created here
// CHECK: child-escape.c:{{[0-9]+}}:7: note: 'pid == 0' is true in the child process

void falls_off_the_end(void) {
  if (fork() == 0) { // expected-note {{the child process is created here}} expected-note {{'fork() == 0' is true in the child process}}
    do_stuff();
  }
} // expected-warning {{the child process reaches the end of 'falls_off_the_end' and returns into its caller and goes on running code meant for the parent}}

void negated(void) {
  pid_t pid;
  if (!(pid = fork())) { // expected-note {{created here}} expected-note {{is true in the child process}}
    do_stuff();
    return; // expected-warning {{returns from 'negated'}}
  }
  waitpid(pid, NULL, 0);
}

int switch_case_returns(void) {
  switch (fork()) { // expected-note {{created here}}
  case -1:
    return -1;
  case 0: // expected-note {{the child process takes this case}}
    serve();
    return 0; // expected-warning {{returns from 'switch_case_returns'}}
  default:
    wait(NULL);
    return 1;
  }
}
// The function tells the processes apart (0, 1, -1), but this caller throws the answer away.
void ignores_which_process(void) { switch_case_returns(); } // expected-note {{'switch_case_returns' is called here and its result, which tells the child from the parent, is thrown away}}

// Negative: 0 in the child, 1 in the parent, like fork itself: the caller dispatches on it
// (openssh's privsep_preauth, gnulib's savewd_save, libmount's mnt_fork_context).
int privsep_like(void) {
  pid_t pid = fork();
  if (pid == -1)
    abort();
  if (pid != 0) {
    waitpid(pid, NULL, 0);
    return 1;
  }
  do_stuff();
  return 0;
}
int uses_privsep_like(void) {
  if (privsep_like() == 1)
    return 1; // parent: done
  serve();
  return 0;
}

// Positive: the same value in both processes tells the caller nothing.
int same_value_in_both(void) {
  pid_t pid = fork(); // expected-note {{created here}}
  if (pid == 0) { // expected-note {{is true in the child process}}
    do_stuff();
    return 0; // expected-warning {{returns from 'same_value_in_both'}}
  }
  waitpid(pid, NULL, 0);
  return 0;
}

// Positive: the parent's value is not a constant, so the caller cannot tell.
int parent_value_unknown(int status) {
  pid_t pid = fork(); // expected-note {{created here}}
  if (pid == 0) { // expected-note {{is true in the child process}}
    do_stuff();
    return 0; // expected-warning {{returns from 'parent_value_unknown'}}
  }
  waitpid(pid, &status, 0);
  return status;
}

// In main, returning ends the process (exit-in-child's business), but running the parent's
// code first is this check's.
int main(void) {
  pid_t pid = fork(); // expected-note {{the child process is created here}}
  if (pid == 0) { // expected-note {{'pid == 0' is true in the child process}}
    do_stuff();
  }
  waitpid(pid, NULL, 0); // expected-warning {{the child process falls through into code that the parent also runs}} expected-note {{the child process then waits for children like the parent}}
  return 0;
}

void shared_then_returns(void) {
  pid_t pid = fork(); // expected-note {{created here}}
  if (pid == 0) { // expected-note {{is true in the child process}}
    do_stuff();
  } else {
    serve();
  }
  do_stuff(); // expected-warning {{falls through into code that the parent also runs}}
} // expected-note {{the child process then reaches the end of 'shared_then_returns'}}

//===--- Negatives ---===//

// A wrapper that returns the pid: its callers are analyzed as fork sites instead.
pid_t Fork(void) {
  pid_t pid = fork();
  if (pid < 0)
    abort();
  return pid;
}

pid_t fork_with_setup(void) {
  pid_t pid = fork();
  if (pid == 0)
    setsid();
  return pid;
}

void uses_wrapper(void) {
  if (Fork() == 0) {
    do_stuff();
    _exit(0);
  }
  wait(NULL);
}

int child_exits_in_helper(void) {
  pid_t pid = fork();
  if (pid == 0) {
    do_stuff();
    _exit(0);
  }
  return waitpid(pid, NULL, 0);
}

static void exit_from_child(int code) { _exit(code); }

int child_uses_exit_wrapper(void) {
  pid_t pid = fork();
  if (pid == 0) {
    do_stuff();
    exit_from_child(1);
  }
  return pid;
}

// Both processes close their end of a pipe, then the roles split again for good.
void shared_setup_then_split(int fds[2]) {
  pid_t pid = fork();
  if (pid == 0)
    close(fds[1]);
  else
    close(fds[0]);
  if (pid == 0) {
    serve();
    _exit(0);
  }
  waitpid(pid, NULL, 0);
}

void noreturn_worker(void) {
  if (fork() == 0)
    worker();
  wait(NULL);
}

void child_loops_forever(void) {
  if (fork() == 0)
    for (;;)
      serve();
  wait(NULL);
}

void parent_only_after_split(void) {
  pid_t pid = fork();
  if (pid < 0)
    return;
  if (pid > 0) {
    waitpid(pid, NULL, 0);
    return;
  }
  do_stuff();
  _exit(0);
}

void exec_then_exit(char **argv) {
  pid_t pid = vfork();
  if (pid == 0) {
    execv(argv[0], argv);
    _exit(127);
  }
  waitpid(pid, NULL, 0);
}

int child_returns_from_main_is_not_an_escape(void);

// Negative: a multi-call binary's program entry returns into a caller that exits (exit-in-child
// reports it); a function named like one without main's parameters is an ordinary function.
int applet_main(int argc, char **argv) {
  (void)argc;
  (void)argv;
  pid_t pid = fork();
  if (pid == 0) {
    do_stuff();
    return 0;
  }
  waitpid(pid, NULL, 0);
  return 0;
}
int helper_main(int fd) {
  pid_t pid = fork(); // expected-note {{created here}}
  if (pid == 0) { // expected-note {{is true in the child process}}
    do_stuff();
    return fd; // expected-warning {{returns from 'helper_main'}}
  }
  waitpid(pid, NULL, 0);
  return fd;
}

// Negative: false in the child and after a failed fork ("do the work here"), true in the parent
// (gnulib's savewd_save).
_Bool save_by_forking(pid_t *child) {
  *child = fork();
  if (*child != 0) {
    if (0 < *child)
      return 1;
    do_stuff(); // record the error
  }
  return 0;
}

// Negative: the child exists only when both maps are set (usermap is non-null on its way in),
// so it always takes the first exec and never the parent's call below (util-linux unshare's
// map_ids_from_child). Pointers are followed as null or non-null.
void map_ids(const char *tool, int *map); // execs, or exits on failure
__attribute__((noreturn)) void map_ids_noreturn(const char *tool, int *map);
void map_ids_from_child(int *usermap, int *groupmap) {
  pid_t pid = 0;
  if (usermap && groupmap) {
    pid = fork();
    if (pid < 0)
      _exit(1);
    if (pid)
      waitpid(pid, NULL, 0);
  }
  if (!pid && usermap)
    map_ids_noreturn("newuidmap", usermap);
  if (groupmap)
    map_ids_noreturn("newgidmap", groupmap);
  _exit(0);
}

// Negative: the same with `!= NULL` and a flag set when the fork happened.
void forked_when_enabled(int *config, int enabled) {
  pid_t pid = 0;
  if (config != NULL && enabled != 0)
    pid = fork();
  if (pid == -1)
    _exit(1);
  if (pid == 0 && enabled)
    map_ids_noreturn("helper", config);
  if (pid > 0)
    waitpid(pid, NULL, 0);
}

// Negative: `a || b` not taken means neither is set.
void forked_unless_either(int *quiet, int *dry_run) {
  if (quiet || dry_run)
    return;
  pid_t pid = fork();
  if (pid < 0)
    return;
  if (pid == 0 && !quiet)
    map_ids_noreturn("helper", dry_run);
  waitpid(pid, NULL, 0);
}

// Positive: the pointer is reassigned before the test, so it may be null again.
void pointer_changes(int *usermap, int *fallback) {
  pid_t pid = 0;
  if (usermap) {
    pid = fork(); // expected-note {{the child process is created here}}
    if (pid < 0)
      _exit(1);
    if (pid)
      waitpid(pid, NULL, 0); // expected-note@-1 {{'pid' is false in the child process}}
  }
  usermap = fallback; // expected-warning {{the child process falls through into code that the parent also runs}}
  if (!pid && usermap) // expected-note {{'!pid' is true in the child process}}
    map_ids_noreturn("newuidmap", usermap);
  do_stuff();
  wait(NULL); // expected-note {{the child process then waits}}
}

// Positive: its address escapes, so anything may change it.
void set_map(int **where);
void pointer_address_taken(int *usermap) {
  pid_t pid = 0;
  if (usermap) {
    pid = fork(); // expected-note {{the child process is created here}}
    if (pid < 0)
      _exit(1);
    if (pid)
      waitpid(pid, NULL, 0); // expected-note@-1 {{'pid' is false in the child process}}
  }
  set_map(&usermap); // expected-warning {{the child process falls through into code that the parent also runs}}
  if (!pid && usermap) // expected-note {{'!pid' is true in the child process}}
    map_ids_noreturn("newuidmap", usermap);
  do_stuff();
  wait(NULL); // expected-note {{the child process then waits}}
}

// Flags tested with a relational comparison (a prefork pool of shards): the parent's value is
// the constant -1, a child's is a loop index counting up from 0, so `shard >= 0` is the
// children's branch alone.
void work_on(int shard);
int run_shards(int n) {
  int shard = -1;
  for (int i = 0; i < n; i++) {
    pid_t pid = fork();
    if (pid < 0)
      return -1;
    if (pid == 0) {
      shard = i;
      break;
    }
  }
  if (shard >= 0) {
    work_on(shard);
    _exit(0);
  }
  while (wait(NULL) > 0)
    continue;
  return 0;
}

// The same with the test the other way round and an unsigned index.
int run_shards_unsigned(unsigned n) {
  int me = -1;
  for (unsigned i = 0; i < n; ++i)
    if (fork() == 0) {
      me = (int)i;
      break;
    }
  if (me < 0) {
    while (wait(NULL) > 0)
      continue;
    return 0;
  }
  work_on(me);
  _exit(0);
}

// `0 <= slot` and `slot > -1` read like `slot >= 0`; the parent's value comes from a test.
int run_slots(int n, int reuse) {
  int slot = reuse ? -2 : -1;
  for (int i = 1; i <= n; i++)
    if (fork() == 0) {
      slot = i - 1;
      break;
    }
  if (0 <= slot && slot > -1) {
    work_on(slot);
    _exit(0);
  }
  while (wait(NULL) > 0)
    continue;
  return 0;
}

// Positive: the parent's value is not known, so the parent may also take `shard >= 0`.
int run_shards_from(int n, int first) {
  int shard = first;
  for (int i = 0; i < n; i++) {
    pid_t pid = fork(); // expected-note {{the child process is created here}}
    if (pid < 0)
      return -1;
    if (pid == 0) { // expected-note {{'pid == 0' is true in the child process}}
      shard = i;
      break;
    }
  }
  if (shard >= 0) { // expected-warning {{the child process falls through into code that the parent also runs}}
    work_on(shard);
    _exit(0); // expected-note {{the child process then ends here}}
  }
  while (wait(NULL) > 0)
    continue;
  return 0;
}

// Positive: a loop index that may start negative is no proof of a child.
int run_shards_offset(int n) {
  int shard = -1;
  for (int i = -n; i < n; i++) {
    pid_t pid = fork(); // expected-note {{the child process is created here}}
    if (pid < 0)
      return -1;
    if (pid == 0) { // expected-note {{'pid == 0' is true in the child process}}
      shard = i;
      break;
    }
  }
  if (shard >= 0) { // expected-warning {{the child process falls through into code that the parent also runs}}
    work_on(shard);
    _exit(0);
  }
  while (wait(NULL) > 0) // expected-note {{the child process then waits for children like the parent}}
    continue;
  return 0;
}
