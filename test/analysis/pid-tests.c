// How each test of the fork's result splits the processes. Every function has a child that
// returns (reported by child-escape) and a parent that returns (never reported), so a form the
// analysis misreads shows up as a missing or an extra warning. The results are thrown away by
// discard_every_result() at the end: a child that returns a value the parent never returns is
// otherwise taken as handed to its caller on purpose (see child-escape.c).
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,child-escape -Xclang -verify -Xclang -verify-ignore-unexpected=note %s

#define _GNU_SOURCE
#include <pty.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

void child_work(void);
void parent_work(pid_t);

int equals_zero(void) {
  pid_t pid = fork();
  if (pid == 0)
    return 1; // expected-warning {{the child process returns}}
  parent_work(pid);
  return 0;
}

int zero_equals(void) {
  pid_t pid = fork();
  if (0 == pid)
    return 1; // expected-warning {{the child process returns}}
  return 0;
}

int not_pid(void) {
  pid_t pid = fork();
  if (!pid)
    return 1; // expected-warning {{the child process returns}}
  return 0;
}

int pid_truthy(void) {
  pid_t pid = fork();
  if (pid)
    return 0; // parent (or failed fork)
  return 1; // expected-warning {{the child process returns}}
}

int not_equal_zero(void) {
  pid_t pid = fork();
  if (pid != 0)
    return 0;
  return 1; // expected-warning {{the child process returns}}
}

int greater_than_zero(void) {
  pid_t pid = fork();
  if (pid > 0)
    return 0;
  if (pid < 0)
    return -1;
  return 1; // expected-warning {{the child process returns}}
}

int failure_first_with_minus_one(void) {
  pid_t pid = fork();
  if (pid == -1)
    return -1;
  if (-1 == pid)
    return -2; // unreachable: already handled
  if (pid)
    return 0;
  return 1; // expected-warning {{the child process returns}}
}

int less_or_equal_zero(void) {
  pid_t pid = fork();
  if (pid <= 0) {
    if (pid == 0)
      return 1; // expected-warning {{the child process returns}}
    return -1;
  }
  return 0;
}

int greater_or_equal_zero_is_both(void) {
  pid_t pid = fork();
  if (pid >= 0) {
    if (pid > 0)
      return 0;
    return 1; // expected-warning {{the child process returns}}
  }
  return -1;
}

int assignment_in_condition(void) {
  pid_t pid;
  if ((pid = fork()) == 0)
    return 1; // expected-warning {{the child process returns}}
  return 0;
}

int negated_assignment(void) {
  pid_t pid;
  if (!(pid = fork()))
    return 1; // expected-warning {{the child process returns}}
  return 0;
}

int fork_call_in_condition(void) {
  if (fork() == 0)
    return 1; // expected-warning {{the child process returns}}
  return 0;
}

int fork_call_truthy(void) {
  if (fork())
    return 0;
  return 1; // expected-warning {{the child process returns}}
}

int copied_twice(void) {
  pid_t pid = fork();
  pid_t copy = pid;
  int as_int = copy;
  if (as_int == 0)
    return 1; // expected-warning {{the child process returns}}
  return 0;
}

int early_return_on_failure(void) {
  pid_t pid = fork();
  if (pid < 0)
    return -1;
  if (pid > 0)
    return 0;
  child_work();
  return 1; // expected-warning {{the child process returns}}
}

int switch_cases(void) {
  switch (fork()) {
  case -1:
    return -1;
  case 0:
    return 1; // expected-warning {{the child process returns}}
  default:
    return 0;
  }
}

int switch_default_is_child_when_no_case_zero(void) {
  pid_t pid = fork();
  switch (pid) {
  case -1:
    return -1;
  default:
    if (pid > 0)
      return 0;
    return 1; // expected-warning {{the child process returns}}
  }
}

int logical_and(int verbose) {
  pid_t pid = fork();
  if (pid > 0 && verbose)
    return 0;
  if (pid == 0 && verbose)
    return 1; // expected-warning {{the child process returns}}
  return 2; // expected-warning {{the child process returns}}
}

