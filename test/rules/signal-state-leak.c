// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,signal-state-leak -Xclang -verify %s
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,signal-state-leak -fdiagnostics-parseable-fixits %s 2>&1 | FileCheck --check-prefix=FIXIT %s
// A disposition set in a function of its own (the program's setup) holds at every fork of the
// file, so those cases are a translation unit of their own:
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,signal-state-leak -DPROGRAM_WIDE -Xclang -verify=wide %s
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,signal-state-leak -DCOMPRESSOR -Xclang -verify=compressor %s
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,signal-state-leak -DPAGER -Xclang -verify=pager %s
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,signal-state-leak -DWRAPPERS -Xclang -verify=wrappers %s
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,signal-state-leak -DPROGRAM_WIDE -fdiagnostics-parseable-fixits %s 2>&1 | FileCheck --check-prefix=WIDE-FIXIT %s

#include <signal.h>
#include <stddef.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

void reset_signal_handlers(void);
void do_stuff(void);

#if !defined(PROGRAM_WIDE) && !defined(COMPRESSOR) && !defined(PAGER) && !defined(WRAPPERS)
// A system()-like helper: ignores SIGINT and SIGQUIT and blocks SIGCHLD in the parent, and
// forgets to undo them in the child.
int run_shell(const char *command) {
  struct sigaction ignore, old_int, old_quit;
  sigset_t block, old_mask;
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  ignore.sa_flags = 0;
  sigaction(SIGINT, &ignore, &old_int); // expected-note {{SIGINT is set to be ignored here}}
  sigaction(SIGQUIT, &ignore, &old_quit); // expected-note {{SIGQUIT is set to be ignored here}}
  sigemptyset(&block);
  sigaddset(&block, SIGCHLD);
  sigprocmask(SIG_BLOCK, &block, &old_mask); // expected-note {{signals are blocked here, and still blocked at the fork}}
  pid_t pid = fork(); // expected-note {{the child process is created here}}
  if (pid == 0) {
    execl("/bin/sh", "sh", "-c", command, (char *)NULL); // expected-warning {{the child process calls 'execl' with SIGINT and SIGQUIT ignored and the signals blocked before the fork still blocked; both survive exec (Ctrl-C does not stop it); reset them before the exec}}
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  sigaction(SIGINT, &old_int, NULL);
  sigaction(SIGQUIT, &old_quit, NULL);
  sigprocmask(SIG_SETMASK, &old_mask, NULL);
  return status;
}
// FIXIT: fix-it:"{{.*}}signal-state-leak.c":{[[@LINE-10]]:5-[[@LINE-10]]:5}:"signal(SIGINT, SIG_DFL);\n    signal(SIGQUIT, SIG_DFL);\n    sigprocmask(SIG_SETMASK, &old_mask, NULL);\n    "

// The same helper done right: the child restores the dispositions and the mask. Silent.
int run_shell_correctly(const char *command) {
  struct sigaction ignore, old_int, old_quit;
  sigset_t block, old_mask;
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  ignore.sa_flags = 0;
  sigaction(SIGINT, &ignore, &old_int);
  sigaction(SIGQUIT, &ignore, &old_quit);
  sigemptyset(&block);
  sigaddset(&block, SIGCHLD);
  sigprocmask(SIG_BLOCK, &block, &old_mask);
  pid_t pid = fork();
  if (pid == 0) {
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGQUIT, &old_quit, NULL);
    sigprocmask(SIG_SETMASK, &old_mask, NULL);
    execl("/bin/sh", "sh", "-c", command, (char *)NULL);
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  sigaction(SIGINT, &old_int, NULL);
  sigaction(SIGQUIT, &old_quit, NULL);
  sigprocmask(SIG_SETMASK, &old_mask, NULL);
  return status;
}

// Blocking undone in the parent before the fork: silent.
void block_then_unblock(char **argv) {
  sigset_t set, old;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigprocmask(SIG_BLOCK, &set, &old);
  do_stuff();
  sigprocmask(SIG_SETMASK, &old, NULL);
  if (fork() == 0) {
    execv(argv[0], argv);
    _exit(127);
  }
}

// A shell's background job: the child ignores SIGINT on purpose right before exec. Silent.
void background_job(char **argv) {
  if (fork() == 0) {
    signal(SIGINT, SIG_IGN);
    signal(SIGQUIT, SIG_IGN);
    execvp(argv[0], argv);
    _exit(127);
  }
}

// Every signal reset in a loop, and the mask cleared, in a helper of this file. Silent.
static void reset_all_signals(void) {
  sigset_t none;
  sigemptyset(&none);
  for (int sig = 1; sig < NSIG; ++sig)
    signal(sig, SIG_DFL);
  sigprocmask(SIG_SETMASK, &none, NULL);
}

void spawn_after_reset(char **argv) {
  if (fork() == 0) {
    reset_all_signals();
    execvp(argv[0], argv);
    _exit(127);
  }
}

// The project's own reset in another file (its name says what it does). Silent.
void spawn_with_project_reset(char **argv) {
  sigset_t all, old;
  sigfillset(&all);
  sigprocmask(SIG_BLOCK, &all, &old);
  if (fork() == 0) {
    reset_signal_handlers();
    execvp(argv[0], argv);
    _exit(127);
  }
  sigprocmask(SIG_SETMASK, &old, NULL);
}

// A handler does not survive exec: nothing to reset. Silent.
static void on_term(int sig) { (void)sig; }
void handler_only(char **argv) {
  signal(SIGTERM, on_term);
  if (fork() == 0) {
    execvp(argv[0], argv);
    _exit(127);
  }
}

// A temporary ignore in another function, undone there: not in effect at the fork. Silent.
void with_sigint_ignored(void) {
  void (*old)(int) = signal(SIGINT, SIG_IGN);
  do_stuff();
  signal(SIGINT, old);
}

// Ignored only after the fork, in the parent: the child never had it. Silent.
void parent_ignores_afterwards(char **argv) {
  pid_t pid = fork();
  if (pid == 0) {
    execvp(argv[0], argv);
    _exit(127);
  }
  signal(SIGTERM, SIG_IGN);
  waitpid(pid, NULL, 0);
}

// A child that does not exec: the state is its own. Silent.
void child_without_exec(void) {
  if (fork() == 0) {
    do_stuff();
    _exit(0);
  }
}

// crontab's editor, with a retry loop: the dispositions set again before every fork and
// restored only after the wait. The editor runs with them ignored.
int edit_crontab(const char *editor, const char *file, int (*retry)(void)) {
  pid_t pid;
again:
  signal(SIGHUP, SIG_IGN); // expected-note {{SIGHUP is set to be ignored here}}
  signal(SIGINT, SIG_IGN); // expected-note {{SIGINT is set to be ignored here}}
  pid = fork(); // expected-note {{the child process is created here}}
  if (pid == 0) {
    if (setuid(getuid()) < 0)
      _exit(1);
    execlp("/bin/sh", "sh", "-c", editor, file, (char *)NULL); // expected-warning {{the child process calls 'execlp' with SIGHUP and SIGINT ignored, and an ignored signal stays ignored in the program exec runs (it outlives its terminal session); reset them to SIG_DFL before the exec}}
    _exit(1);
  }
  waitpid(pid, NULL, 0);
  signal(SIGHUP, SIG_DFL);
  signal(SIGINT, SIG_DFL);
  if (retry())
    goto again;
  return 0;
}

// Its twin that restores them in the child as well. Silent.
int edit_crontab_resetting(const char *editor, const char *file, int (*retry)(void)) {
  pid_t pid;
again:
  signal(SIGHUP, SIG_IGN);
  signal(SIGINT, SIG_IGN);
  pid = fork();
  if (pid == 0) {
    signal(SIGHUP, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    execlp("/bin/sh", "sh", "-c", editor, file, (char *)NULL);
    _exit(1);
  }
  waitpid(pid, NULL, 0);
  signal(SIGHUP, SIG_DFL);
  signal(SIGINT, SIG_DFL);
  if (retry())
    goto again;
  return 0;
}

// Its twin that restores them before forking again. Silent.
void ignore_while_waiting(char **argv) {
  signal(SIGINT, SIG_IGN);
  do_stuff();
  signal(SIGINT, SIG_DFL);
  if (fork() == 0) {
    execvp(argv[0], argv);
    _exit(127);
  }
}

#elif defined(PROGRAM_WIDE)

// A server ignores SIGPIPE at startup (so a closed connection gives EPIPE, not death) and then
// runs a filter: the filter inherits it.
static void setup(void) {
  signal(SIGPIPE, SIG_IGN); // wide-note {{SIGPIPE is set to be ignored here}}
}

void run_filter(char **argv) {
  pid_t pid = fork(); // wide-note {{the child process is created here}}
  if (pid == 0) {
    execvp(argv[0], argv); // wide-warning {{the child process calls 'execvp' with SIGPIPE and SIGHUP ignored, and an ignored signal stays ignored in the program exec runs (it never dies writing to a closed pipe); reset them to SIG_DFL before the exec}}
    _exit(127);
  }
  waitpid(pid, NULL, 0);
}
// WIDE-FIXIT: fix-it:"{{.*}}signal-state-leak.c":{[[@LINE-5]]:5-[[@LINE-5]]:5}:"signal(SIGPIPE, SIG_DFL);\n    signal(SIGHUP, SIG_DFL);\n    "

int main(int argc, char **argv) {
  setup();
  run_filter(argv + 1);
  return 0;
}

// A reset of every signal in a loop, in a helper of this file. Silent.
static void reset_all_dispositions(void) {
  for (int sig = 1; sig < NSIG; ++sig)
    signal(sig, SIG_DFL);
}

static void ignore_hangups(void) {
  signal(SIGHUP, SIG_IGN); // wide-note 2 {{SIGHUP is set to be ignored here}}
}

void spawn_after_reset(char **argv) {
  ignore_hangups();
  if (fork() == 0) {
    reset_all_dispositions();
    execvp(argv[0], argv);
    _exit(127);
  }
}

// A termination handler that ignores SIGCONT before it wakes its stopped group (coreutils
// timeout's cleanup): it runs when SIGTERM comes, not as the program's setup. Silent.
static void on_terminate(int sig) {
  signal(SIGCONT, SIG_IGN);
  kill(0, SIGCONT);
  _exit(128 + sig);
}
void install_terminate(void) { signal(SIGTERM, on_terminate); }

// Paired helpers: blocked in one function, unblocked in another; the state at a fork is not
// known from here. Silent.
static sigset_t saved_mask;
static void block_children(void) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGCHLD);
  sigprocmask(SIG_BLOCK, &set, &saved_mask);
}
static void unblock_children(void) {
  sigprocmask(SIG_SETMASK, &saved_mask, NULL);
}

