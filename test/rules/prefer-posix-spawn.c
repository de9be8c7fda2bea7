// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,prefer-posix-spawn -Xclang -verify %s
// Off by default: every other check on, this one silent.
// RUN: %clang_fh %s 2>&1 | FileCheck --allow-empty --check-prefix=DEFAULT %s
// DEFAULT-NOT: fork-hazard-prefer-posix-spawn

#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

void log_child(pid_t pid);

// Redirect output to a file, detach into a session, exec: all posix_spawn can do.
pid_t run_detached(char **argv, const char *log) {
  pid_t pid = fork(); // expected-warning {{this fork and 'execvp' could be one call to 'posix_spawnp': the child only sets up what the program inherits and execs, which posix_spawn does without running a copy of this program (and faster in a large process)}}
  if (pid == 0) {
    int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644); // expected-note {{'posix_spawn_file_actions_addopen' does this for posix_spawnp}}
    if (fd < 0)
      _exit(127);
    dup2(fd, 1); // expected-note {{'posix_spawn_file_actions_adddup2' does this for posix_spawnp}}
    dup2(fd, 2); // expected-note {{'posix_spawn_file_actions_adddup2' does this for posix_spawnp}}
    close(fd); // expected-note {{'posix_spawn_file_actions_addclose' does this for posix_spawnp}}
    setsid(); // expected-note {{'POSIX_SPAWN_SETSID' does this for posix_spawnp}}
    execvp(argv[0], argv); // expected-note {{'posix_spawnp' runs the program and returns its pid, or the error the exec would have had}}
    perror("execvp");
    _exit(127);
  }
  return pid;
}

// The signal state reset, the working directory changed.
pid_t run_in(const char *dir, char *const argv[], char *const envp[]) {
  pid_t pid = fork(); // expected-warning {{this fork and 'execve' could be one call to 'posix_spawn'}}
  if (pid == 0) {
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL); // expected-note {{'POSIX_SPAWN_SETSIGMASK' does this for posix_spawn}}
    signal(SIGPIPE, SIG_DFL); // expected-note {{'POSIX_SPAWN_SETSIGDEF' does this for posix_spawn}}
    chdir(dir); // expected-note {{'posix_spawn_file_actions_addchdir_np' does this for posix_spawn}}
    setpgid(0, 0); // expected-note {{'POSIX_SPAWN_SETPGROUP' does this for posix_spawn}}
    execve(argv[0], argv, envp); // expected-note {{'posix_spawn' runs the program}}
    _exit(127);
  }
  return pid;
}

// Silent: the child does what posix_spawn cannot (setrlimit, setuid, chroot, user code, a
// memory write, a fallback exec).
pid_t limited(char **argv) {
  pid_t pid = fork();
  if (pid == 0) {
    struct rlimit limit = {1 << 20, 1 << 20};
    setrlimit(RLIMIT_AS, &limit);
    execvp(argv[0], argv);
    _exit(127);
  }
  return pid;
}

pid_t as_nobody(char **argv) {
  pid_t pid = fork();
  if (pid == 0) {
    if (setuid(65534) < 0)
      _exit(1);
    execvp(argv[0], argv);
    _exit(127);
  }
  return pid;
}

pid_t with_user_code(char **argv) {
  pid_t pid = fork();
  if (pid == 0) {
    log_child(getpid());
    execvp(argv[0], argv);
    _exit(127);
  }
  return pid;
}

static int spawned;
pid_t writes_memory(char **argv) {
  pid_t pid = fork();
  if (pid == 0) {
    spawned = 1;
    execvp(argv[0], argv);
    _exit(127);
  }
  return pid;
}

pid_t with_fallback(char **argv) {
  pid_t pid = fork();
  if (pid == 0) {
    execvp(argv[0], argv);
    execv("/bin/sh", argv);
    _exit(127);
  }
  return pid;
}

// Silent: a child that does not exec, and a vfork child (vfork-misuse's, and already cheap).
pid_t worker(void) {
  pid_t pid = fork();
  if (pid == 0) {
    close(0);
    _exit(0);
  }
  return pid;
}

pid_t with_vfork(char **argv) {
  pid_t pid = vfork();
  if (pid == 0) {
    execvp(argv[0], argv);
    _exit(127);
  }
  return pid;
}

// Models of real code (the corpus triage, bench/findings.tsv), each with its near twin.