int ternary(void) {
  pid_t pid = fork();
  return pid == 0 ? 1 : 0; // expected-warning {{the child process returns}}
}

int underscore_fork(void) {
  pid_t pid = _Fork();
  if (pid == 0)
    return 1; // expected-warning {{the child process returns}}
  return 0;
}

int pty_fork(int *master) {
  pid_t pid = forkpty(master, NULL, NULL, NULL);
  if (pid == 0)
    return 1; // expected-warning {{the child process returns}}
  return 0;
}

// An unrelated value: both processes may take either branch, so both returns are the child's.
int unknown_condition(int flag) {
  pid_t pid = fork();
  (void)pid;
  if (flag)
    return 1; // expected-warning {{the child process returns}}
  return 0; // expected-warning {{the child process returns}}
}

// The variable stops holding the fork's result once it is reassigned.
int reassigned(void) {
  pid_t pid = fork();
  if (pid == 0)
    _exit(0);
  pid = waitpid(pid, NULL, 0);
  if (pid == 0)
    return 1; // only the parent gets here
  return 0;
}

// The pid kept in a struct field (util-linux's pager, busybox hush: `cmd->pid = fork();`).
struct command { pid_t pid; int fd; };
int field_through_pointer(struct command *cmd) {
  cmd->pid = fork();
  if (!cmd->pid) {
    child_work();
    _exit(0);
  }
  return cmd->pid < 0 ? -1 : 0;
}

int field_of_local(void) {
  struct command local;
  local.pid = fork();
  if (local.pid == 0)
    _exit(0);
  return local.pid;
}

// Reassigning the struct pointer forgets what its fields held.
int field_forgotten(struct command *cmd, struct command *other) {
  cmd->pid = fork(); // expected-note {{created here}}
  cmd = other;
  if (cmd->pid == 0) // unknown now: both processes may go either way
    child_work();
  return 0; // expected-warning {{returns from 'field_forgotten'}}
}

// Two alternative forks in one assignment (busybox hush: `command->pid = BB_MMU ? fork() :
// vfork();`): on the fork's path the value is the fork's.
int alternative_forks(struct command *cmd, int mmu) {
  cmd->pid = mmu ? fork() : vfork();
  if (!cmd->pid)
    return 1; // expected-warning {{the child process returns}}
  return 0;
}
// An unrelated alternative is no pid; but the child's value is 0 whichever way the `?:` went.
int not_an_alternative(int mmu) {
  pid_t pid = mmu ? fork() : 0;
  if (pid == 0)
    return 1; // expected-warning {{the child process returns}}
  return 0;
}

// The pid stored through an out-parameter (openssh scp: `*pid = fork(); switch (*pid)`).
int through_out_parameter(pid_t *pid) {
  *pid = fork();
  switch (*pid) {
  case 0:
    return 1; // expected-warning {{the child process returns}}
  case -1:
    return -1;
  default:
    return 0;
  }
}

// A nested member (gnulib savewd: `wd->val.child = fork ();`).
struct saved { int state; struct command val; };
int nested_member(struct saved *wd) {
  wd->val.pid = fork();
  if (wd->val.pid == 0)
    return 1; // expected-warning {{the child process returns}}
  return 0;
}

// Callers that ignore which process they are in: every child return above escapes.
void discard_every_result(struct command *cmd, struct command *other, int *master) {
  equals_zero(); zero_equals(); not_pid(); pid_truthy(); not_equal_zero(); greater_than_zero();
  failure_first_with_minus_one(); less_or_equal_zero(); greater_or_equal_zero_is_both();
  assignment_in_condition(); negated_assignment(); fork_call_in_condition(); fork_call_truthy();
  copied_twice(); early_return_on_failure(); switch_cases();
  switch_default_is_child_when_no_case_zero(); logical_and(1); ternary(); underscore_fork();
  pty_fork(master); unknown_condition(1); reassigned(); field_through_pointer(cmd);
  field_of_local(); field_forgotten(cmd, other); alternative_forks(cmd, 1);
  not_an_alternative(1); through_out_parameter(&cmd->pid); nested_member(0);
}
