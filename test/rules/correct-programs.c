// Correct fork code, with every check on: no diagnostic at all. Each function is a pattern a
// careless analyzer would flag; each one handles fork's -1, ends every child and reaps it.
// RUN: %clang_fh -Xclang -verify %s
// RUN: %clang_fh -fplugin-arg-fork-hazard-stats %s 2>&1 | FileCheck %s
// CHECK: fork-hazard: {{.*}}correct-programs.c: {{[1-9][0-9]*}} functions analyzed, {{[1-9][0-9]*}} fork sites, 0 findings, 0 suppressed
// expected-no-diagnostics
// Every check on, the opt-in suggestion too: only that suggestion (these children could be
// posix_spawn calls), nothing else.
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=* %s 2>&1 | FileCheck --check-prefix=ALL %s
// ALL-NOT: {{\[fork-hazard-(fork-in-loop|nested-fork|child-escape|unchecked-exec|exit-in-child|unsafe-call-in-child|missing-wait|unchecked-fork-error|vfork-misuse|fd-leak-into-exec|pipe-end-leak|signal-state-leak)\]}}
// ALL: [fork-hazard-prefer-posix-spawn]
// ALL-NOT: {{\[fork-hazard-(fork-in-loop|nested-fork|child-escape|unchecked-exec|exit-in-child|unsafe-call-in-child|missing-wait|unchecked-fork-error|vfork-misuse|fd-leak-into-exec|pipe-end-leak|signal-state-leak)\]}}
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

void work(int);
__attribute__((noreturn)) void serve_forever(int listen_fd);

// Double-fork daemon: the middle child forks once more and exits at once; the grandchild is
// adopted by init; the original parent reaps the middle child.
int daemonize(void) {
  pid_t middle = fork();
  if (middle < 0)
    return -1;
  if (middle == 0) {
    if (setsid() < 0)
      _exit(1);
    pid_t grandchild = fork();
    if (grandchild != 0)
      _exit(grandchild < 0 ? 1 : 0);
    work(0);
    _exit(0);
  }
  int status;
  if (waitpid(middle, &status, 0) < 0)
    return -1;
  return 0;
}

// Prefork server: every child runs a noreturn worker; the parent keeps the pids and reaps them.
int prefork(int listen_fd, pid_t *children, int n) {
  for (int i = 0; i < n; i++) {
    pid_t pid = fork();
    if (pid < 0)
      return -1;
    if (pid == 0)
      serve_forever(listen_fd);
    children[i] = pid;
  }
  for (int i = 0; i < n; i++)
    waitpid(children[i], NULL, 0);
  return 0;
}

// A helper that always ends the process, without a noreturn attribute.
static void child_exit(int code) {
  fflush(stderr);
  _exit(code);
}

int spawn_with_helper(void) {
  pid_t pid = fork();
  if (pid == -1)
    return -1;
  if (pid == 0) {
    work(1);
    child_exit(0);
  }
  return waitpid(pid, NULL, 0) < 0 ? -1 : 0;
}

// switch on fork's result, with -1 handled.
int spawn_switch(char **argv) {
  pid_t pid;
  switch (pid = fork()) {
  case -1:
    perror("fork");
    return -1;
  case 0:
    execv(argv[0], argv);
    _exit(127);
  default:
    break;
  }
  int status;
  waitpid(pid, &status, 0);
  return status;
}

// Code after the split that only the parent can reach.
int parent_only_after_split(void) {
  pid_t pid = fork();
  if (pid < 0)
    return -1;
  if (pid == 0) {
    work(2);
    _exit(0);
  }
  printf("started %d\n", (int)pid); // only the parent gets here
  kill(pid, SIGTERM);
  return waitpid(pid, NULL, 0) == pid ? 0 : -1;
}

// fork hidden in a macro, used correctly.
#define SPAWN(fn, arg)                                                                         \
  ({                                                                                           \
    pid_t spawned_ = fork();                                                                   \
    if (spawned_ == 0) {                                                                       \
      fn(arg);                                                                                 \
      _exit(0);                                                                                \
    }                                                                                          \
    spawned_;                                                                                  \
  })