// scp's do_local_cmd: the child only execs, and reports a failed exec.
int do_local_cmd(char **list) {
  pid_t pid;
  if ((pid = fork()) == -1) // expected-warning {{this fork and 'execvp' could be one call to 'posix_spawnp': the child only execs, which posix_spawn does without running a copy of this program (and faster in a large process)}}
    return -1;
  if (pid == 0) {
    execvp(list[0], list); // expected-note {{'posix_spawnp' runs the program and returns its pid, or the error the exec would have had}}
    perror(list[0]);
    exit(1);
  }
  int status;
  while (waitpid(pid, &status, 0) == -1)
    ;
  return status;
}

// Its twin with a death signal for the child (prctl): not for posix_spawn. Silent.
int do_local_cmd_tied(char **list) {
  pid_t pid;
  if ((pid = fork()) == -1)
    return -1;
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    execvp(list[0], list);
    perror(list[0]);
    exit(1);
  }
  int status;
  while (waitpid(pid, &status, 0) == -1)
    ;
  return status;
}

// lighttpd's angel: it restarts the server whenever it dies.
int angel(char **argv) {
  pid_t pid = -1;
  for (;;) {
    if (pid == -1) {
      pid = fork(); // expected-warning {{this fork and 'execvp' could be one call to 'posix_spawnp'}}
      if (pid == -1)
        return -1;
      if (pid == 0) {
        execvp(argv[0], argv); // expected-note {{'posix_spawnp' runs the program}}
        _exit(1);
      }
    }
    int status = 0;
    if (waitpid(pid, &status, 0) == -1)
      break;
    pid = WIFSIGNALED(status) ? -1 : 0;
    if (pid == 0)
      break;
  }
  return 0;
}

// Its twin that lowers the server's priority in the child (nice): not for posix_spawn. Silent.
int angel_niced(char **argv) {
  pid_t pid = fork();
  if (pid == 0) {
    if (nice(5) == -1)
      _exit(1);
    execvp(argv[0], argv);
    _exit(1);
  }
  return pid > 0 ? 0 : -1;
}

// A popen("w")-like helper: the read end becomes the shell's stdin, both ends closed.
pid_t open_writer(const char *command, int *to_child) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  pid_t pid = fork(); // expected-warning {{this fork and 'execl' could be one call to 'posix_spawn'}}
  if (pid == 0) {
    dup2(fds[0], 0); // expected-note {{'posix_spawn_file_actions_adddup2' does this for posix_spawn}}
    close(fds[0]); // expected-note {{'posix_spawn_file_actions_addclose' does this for posix_spawn}}
    close(fds[1]); // expected-note {{'posix_spawn_file_actions_addclose' does this for posix_spawn}}
    execl("/bin/sh", "sh", "-c", command, (char *)NULL); // expected-note {{'posix_spawn' runs the program}}
    _exit(127);
  }
  close(fds[0]);
  *to_child = fds[1];
  return pid;
}

// Its twin that also closes every other descriptor in a loop: not one posix_spawn call. Silent.
pid_t open_writer_closing_all(const char *command, int *to_child) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[0], 0);
    for (int fd = 3; fd < 1024; fd++)
      close(fd);
    execl("/bin/sh", "sh", "-c", command, (char *)NULL);
    _exit(127);
  }
  close(fds[0]);
  *to_child = fds[1];
  return pid;
}

// A test runner: the test's stdin from /dev/null, its output to a log, in its own process group.
pid_t run_test(const char *test, const char *log) {
  pid_t pid = fork(); // expected-warning {{this fork and 'execl' could be one call to 'posix_spawn'}}
  if (pid == 0) {
    int in = open("/dev/null", O_RDONLY); // expected-note {{'posix_spawn_file_actions_addopen' does this for posix_spawn}}
    int out = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644); // expected-note {{'posix_spawn_file_actions_addopen' does this for posix_spawn}}
    if (in < 0 || out < 0)
      _exit(127);
    dup2(in, 0); // expected-note {{'posix_spawn_file_actions_adddup2' does this for posix_spawn}}
    dup2(out, 1); // expected-note {{'posix_spawn_file_actions_adddup2' does this for posix_spawn}}
    setpgid(0, 0); // expected-note {{'POSIX_SPAWN_SETPGROUP' does this for posix_spawn}}
    execl(test, test, (char *)NULL); // expected-note {{'posix_spawn' runs the program}}
    _exit(127);
  }
  return pid;
}

// Its twin with a time limit for the test (alarm): not for posix_spawn. Silent.
pid_t run_test_limited(const char *test, const char *log) {
  pid_t pid = fork();
  if (pid == 0) {
    int out = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out < 0)
      _exit(127);
    dup2(out, 1);
    alarm(60);
    execl(test, test, (char *)NULL);
    _exit(127);
  }
  return pid;
}
