// Code in system headers is never analyzed or reported; user code expanded from a system
// macro is the user's and is reported at the expansion.
// RUN: %clang_fh -isystem %S/Inputs/sys -Xclang -verify %s
#include <forky.h>

int use_it(void) { return sys_spawn_badly(); }

void user_loop(void) {
  SYS_FORK_LOOP(); // expected-warning {{goes back around the loop}} expected-note {{the condition is true in the child process}} expected-note {{continues this loop}} expected-warning {{never waited for}} expected-note {{the condition is false in the parent process}} expected-note {{goes round this loop and forks again}}
}