// The child resets the one it knows about, not the other (setup's SIGPIPE, ignore_hangups'
// SIGHUP).
void spawn_resetting_sigpipe(char **argv) {
  if (fork() == 0) { // wide-note {{the child process is created here}}
    signal(SIGPIPE, SIG_DFL);
    execvp(argv[0], argv); // wide-warning {{the child process calls 'execvp' with SIGHUP ignored, and an ignored signal stays ignored in the program exec runs (it outlives its terminal session)}}
    _exit(127);
  }
}
// WIDE-FIXIT: fix-it:"{{.*}}signal-state-leak.c":{[[@LINE-4]]:5-[[@LINE-4]]:5}:"signal(SIGHUP, SIG_DFL);\n    "
#elif defined(COMPRESSOR)

// busybox tar's compressor: SIGPIPE ignored for the parent's own writes, and gzip exec'd with it.
void start_compressor(int fd, const char *gzip) {
  signal(SIGPIPE, SIG_IGN); // compressor-note {{SIGPIPE is set to be ignored here}}
  pid_t pid = vfork(); // compressor-note {{the child process is created here}}
  if (pid == 0) {
    dup2(fd, 1);
    execlp(gzip, gzip, "-f", (char *)NULL); // compressor-warning {{the child process calls 'execlp' with SIGPIPE ignored, and an ignored signal stays ignored in the program exec runs (it never dies writing to a closed pipe)}}
    _exit(127);
  }
}

