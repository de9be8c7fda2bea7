// Code in system headers is never analyzed or reported; user code expanded from a system
// macro is the user's and is reported at the expansion.
// RUN: %clang_fh -isystem %S/Inputs/sys -Xclang -verify %s
#include <forky.h>

int use_it(void) { return sys_spawn_badly(); }

void user_loop(void) {
  SYS_FORK_LOOP(); // expected-warning {{goes back around the loop}} expected-note 2 {{}}
}
