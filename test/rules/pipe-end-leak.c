// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,pipe-end-leak -Xclang -verify %s
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,pipe-end-leak -fdiagnostics-parseable-fixits %s 2>&1 | FileCheck --check-prefix=FIXIT %s
// With fd-leak-into-exec on as well, the child's write end is this check's one report.
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,pipe-end-leak,fd-leak-into-exec -Xclang -verify %s

#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <sys/select.h>
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

// Models of real code (the corpus triage, bench/findings.tsv), each positive with its near twin.

// libblkid's lvm probe: the parent fdopens the read end and reads `lvdisplay`'s report with
// fgets, closing the write end only when it is done.
int lvm_stripes(const char *cmd, const char *device) {
  int lvpipe[2];
  char buf[256];
  int stripes = 0;
  if (pipe(lvpipe) < 0) // expected-note {{the pipe is made here}}
    return -1;
  switch (fork()) { // expected-note {{the child process is created here, with a copy of both ends}}
  case 0:
    close(lvpipe[0]);
    dup2(lvpipe[1], STDOUT_FILENO);
    execl(cmd, cmd, device, (char *)NULL);
    _exit(1);
  case -1:
    return -1;
  default:
    break;
  }
  FILE *stream = fdopen(lvpipe[0], "r");
  if (!stream)
    return -1;
  while (fgets(buf, sizeof buf, stream) != NULL) // expected-warning {{the parent process reads the pipe until end-of-file while it still holds its write end 'lvpipe[1]'}}
    if (buf[0] == 'S')
      stripes++;
  fclose(stream);
  close(lvpipe[1]);
  return stripes;
}

// Its twin done right: the write end closed right after the fork. Silent.
int lvm_stripes_closed(const char *cmd, const char *device) {
  int lvpipe[2];
  char buf[256];
  int stripes = 0;
  if (pipe(lvpipe) < 0)
    return -1;
  switch (fork()) {
  case 0:
    close(lvpipe[0]);
    dup2(lvpipe[1], STDOUT_FILENO);
    execl(cmd, cmd, device, (char *)NULL);
    _exit(1);
  case -1:
    return -1;
  default:
    break;
  }
  close(lvpipe[1]);
  FILE *stream = fdopen(lvpipe[0], "r");
  if (!stream)
    return -1;
  while (fgets(buf, sizeof buf, stream) != NULL)
    if (buf[0] == 'S')
      stripes++;
  fclose(stream);
  return stripes;
}

// A test runner collects a test's output: `for (;;)` with the end tested inside.
int collect_output(char **argv, char *out, size_t size) {
  int fds[2];
  size_t used = 0;
  if (pipe(fds) < 0) // expected-note {{the pipe is made here}}
    return -1;
  pid_t pid = fork(); // expected-note {{the child process is created here, with a copy of both ends}}
  if (pid == 0) {
    dup2(fds[1], 1);
    dup2(fds[1], 2);
    close(fds[0]);
    close(fds[1]);
    execvp(argv[0], argv);
    _exit(127);
  }
  for (;;) {
    ssize_t n = read(fds[0], out + used, size - used); // expected-warning {{the parent process reads the pipe until end-of-file while it still holds its write end 'fds[1]'}}
    if (n <= 0)
      break;
    used += (size_t)n;
  }
  close(fds[0]);
  waitpid(pid, NULL, 0);
  return (int)used;
}

// A debugger driver (procps' stack trace): the parent polls the pipe with a timeout and stops
// when a SIGCHLD handler sets a flag, not at end-of-file. Silent.
static volatile sig_atomic_t trace_done;
void drive_debugger(char **argv) {
  int out_fd[2];
  char c;
  if (pipe(out_fd) < 0)
    return;
  pid_t pid = fork();
  if (pid == 0) {
    close(1);
    dup2(out_fd[1], 1);
    close(out_fd[0]);
    close(out_fd[1]);
    execvp(argv[0], argv);
    _exit(127);
  }
  for (;;) {
    fd_set readset;
    struct timeval tv = {1, 0};
    FD_ZERO(&readset);
    FD_SET(out_fd[0], &readset);
    int sel = select(out_fd[0] + 1, &readset, NULL, NULL, &tv);
    if (sel == -1)
      break;
    if (sel > 0 && FD_ISSET(out_fd[0], &readset)) {
      if (read(out_fd[0], &c, 1)) {
        switch (c) {
        case '#':
          break;
        default:
          break;
        }
      }
    } else if (trace_done)
      break;
  }
  close(out_fd[0]);
  close(out_fd[1]);
}

