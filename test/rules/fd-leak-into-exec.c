// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,fd-leak-into-exec -Xclang -verify %s
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,fd-leak-into-exec -fdiagnostics-parseable-fixits %s 2>&1 | FileCheck --check-prefix=FIXIT %s
// A program that creates threads (a TU of its own): open-then-fcntl(FD_CLOEXEC) is a race.
// A descriptor in a file-scope variable is open at every fork after it is opened, so those
// cases are a TU of their own too:
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,fd-leak-into-exec -DFILE_SCOPE -Xclang -verify=scope %s
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,fd-leak-into-exec -DFILE_SCOPE -fdiagnostics-parseable-fixits %s 2>&1 | FileCheck --check-prefix=SCOPE-FIXIT %s
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,fd-leak-into-exec -DEDITOR -Xclang -verify=editor %s
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,fd-leak-into-exec -DTHREADS -Xclang -verify=threads %s
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,fd-leak-into-exec -DTHREADS -fdiagnostics-parseable-fixits %s 2>&1 | FileCheck --check-prefix=THREADS-FIXIT %s

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

void close_all_fds(int from);
void register_descriptor(int fd);

#if !defined(THREADS) && !defined(FILE_SCOPE) && !defined(EDITOR)

// A log file the parent writes to, still open in the program the child runs.
void run_with_log(char **argv) {
  int log = open("/var/log/app.log", O_WRONLY | O_APPEND | O_CREAT, 0644); // expected-note {{'log' is opened here with 'open', without O_CLOEXEC}}
  if (log < 0)
    return;
  pid_t pid = fork(); // expected-note {{the child process is created here}}
  if (pid == 0) {
    execvp(argv[0], argv); // expected-warning {{the child process calls 'execvp' with 'log' still open, so the program it runs inherits the descriptor; close it in the child before the exec, or open it close-on-exec}}
    _exit(127);
  }
  write(log, "started\n", 8);
  if (pid > 0)
    waitpid(pid, NULL, 0);
}
// FIXIT: fix-it:"{{.*}}fd-leak-into-exec.c":{[[@LINE-12]]:67-[[@LINE-12]]:67}:" | O_CLOEXEC"

// A pipe to the child's stdout: the write end is dup2'd and closed, the read end forgotten.
// (pipe2(fds, O_CLOEXEC) fixes it: dup2 clears the flag on the copy.)
int read_output(char **argv) {
  int fds[2];
  if (pipe(fds) < 0) // expected-note {{'fds[0]' is opened here with 'pipe', without O_CLOEXEC}}
    return -1;
  pid_t pid = fork(); // expected-note {{the child process is created here}}
  if (pid == 0) {
    dup2(fds[1], 1);
    close(fds[1]);
    execvp(argv[0], argv); // expected-warning {{the child process calls 'execvp' with 'fds[0]' still open}}
    _exit(127);
  }
  close(fds[1]);
  char buffer[256];
  while (read(fds[0], buffer, sizeof buffer) > 0) {
  }
  close(fds[0]);
  if (pid > 0)
    waitpid(pid, NULL, 0);
  return 0;
}
// FIXIT: fix-it:"{{.*}}fd-leak-into-exec.c":{[[@LINE-18]]:7-[[@LINE-18]]:11}:"pipe2"
// FIXIT: fix-it:"{{.*}}fd-leak-into-exec.c":{[[@LINE-19]]:15-[[@LINE-19]]:15}:", O_CLOEXEC"

// Two at once, a stream among them.
void run_with_files(char **argv, const char *path) {
  FILE *trace = fopen(path, "w"); // expected-note {{'trace' is opened here with 'fopen', without "e" in its mode}}
  int lock = open("/run/app.lock", O_RDWR | O_CREAT, 0600); // expected-note {{'lock' is opened here with 'open', without O_CLOEXEC}}
  if (fork() == 0) { // expected-note {{the child process is created here}}
    execvp(argv[0], argv); // expected-warning {{the child process calls 'execvp' with 'trace' and 'lock' still open, so the program it runs inherits them; close them in the child before the exec, or open them close-on-exec}}
    _exit(127);
  }
  fclose(trace);
  close(lock);
}
// FIXIT: fix-it:"{{.*}}fd-leak-into-exec.c":{[[@LINE-9]]:29-[[@LINE-9]]:29}:"e"
// FIXIT: fix-it:"{{.*}}fd-leak-into-exec.c":{[[@LINE-9]]:52-[[@LINE-9]]:52}:" | O_CLOEXEC"

// Silent: close-on-exec asked for.
void with_flags(char **argv) {
  int log = open("/var/log/app.log", O_WRONLY | O_APPEND | O_CLOEXEC);
  int sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int fds[2];
  pipe2(fds, O_CLOEXEC);
  FILE *f = fopen("/tmp/x", "re");
  if (fork() == 0) {
    execvp(argv[0], argv);
    _exit(127);
  }
  close(log);
  close(sock);
  fclose(f);
}