// Its twin with fork, where the child puts SIGPIPE back. Silent.
void start_compressor_resetting(int fd, const char *gzip) {
  signal(SIGPIPE, SIG_IGN);
  pid_t pid = fork();
  if (pid == 0) {
    signal(SIGPIPE, SIG_DFL);
    dup2(fd, 1);
    execlp(gzip, gzip, "-f", (char *)NULL);
    _exit(127);
  }
}

#elif defined(PAGER)

// util-linux's more: signals blocked for a signalfd and SIGTSTP ignored at startup; the `v`
// command execs the editor with both, so Ctrl-C and Ctrl-Z do nothing in vi.
static sigset_t pager_signals;

void pager_setup(void) {
  signal(SIGTSTP, SIG_IGN); // pager-note {{SIGTSTP is set to be ignored here}}
  sigemptyset(&pager_signals);
  sigaddset(&pager_signals, SIGINT);
  sigaddset(&pager_signals, SIGTSTP);
  sigprocmask(SIG_BLOCK, &pager_signals, NULL); // pager-note {{signals are blocked here, and still blocked at the fork}}
}

void run_editor(const char *editor, const char *file) {
  pid_t id = fork(); // pager-note {{the child process is created here}}
  if (id == 0) {
    execlp(editor, editor, file, (char *)NULL); // pager-warning {{the child process calls 'execlp' with SIGTSTP ignored and the signals blocked before the fork still blocked; both survive exec (job control does not stop it); reset them before the exec}}
    _exit(127);
  }
  if (id > 0)
    waitpid(id, NULL, 0);
}

