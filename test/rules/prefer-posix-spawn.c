// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,prefer-posix-spawn -Xclang -verify %s
// Off by default: every other check on, this one silent.
// RUN: %clang_fh %s 2>&1 | FileCheck --allow-empty --check-prefix=DEFAULT %s
// DEFAULT-NOT: fork-hazard-prefer-posix-spawn

#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
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