// Silent: the child closes it, dup2s it onto its stdin, or sets FD_CLOEXEC.
void child_deals_with_them(char **argv) {
  int a = open("a", O_RDONLY);
  int b = open("b", O_RDONLY);
  int c = open("c", O_RDONLY);
  FILE *d = fopen("d", "r");
  if (fork() == 0) {
    close(a);
    dup2(b, 0);
    fcntl(c, F_SETFD, FD_CLOEXEC);
    fclose(d);
    execvp(argv[0], argv);
    _exit(127);
  }
}

// Silent: the child closes everything above stderr, in a loop or with a helper.
void child_closes_all_in_loop(char **argv) {
  int log = open("/var/log/app.log", O_WRONLY);
  (void)log;
  if (fork() == 0) {
    for (int fd = 3; fd < 1024; ++fd)
      close(fd);
    execvp(argv[0], argv);
    _exit(127);
  }
}

void child_closes_all_with_helper(char **argv) {
  int log = open("/var/log/app.log", O_WRONLY);
  (void)log;
  if (fork() == 0) {
    close_all_fds(3);
    execvp(argv[0], argv);
    _exit(127);
  }
}

// Silent: handed over on purpose, its number in the child's arguments.
void hand_over(const char *program) {
  int sock = socket(AF_UNIX, SOCK_STREAM, 0);
  if (fork() == 0) {
    char arg[32];
    snprintf(arg, sizeof arg, "--fd=%d", sock);
    execl(program, program, arg, (char *)NULL);
    _exit(127);
  }
}

// Silent: closed, or made close-on-exec (no threads here), in the parent before the fork.
void parent_closes_first(char **argv) {
  int config = open("/etc/app.conf", O_RDONLY);
  char buffer[64];
  read(config, buffer, sizeof buffer);
  close(config);
  int log = open("/var/log/app.log", O_WRONLY);
  fcntl(log, F_SETFD, FD_CLOEXEC);
  if (fork() == 0) {
    execvp(argv[0], argv);
    _exit(127);
  }
}

// Silent: the child does not exec; flags not known here; opened only after the fork; opened by
// the child itself; given to a registry of the project.
void child_without_exec(void) {
  int log = open("/var/log/app.log", O_WRONLY);
  if (fork() == 0) {
    write(log, "child\n", 6);
    _exit(0);
  }
}

void flags_from_caller(char **argv, int flags) {
  int fd = open("/tmp/x", flags);
  (void)fd;
  if (fork() == 0) {
    execvp(argv[0], argv);
    _exit(127);
  }
}

void opened_after_fork(char **argv) {
  pid_t pid = fork();
  if (pid == 0) {
    execvp(argv[0], argv);
    _exit(127);
  }
  int log = open("/var/log/app.log", O_WRONLY);
  close(log);
}

void opened_by_child(char **argv) {
  if (fork() == 0) {
    int in = open("/tmp/input", O_RDONLY);
    dup2(in, 0);
    execvp(argv[0], argv);
    _exit(127);
  }
}

void registered(char **argv) {
  int fd = open("/tmp/x", O_RDONLY);
  register_descriptor(fd);
  if (fork() == 0) {
    execvp(argv[0], argv);
    _exit(127);
  }
}

// Silent (not followed): a descriptor opened through a macro's temporary, TEMP_FAILURE_RETRY.
void opened_through_macro(char **argv) {
  int fd = TEMP_FAILURE_RETRY(open("/tmp/z", O_RDONLY));
  (void)fd;
  if (fork() == 0) {
    execvp(argv[0], argv);
    _exit(127);
  }
}

// Silent: a local of another function is not known to be open at this fork.
void helper_with_local(void) {
  int fd = open("/tmp/y", O_RDONLY);
  close(fd);
}


// A debugger driver (procps' stack trace): stdin and stdout moved with close + dup, the four
// pipe ends themselves left open in gdb.
void run_gdb(char **args) {
  int in_fd[2], out_fd[2];
  if (pipe(in_fd) == -1 || pipe(out_fd) == -1) // expected-note {{'in_fd[0]' is opened here with 'pipe', without O_CLOEXEC}} expected-note {{'in_fd[1]' is opened here with 'pipe', without O_CLOEXEC}} expected-note {{'out_fd[0]' is opened here with 'pipe', without O_CLOEXEC}} expected-note {{'out_fd[1]' is opened here with 'pipe', without O_CLOEXEC}}
    _exit(0);
  pid_t pid = fork(); // expected-note {{the child process is created here}}
  if (pid == 0) {
    close(0);
    dup(in_fd[0]);
    close(1);
    dup(out_fd[1]);
    execvp(args[0], args); // expected-warning {{the child process calls 'execvp' with 'in_fd[0]', 'in_fd[1]', 'out_fd[0]' and 'out_fd[1]' still open, so the program it runs inherits them}}
    _exit(0);
  }
  close(in_fd[0]);
  close(out_fd[1]);
}