int spawn_by_macro(void) {
  pid_t pid = SPAWN(work, 3);
  if (pid < 0)
    return -1;
  return waitpid(pid, NULL, 0) < 0 ? -1 : 0;
}

// The pid is returned to the caller, who reaps it.
static pid_t start_worker(void) {
  pid_t pid = fork();
  if (pid == 0) {
    work(4);
    _exit(0);
  }
  return pid; // -1 or the child's pid; the caller checks
}

int run_worker(void) {
  pid_t pid = start_worker();
  if (pid < 0)
    return -1;
  int status;
  return waitpid(pid, &status, 0) < 0 ? -1 : status;
}

// Found on real code (bench/findings.tsv): the parent never leaves, so the child returning is
// the program's continuation (lighttpd daemonize, sshd's accept loop).
int daemonize_returns_in_child(void) {
  pid_t pid = fork();
  if (pid < 0)
    return -1;
  if (pid > 0)
    _exit(0);
  setsid();
  return 0;
}

int accept_loop(int listen_fd, pid_t *children) {
  for (int n = 0;; n++) {
    int connection = accept(listen_fd, NULL, NULL);
    pid_t pid = fork();
    if (pid == 0) {
      close(listen_fd);
      return connection; // the child serves the connection
    }
    if (pid > 0)
      children[n] = pid;
    close(connection);
  }
}

// A wrapper that returns 0 to the child and the pid to the parent (tmux's
// proc_fork_and_daemon); its callers are checked instead.
static pid_t fork_closing(int fd) {
  pid_t pid;
  switch (pid = fork()) {
  case -1:
    return -1;
  case 0:
    close(fd);
    return 0;
  default:
    return pid;
  }
}

int use_fork_closing(int fd) {
  pid_t pid = fork_closing(fd);
  if (pid < 0)
    return -1;
  if (pid == 0) {
    work(5);
    _exit(0);
  }
  return waitpid(pid, NULL, 0) < 0 ? -1 : 0;
}

// vfork through a GNU statement expression (busybox's xvfork()).
#define xvfork()                                                                               \
  ({                                                                                           \
    pid_t vforked_ = vfork();                                                                  \
    if (vforked_ < 0)                                                                          \
      abort();                                                                                 \
    vforked_;                                                                                  \
  })

int run_with_xvfork(char **argv) {
  pid_t pid = xvfork();
  if (pid == 0) {
    execv(argv[0], argv);
    _exit(127);
  }
  return waitpid(pid, NULL, 0) < 0 ? -1 : 0;
}

// A child that ends by returning from main after its own branch... through _exit.
int main(int argc, char **argv) {
  pid_t pid = fork();
  if (pid < 0)
    return 1;
  if (pid == 0) {
    execvp(argv[0], argv);
    _exit(127);
  }
  int status = 0;
  while (waitpid(-1, &status, 0) > 0)
    ;
  return daemonize() + prefork(0, NULL, 0) + spawn_with_helper() + spawn_switch(argv) +
         parent_only_after_split() + spawn_by_macro() + run_worker() + argc;
}

// A prefork server that keeps the role in a flag (lighttpd's server_main_setup_workers): the
// child sets `child = 1`, which ends the loop, and the function returns 1 to the worker.
int setup_workers(int workers) {
  int child = 0;
  int started = 0;
  while (!child && started < workers) {
    switch (fork()) {
    case -1:
      return -1;
    case 0:
      child = 1;
      break;
    default:
      started++;
      break;
    }
  }
  if (!child) {
    while (started-- > 0)
      wait(NULL);
    return 0;
  }
  return 1;
}

