// missing-wait and what the rest of the file does about children. Two parents that never wait:
// serve() loops forever (prefix "loop"), spawn_detached() returns to its caller ("ret").
//
// Nothing that reaps, or something that does not: both are reported.
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,missing-wait -Xclang -verify=loop,ret %s
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,missing-wait -DRESET_TO_DEFAULT -Xclang -verify=loop,ret %s
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,missing-wait -DHANDLER_ONLY_COUNTS -Xclang -verify=loop,ret %s
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,missing-wait -DQUERY_ONLY -Xclang -verify=loop,ret %s
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,missing-wait -DOTHER_REAPER -Xclang -verify=loop,ret %s
//
// The kernel or a handler or a thread reaps every child: nothing is reported.
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,missing-wait -DIGNORE_WITH_SIGNAL -Xclang -verify=none %s
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,missing-wait -DIGNORE_WITH_SIGACTION -Xclang -verify=none %s
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,missing-wait -DNOCLDWAIT -Xclang -verify=none %s
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,missing-wait -DNOCLDWAIT_INITIALIZER -Xclang -verify=none %s
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,missing-wait -DREAPING_HANDLER -Xclang -verify=none %s
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,missing-wait -DREAPING_SIGACTION_HANDLER -Xclang -verify=none %s
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,missing-wait -DREAPER_THREAD -Xclang -verify=none %s
//
// A reaper loop `while (waitpid(-1, &status, WNOHANG) > 0)`: on serve()'s path (directly or
// in a function it calls) it reaps serve()'s children; elsewhere in the file it is where
// spawn_detached()'s caller probably reaps, but it does nothing for a loop that never leaves.
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,missing-wait -DREAPER_ELSEWHERE -Xclang -verify=loop %s
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,missing-wait -DREAPER_IN_LOOP -Xclang -verify=none %s
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,missing-wait -DREAPER_CALLED_IN_LOOP -Xclang -verify=none %s
// A reaper loop before the fork in the forking function itself (util-linux fsck's wait_one):
// the next call reaps what this one forked; it does not help the loop that never leaves.
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,missing-wait -DREAPER_BEFORE_FORK -Xclang -verify=loop %s
// The project's EINTR-retrying waitpid given -1 is a reaper loop too: known by its name
// (declared, defined elsewhere, named *waitpid), or named by wait-functions.
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,missing-wait -DPROJECT_REAPER -Xclang -verify=none %s
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-*,missing-wait -DOTHER_REAPER -fplugin-arg-fork-hazard-wait-functions=reap_any -Xclang -verify=none %s
// none-no-diagnostics
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int next_request(void);
void handle(int);
pid_t safe_waitpid(pid_t, int *, int); // retries on EINTR; defined elsewhere
pid_t reap_any(pid_t, int *, int);     // the same, under a name that says nothing

static void reap_finished(void) {
  int status;
#if defined(REAPER_ELSEWHERE) || defined(REAPER_CALLED_IN_LOOP)
  while (waitpid(-1, &status, WNOHANG) > 0)
    ;
#endif
  (void)status;
}

void serve(void) {
  for (;;) { // loop-note {{the parent process goes round this loop and forks again without waiting}}
    int request = next_request();
    pid_t pid = fork(); // loop-warning {{the child created by 'fork' is never waited for; it stays a zombie until this process exits}}
    if (pid == 0) { // loop-note {{'pid == 0' is false in the parent process}}
      handle(request);
      _exit(0);
    }
#ifdef REAPER_IN_LOOP
    int status;
    while (waitpid(-1, &status, WNOHANG) > 0)
      ;
#endif
#ifdef REAPER_CALLED_IN_LOOP
    reap_finished();
#endif
#ifdef PROJECT_REAPER
    while (safe_waitpid(-1, NULL, WNOHANG) > 0)
      ;
#endif
#ifdef OTHER_REAPER
    while (reap_any(-1, NULL, WNOHANG) > 0)
      ;
#endif
  }
}

void spawn_detached(int request) {
#ifdef REAPER_BEFORE_FORK
  while (waitpid(-1, NULL, WNOHANG) > 0)
    ;
#endif
  if (fork() == 0) { // ret-warning {{the child created by 'fork' is never waited for}} ret-note {{'fork() == 0' is false in the parent process}}
    handle(request);
    _exit(0);
  }
} // ret-note {{the parent process reaches the end of 'spawn_detached' and returns into its caller here without waiting for the child}}

#ifdef RESET_TO_DEFAULT
void restore_default(void) { signal(SIGCHLD, SIG_DFL); }
#endif

#ifdef HANDLER_ONLY_COUNTS
static volatile sig_atomic_t children_done;
static void count_child(int sig) {
  (void)sig;
  children_done++;
}
void install(void) {
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = count_child;
  action.sa_flags = SA_RESTART;
  sigemptyset(&action.sa_mask);
  sigaction(SIGCHLD, &action, NULL);
}
#endif

#ifdef QUERY_ONLY
int sigchld_is_ignored(void) {
  struct sigaction current;
  sigaction(SIGCHLD, NULL, &current);
  return current.sa_handler == SIG_IGN;
}
#endif

#ifdef IGNORE_WITH_SIGNAL
void no_zombies(void) { signal(SIGCHLD, SIG_IGN); }
#endif

#ifdef IGNORE_WITH_SIGACTION
void no_zombies(void) {
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = SIG_IGN;
  sigaction(SIGCHLD, &action, NULL);
}
#endif

#ifdef NOCLDWAIT
void no_zombies(void) {
  struct sigaction action = {0};
  action.sa_handler = SIG_DFL;
  action.sa_flags = SA_NOCLDWAIT | SA_RESTART;
  sigaction(SIGCHLD, &action, NULL);
}
#endif

#ifdef NOCLDWAIT_INITIALIZER
static const struct sigaction no_zombie_action = {.sa_flags = SA_NOCLDWAIT};
void no_zombies(void) { sigaction(SIGCHLD, &no_zombie_action, NULL); }
#endif

#ifdef REAPING_HANDLER
static void on_child(int sig) {
  (void)sig;
  while (waitpid(-1, NULL, WNOHANG) > 0)
    ;
}
void install(void) { signal(SIGCHLD, on_child); }
#endif

#ifdef REAPING_SIGACTION_HANDLER
static void reap_all(void) {
  while (waitpid(-1, NULL, WNOHANG) > 0)
    ;
}
static void on_child(int sig, siginfo_t *info, void *context) {
  (void)sig, (void)info, (void)context;
  reap_all();
}
void install(void) {
  struct sigaction action = {0};
  action.sa_sigaction = on_child;
  action.sa_flags = SA_SIGINFO | SA_RESTART;
  sigaction(SIGCHLD, &action, NULL);
}
#endif

#ifdef REAPER_THREAD
static void *reaper(void *unused) {
  (void)unused;
  for (;;)
    if (wait(NULL) < 0)
      sleep(1);
  return NULL;
}
void start_reaper(void) {
  pthread_t thread;
  pthread_create(&thread, NULL, reaper, NULL);
}
#endif
