// A translation unit that calls no fork-family function is not analyzed at all: even code that
// would look like a hazard to a pattern matcher (a local function named like fork) is ignored.
// RUN: %clang_fh -Xclang -verify %s
// expected-no-diagnostics
#include <stdlib.h>
#include <unistd.h>

struct Repo { int (*fork)(void); };

int fork_repo(struct Repo *repo) {
  while (1)
    if (repo->fork() == 0)
      exit(0);
}

int vfork_declared_but_unused(void) { return (int)getpid(); }