// A child that goes on with the parent's loop on purpose and ends wherever the loop is left,
// through a flag (util-linux ttymsg: `forked++`, then `if (forked) _exit(...)`).
int write_or_delegate(int fd, const char *message, size_t length) {
  int forked = 0;
  for (;;) {
    ssize_t written = write(fd, message, length);
    if (written == (ssize_t)length)
      break;
    if (written < 0 && errno == EAGAIN) {
      if (forked)
        _exit(1);
      pid_t pid = fork();
      if (pid < 0)
        return -1;
      if (pid)
        return waitpid(pid, NULL, 0) < 0 ? -1 : 0;
      forked++;
      continue;
    }
    if (forked)
      _exit(1);
    return -1;
  }
  if (forked)
    _exit(0);
  return 0;
}

// Two alternative forks for one pid in a loop, and a pid the child changes (busybox inetd:
// `pid = fork()` or `pid = vfork()`, then `if (pid == 0) pid--;` means "we are the child").
void serve_connections(int use_fork, int connections) {
  for (int i = 0; i < connections; i++) {
    pid_t pid;
    if (use_fork)
      pid = fork();
    else
      pid = vfork();
    if (pid < 0)
      continue;
    if (pid == 0)
      pid--;
    if (pid > 0) {
      waitpid(pid, NULL, 0);
      continue;
    }
    execl("/bin/true", "true", (char *)NULL);
    _exit(127);
  }
}

// A prefork pool of shards (the role in a relational flag): the parent's shard stays -1, each
// child's is its loop index, so `shard >= 0` is the children's branch alone.
void work_on_shard(int shard);
int run_shards(int shards) {
  int shard = -1;
  for (int i = 0; i < shards; i++) {
    pid_t pid = fork();
    if (pid < 0)
      return -1;
    if (pid == 0) {
      shard = i;
      break;
    }
  }
  if (shard >= 0) {
    work_on_shard(shard);
    _exit(0);
  }
  while (wait(NULL) > 0)
    continue;
  return 0;
}

// A parent that starts a helper and then double-forks itself away: it goes on past its second
// fork only as that fork's parent, which ends, so its children belong to init.
__attribute__((noreturn)) void serve_detached(void);
void start_helper_then_detach(void) {
  pid_t helper = fork();
  if (helper < 0)
    _exit(1);
  if (helper == 0) {
    execl("/usr/libexec/helper", "helper", (char *)NULL);
    _exit(127);
  }
  pid_t detached = fork();
  if (detached != 0)
    _exit(detached < 0);
  serve_detached();
}

// A noreturn cleanup helper that ends with _exit is as good as _exit in a child.
__attribute__((noreturn)) static void cleanup_and_exit(int code) {
  fflush(stderr);
  _exit(code);
}
int spawn_with_cleanup(char **argv) {
  pid_t pid = fork();
  if (pid < 0)
    return -1;
  if (pid == 0) {
    execv(argv[0], argv);
    cleanup_and_exit(127);
  }
  return waitpid(pid, NULL, 0) < 0 ? -1 : 0;
}

// Issue 18: pipes, redirections and signal state across fork and exec, done right.

// Capture a command's output: the child keeps only the write end (as stdout), the parent only
// the read end, which it reads to end-of-file.
int capture_output(char **argv, char *out, size_t size) {
  int fds[2];
  size_t used = 0;
  ssize_t n;
  if (pipe(fds) < 0)
    return -1;
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (pid == 0) {
    close(fds[0]);
    dup2(fds[1], STDOUT_FILENO);
    close(fds[1]);
    execvp(argv[0], argv);
    _exit(127);
  }
  close(fds[1]);
  while (used < size && (n = read(fds[0], out + used, size - used)) > 0)
    used += (size_t)n;
  close(fds[0]);
  waitpid(pid, NULL, 0);
  return (int)used;
}

