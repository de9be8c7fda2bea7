// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,pipe-end-leak -Xclang -verify %s
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,pipe-end-leak -fdiagnostics-parseable-fixits %s 2>&1 | FileCheck --check-prefix=FIXIT %s
// With fd-leak-into-exec on as well, the child's write end is this check's one report.
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,pipe-end-leak,fd-leak-into-exec -Xclang -verify %s

#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

// The parent reads the child's output to end-of-file and forgot its own write end.
int capture(char **argv, char *out, size_t size) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) < 0) // expected-note {{the pipe is made here}}
    return -1;
  pid_t pid = fork(); // expected-note {{the child process is created here, with a copy of both ends}}
  if (pid < 0)
    return -1;
  if (pid == 0) {
    dup2(fds[1], 1);
    execvp(argv[0], argv);
    _exit(127);
  }
  size_t used = 0;
  ssize_t n;
  while ((n = read(fds[0], out + used, size - used)) > 0) // expected-warning {{the parent process reads the pipe until end-of-file while it still holds its write end 'fds[1]': end-of-file never comes, so it waits here forever once the child is done; close 'fds[1]' in the parent after the fork}}
    used += n;
  close(fds[0]);
  waitpid(pid, NULL, 0);
  return (int)used;
}
// FIXIT: fix-it:"{{.*}}pipe-end-leak.c":{[[@LINE-6]]:3-[[@LINE-6]]:3}:"close(fds[1]);\n  "

// The same through stdio: fgets on a stream made with fdopen, until NULL.
int count_lines(char **argv) {
  int fds[2];
  if (pipe(fds) < 0) // expected-note {{the pipe is made here}}
    return -1;
  pid_t pid = fork(); // expected-note {{the child process is created here, with a copy of both ends}}
  if (pid == 0) {
    dup2(fds[1], 1);
    close(fds[0]);
    close(fds[1]);
    execvp(argv[0], argv);
    _exit(127);
  }
  FILE *in = fdopen(fds[0], "r");
  char line[256];
  int lines = 0;
  while (fgets(line, sizeof line, in)) // expected-warning {{the parent process reads the pipe until end-of-file while it still holds its write end 'fds[1]'}}
    ++lines;
  fclose(in);
  if (pid > 0)
    waitpid(pid, NULL, 0);
  return lines;
}
// FIXIT: fix-it:"{{.*}}pipe-end-leak.c":{[[@LINE-7]]:3-[[@LINE-7]]:3}:"close(fds[1]);\n  "

// A child that becomes `sort` reading the pipe, with the write end still open in it.
void feed_sort(const char *data, size_t size) {
  int fds[2];
  if (pipe(fds) < 0) // expected-note {{the pipe is made here}}
    return;
  pid_t pid = fork(); // expected-note {{the child process is created here}}
  if (pid == 0) {
    dup2(fds[0], 0); // expected-note {{the read end becomes its standard input here}}
    close(fds[0]);
    execlp("sort", "sort", (char *)NULL); // expected-warning {{the child process reads the pipe as its standard input but calls 'execlp' with the write end 'fds[1]' still open: the program it runs never sees end-of-file and waits forever; close 'fds[1]' before the exec}}
    _exit(127);
  }
  close(fds[0]);
  write(fds[1], data, size);
  close(fds[1]);
  if (pid > 0)
    waitpid(pid, NULL, 0);
}
// FIXIT: fix-it:"{{.*}}pipe-end-leak.c":{[[@LINE-9]]:5-[[@LINE-9]]:5}:"close(fds[1]);\n    "

// `ls | wc`: the parent starts both and waits for wc while it still holds the write end.
void pipeline(void) {
  int fds[2];
  if (pipe(fds) < 0) // expected-note {{the pipe is made here}}
    return;
  pid_t writer = fork();
  if (writer == 0) {
    dup2(fds[1], 1);
    close(fds[0]);
    close(fds[1]);
    execlp("ls", "ls", (char *)NULL);
    _exit(127);
  }
  pid_t reader = fork(); // expected-note {{the child that reads the pipe is created here}}
  if (reader == 0) {
    dup2(fds[0], 0);
    close(fds[0]);
    close(fds[1]);
    execlp("wc", "wc", (char *)NULL);
    _exit(127);
  }
  close(fds[0]);
  if (writer > 0)
    waitpid(writer, NULL, 0);
  if (reader > 0)
    waitpid(reader, NULL, 0); // expected-warning {{the parent process waits for the child that reads the pipe while it still holds the write end 'fds[1]': that child never sees end-of-file, so neither ever finishes; close 'fds[1]' in the parent before the wait}}
  close(fds[1]);
}
// FIXIT: fix-it:"{{.*}}pipe-end-leak.c":{[[@LINE-4]]:3-[[@LINE-4]]:3}:"close(fds[1]);\n  "

// Silent: every process closes the ends it does not use before it reads or execs.
int capture_correctly(char **argv, char *out, size_t size) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    dup2(fds[1], 1);
    close(fds[1]);
    execvp(argv[0], argv);
    _exit(127);
  }
  close(fds[1]);
  size_t used = 0;
  ssize_t n;
  while ((n = read(fds[0], out + used, size - used)) > 0)
    used += n;
  close(fds[0]);
  if (pid > 0)
    waitpid(pid, NULL, 0);
  return (int)used;
}

void pipeline_correctly(void) {
  int fds[2];
  if (pipe(fds) < 0)
    return;
  pid_t writer = fork();
  if (writer == 0) {
    dup2(fds[1], 1);
    close(fds[0]);
    close(fds[1]);
    execlp("ls", "ls", (char *)NULL);
    _exit(127);
  }
  pid_t reader = fork();
  if (reader == 0) {
    dup2(fds[0], 0);
    close(fds[0]);
    close(fds[1]);
    execlp("wc", "wc", (char *)NULL);
    _exit(127);
  }
  close(fds[0]);
  close(fds[1]);
  if (writer > 0)
    waitpid(writer, NULL, 0);
  if (reader > 0)
    waitpid(reader, NULL, 0);
}

// Silent: the self-pipe that reports a failed exec (the child's end is close-on-exec, the
// parent reads once: 0 bytes means the exec worked).
int spawn_reporting_exec_failure(char **argv) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) < 0)
    return -1;
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    execvp(argv[0], argv);
    int error = 1;
    write(fds[1], &error, sizeof error);
    _exit(127);
  }
  close(fds[1]);
  int error = 0;
  ssize_t n = read(fds[0], &error, sizeof error);
  close(fds[0]);
  return n > 0 ? -1 : pid;
}

// Silent: a child that reads the pipe as stdin with a close-on-exec write end.
void feed_sort_cloexec(const char *data, size_t size) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) < 0)
    return;
  pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[0], 0);
    execlp("sort", "sort", (char *)NULL);
    _exit(127);
  }
  close(fds[0]);
  write(fds[1], data, size);
  close(fds[1]);
  if (pid > 0)
    waitpid(pid, NULL, 0);
}