// Its twin with dup2 and the ends closed. Silent.
void run_gdb_closing(char **args) {
  int in_fd[2], out_fd[2];
  if (pipe(in_fd) == -1 || pipe(out_fd) == -1)
    _exit(0);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(in_fd[0], 0);
    dup2(out_fd[1], 1);
    close(in_fd[0]);
    close(in_fd[1]);
    close(out_fd[0]);
    close(out_fd[1]);
    execvp(args[0], args);
    _exit(0);
  }
  close(in_fd[0]);
  close(out_fd[1]);
}

// sftp's connection over a socketpair: both ends copied into out-parameters and locals, the
// child closes every copy. Silent.
void connect_over_socketpair(char **args, int *in, int *out) {
  int inout[2], c_in, c_out;
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, inout) == -1)
    return;
  *in = *out = inout[0];
  c_in = c_out = inout[1];
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
}

// Its twin where the child only redirects its copy: the parent's end stays open in ssh.
void connect_over_socketpair_leaky(char **args, int *in) {
  int inout[2], c_in;
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, inout) == -1) // expected-note {{'inout[0]' is opened here with 'socketpair', without SOCK_CLOEXEC}}
    return;
  *in = inout[0];
  c_in = inout[1];
  pid_t pid = fork(); // expected-note {{the child process is created here}}
  if (pid == 0) {
    dup2(c_in, STDIN_FILENO);
    dup2(c_in, STDOUT_FILENO);
    close(c_in);
    execvp(args[0], args); // expected-warning {{the child process calls 'execvp' with 'inout[0]' still open}}
    _exit(1);
  }
  close(c_in);
}

#elif defined(FILE_SCOPE)

// A server's listening socket, in a file-scope variable set up elsewhere: every CGI child
// holds it, so the port stays busy while any child runs.
static int listen_fd = -1;

void open_listener(void) {
  listen_fd = socket(AF_INET, SOCK_STREAM, 0); // scope-note {{'listen_fd' is opened here with 'socket', without SOCK_CLOEXEC}}
  listen(listen_fd, 16);
}
// SCOPE-FIXIT: fix-it:"{{.*}}fd-leak-into-exec.c":{[[@LINE-3]]:42-[[@LINE-3]]:42}:" | SOCK_CLOEXEC"

void run_cgi(char **argv) {
  int status;
  pid_t pid = fork(); // scope-note {{the child process is created here}}
  if (pid == 0) {
    execv(argv[0], argv); // scope-warning {{the child process calls 'execv' with 'listen_fd' still open}}
    _exit(127);
  }
  if (pid > 0)
    waitpid(pid, &status, 0);
}

// Silent: the child closes it in a helper of this file.
static void close_listeners(void) {
  close(listen_fd);
}

void run_cgi_closing(char **argv) {
  if (fork() == 0) {
    close_listeners();
    execv(argv[0], argv);
    _exit(127);
  }
}

// Silent: made close-on-exec where it is opened (no threads in this file).
static int control_fd = -1;

void open_control(void) {
  control_fd = socket(AF_UNIX, SOCK_STREAM, 0);
  fcntl(control_fd, F_SETFD, FD_CLOEXEC);
}
#elif defined(EDITOR)

// crontab's editor: the file-scope stream is opened for another command; the edit command
// closes it before it forks the editor (silent), the view command forgets it.
static FILE *new_crontab;

void open_replacement(const char *name) {
  new_crontab = fopen(name, "r"); // editor-note {{'new_crontab' is opened here with 'fopen', without "e" in its mode}}
}

void edit_crontab(const char *editor, const char *file) {
  if (new_crontab)
    fclose(new_crontab);
  pid_t pid = fork();
  if (pid == 0) {
    execlp(editor, editor, file, (char *)NULL);
    _exit(1);
  }
}

void view_crontab(const char *pager, const char *file) {
  pid_t pid = fork(); // editor-note {{the child process is created here}}
  if (pid == 0) {
    execlp(pager, pager, file, (char *)NULL); // editor-warning {{the child process calls 'execlp' with 'new_crontab' still open}}
    _exit(1);
  }
}

#else
#include <pthread.h>

void *worker(void *arg);

void start_workers(void) {
  pthread_t thread;
  pthread_create(&thread, NULL, worker, NULL); // threads-note {{a thread is created here}}
}

int open_data(const char *path) {
  int fd = open(path, O_RDONLY); // threads-warning {{'open' without O_CLOEXEC, made close-on-exec only afterwards: in a program that creates threads, another thread can fork and exec in between and the program it runs inherits the descriptor; pass O_CLOEXEC to 'open'}}
  if (fd >= 0)
    fcntl(fd, F_SETFD, FD_CLOEXEC); // threads-note {{it is made close-on-exec here}}
  return fd;
}
// THREADS-FIXIT: fix-it:"{{.*}}fd-leak-into-exec.c":{[[@LINE-5]]:31-[[@LINE-5]]:31}:" | O_CLOEXEC"

void spawn(char **argv) {
  pid_t pid = fork();
  if (pid == 0) {
    execvp(argv[0], argv); // threads-note {{a child process execs here}}
    _exit(127);
  }
  if (pid > 0)
    waitpid(pid, NULL, 0);
}
#endif