// A pager (util-linux's lib/pager.c): the child closes both ends through a helper of the file
// that takes the array, and the parent keeps the write end under another name. Silent.
struct pager { int in; pid_t pid; };
static void close_pair(int fd[2]) {
  close(fd[0]);
  close(fd[1]);
}
int start_pager(struct pager *cmd, char **argv) {
  int fdin[2];
  if (pipe(fdin) < 0)
    return -1;
  cmd->in = fdin[1];
  cmd->pid = fork();
  if (!cmd->pid) {
    dup2(fdin[0], STDIN_FILENO);
    close_pair(fdin);
    execvp(argv[0], argv);
    _exit(127);
  }
  close(fdin[0]);
  return cmd->pid < 0 ? -1 : 0;
}

// Its twin that forgets the pair: `less` waits for more input forever.
int start_pager_leaky(struct pager *cmd, char **argv) {
  int fdin[2];
  if (pipe(fdin) < 0) // expected-note {{the pipe is made here}}
    return -1;
  cmd->in = fdin[1];
  cmd->pid = fork(); // expected-note {{the child process is created here}}
  if (!cmd->pid) {
    dup2(fdin[0], STDIN_FILENO); // expected-note {{the read end becomes its standard input here}}
    close(fdin[0]);
    execvp(argv[0], argv); // expected-warning {{the child process reads the pipe as its standard input but calls 'execvp' with the write end 'fdin[1]' still open}}
    _exit(127);
  }
  close(fdin[0]);
  return cmd->pid < 0 ? -1 : 0;
}

// sftp's connection to ssh: the ends are copied into out-parameters and locals, and the child
// closes them under those names. Silent.
void connect_to_server(char **args, int *in, int *out) {
  int pin[2], pout[2], c_in, c_out;
  if (pipe(pin) == -1 || pipe(pout) == -1)
    return;
  *in = pout[0];
  *out = pin[1];
  c_in = pin[0];
  c_out = pout[1];
  pid_t pid = fork();
  if (pid == 0) {
    if (dup2(c_in, STDIN_FILENO) == -1 || dup2(c_out, STDOUT_FILENO) == -1)
      _exit(1);
    close(*in);
    close(*out);
    close(c_in);
    close(c_out);
    execvp(args[0], args);
    _exit(1);
  }
  close(c_in);
  close(c_out);
}

// A runner that reports why its child failed: it waits first, then reads the child's error
// message once, with its own copy of the write end still open: a child that wrote nothing
// leaves the read waiting forever.
int run_reporting_error(char **argv, char *message, size_t size) {
  int errpipe[2], status = 0;
  if (pipe(errpipe) < 0) // expected-note {{the pipe is made here}}
    return -1;
  pid_t pid = fork(); // expected-note {{the child process is created here, with a copy of both ends}}
  if (pid == 0) {
    close(errpipe[0]);
    dup2(errpipe[1], 2);
    close(errpipe[1]);
    execvp(argv[0], argv);
    _exit(127);
  }
  waitpid(pid, &status, 0);
  ssize_t n = read(errpipe[0], message, size); // expected-warning {{the parent process reads the pipe after it has waited for the child, while it still holds the write end 'errpipe[1]': if the child wrote nothing, the read never returns; close 'errpipe[1]' in the parent after the fork}}
  close(errpipe[0]);
  close(errpipe[1]);
  return n > 0 ? -1 : status;
}
// FIXIT: fix-it:"{{.*}}pipe-end-leak.c":{[[@LINE-5]]:3-[[@LINE-5]]:3}:"close(errpipe[1]);\n  "

// Its twin that closes the write end right after the fork. Silent.
int run_reporting_error_closed(char **argv, char *message, size_t size) {
  int errpipe[2], status = 0;
  if (pipe(errpipe) < 0)
    return -1;
  pid_t pid = fork();
  if (pid == 0) {
    close(errpipe[0]);
    dup2(errpipe[1], 2);
    close(errpipe[1]);
    execvp(argv[0], argv);
    _exit(127);
  }
  close(errpipe[1]);
  waitpid(pid, &status, 0);
  ssize_t n = read(errpipe[0], message, size);
  close(errpipe[0]);
  return n > 0 ? -1 : status;
}