// Its twin that unblocks and resets them in the child. Silent.
void run_editor_resetting(const char *editor, const char *file) {
  pid_t id = fork();
  if (id == 0) {
    sigprocmask(SIG_UNBLOCK, &pager_signals, NULL);
    signal(SIGTSTP, SIG_DFL);
    execlp(editor, editor, file, (char *)NULL);
    _exit(127);
  }
  if (id > 0)
    waitpid(id, NULL, 0);
}

#elif defined(WRAPPERS)

// A project's own wrapper around sigaction (openssh's ssh_signal, a daemon's install()):
// its calls are the settings. The daemon ignores SIGPIPE through it at startup, and its helper
// runs with it ignored.
typedef void (*handler_t)(int);
static handler_t install(int sig, handler_t handler) {
  struct sigaction sa, old;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;
  sa.sa_handler = handler;
  if (sigaction(sig, &sa, &old) < 0)
    return SIG_ERR;
  return old.sa_handler;
}

// A reset of the signal its caller names, to the default.
static void reset_signal(int sig) { signal(sig, SIG_DFL); }

void daemon_setup(void) {
  install(SIGPIPE, SIG_IGN); // wrappers-note {{SIGPIPE is set to be ignored here}}
  install(SIGHUP, SIG_IGN);
}

void run_helper(char **argv) {
  pid_t pid = fork(); // wrappers-note {{the child process is created here}}
  if (pid == 0) {
    reset_signal(SIGHUP);
    execvp(argv[0], argv); // wrappers-warning {{the child process calls 'execvp' with SIGPIPE ignored}}
    _exit(127);
  }
}

// coreutils timeout's send_sig: it ignores the signal only when it sends it to its own group,
// from the timeout handler: no wrapper, its calls set nothing for the program. Silent.
static int send_sig(pid_t where, int sig) {
  if (where == 0)
    signal(sig, SIG_IGN);
  return kill(where, sig);
}

void on_timeout(pid_t child) {
  send_sig(child, SIGTERM);
  send_sig(0, SIGCONT);
}

// Its twin that puts SIGPIPE back through the wrapper too. Silent.
void run_helper_resetting(char **argv) {
  pid_t pid = fork();
  if (pid == 0) {
    install(SIGPIPE, SIG_DFL);
    reset_signal(SIGHUP);
    execvp(argv[0], argv);
    _exit(127);
  }
}

#endif