// Feed a filter (`sort`): the read end becomes its stdin and both ends are closed in it.
int feed_filter(const char *data, size_t size) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  pid_t pid = fork();
  if (pid < 0)
    return -1;
  if (pid == 0) {
    dup2(fds[0], STDIN_FILENO);
    close(fds[0]);
    close(fds[1]);
    execlp("sort", "sort", (char *)NULL);
    _exit(127);
  }
  close(fds[0]);
  write(fds[1], data, size);
  close(fds[1]);
  return waitpid(pid, NULL, 0) < 0 ? -1 : 0;
}

// `ls | wc -l`: the shell closes both ends before it waits for either child.
int two_child_pipeline(void) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  pid_t writer = fork();
  if (writer < 0)
    return -1;
  if (writer == 0) {
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    close(fds[1]);
    execlp("ls", "ls", (char *)NULL);
    _exit(127);
  }
  pid_t reader = fork();
  if (reader < 0) {
    waitpid(writer, NULL, 0);
    return -1;
  }
  if (reader == 0) {
    dup2(fds[0], STDIN_FILENO);
    close(fds[0]);
    close(fds[1]);
    execlp("wc", "wc", "-l", (char *)NULL);
    _exit(127);
  }
  close(fds[0]);
  close(fds[1]);
  waitpid(writer, NULL, 0);
  waitpid(reader, NULL, 0);
  return 0;
}

// system(): SIGINT and SIGQUIT ignored and SIGCHLD blocked in the parent while it waits; the
// child puts all three back before it runs the shell.
int run_shell_command(const char *command) {
  struct sigaction ignore, saved_int, saved_quit;
  sigset_t block, saved_mask;
  int status = -1;
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  ignore.sa_flags = 0;
  sigaction(SIGINT, &ignore, &saved_int);
  sigaction(SIGQUIT, &ignore, &saved_quit);
  sigemptyset(&block);
  sigaddset(&block, SIGCHLD);
  sigprocmask(SIG_BLOCK, &block, &saved_mask);
  pid_t pid = fork();
  if (pid == 0) {
    sigaction(SIGINT, &saved_int, NULL);
    sigaction(SIGQUIT, &saved_quit, NULL);
    sigprocmask(SIG_SETMASK, &saved_mask, NULL);
    execl("/bin/sh", "sh", "-c", command, (char *)NULL);
    _exit(127);
  }
  if (pid > 0)
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
      ;
  sigaction(SIGINT, &saved_int, NULL);
  sigaction(SIGQUIT, &saved_quit, NULL);
  sigprocmask(SIG_SETMASK, &saved_mask, NULL);
  return status;
}

// A helper's output to a log opened close-on-exec and copied onto stdout and stderr (dup2
// clears the flag on the copies only); SIGPIPE, ignored for the parent's own writes, is put
// back for the helper.
int run_logged(char **argv, const char *log) {
  int fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0)
    return -1;
  signal(SIGPIPE, SIG_IGN);
  pid_t pid = fork();
  if (pid < 0) {
    close(fd);
    return -1;
  }
  if (pid == 0) {
    signal(SIGPIPE, SIG_DFL);
    dup2(fd, STDOUT_FILENO);
    dup2(fd, STDERR_FILENO);
    execvp(argv[0], argv);
    _exit(127);
  }
  close(fd);
  return waitpid(pid, NULL, 0) < 0 ? -1 : 0;
}

// The self-pipe that reports a failed exec: the child's end is close-on-exec, the parent reads
// once (0 bytes: the exec worked).
int spawn_reporting_failure(char **argv) {
  int fds[2], error = 0;
  if (pipe2(fds, O_CLOEXEC) < 0)
    return -1;
  pid_t pid = fork();
  if (pid < 0)
    return -1;
  if (pid == 0) {
    close(fds[0]);
    execvp(argv[0], argv);
    error = errno;
    write(fds[1], &error, sizeof error);
    _exit(127);
  }
  close(fds[1]);
  ssize_t n = read(fds[0], &error, sizeof error);
  close(fds[0]);
  if (n > 0) {
    waitpid(pid, NULL, 0);
    return -1;
  }
  return waitpid(pid, NULL, 0) < 0 ? -1 : 0;
}
