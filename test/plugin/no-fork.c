// A translation unit that calls no fork-family function is not analyzed at all: even code that
// would look like a hazard to a pattern matcher (a local function named like fork) is ignored.
// RUN: %clang_fh -Xclang -verify %s
// The pre-scan decides before any analysis (fork and vfork are clang builtins, so their names
// exist in every TU; only a declaration that is used counts).
// RUN: %clang_fh -fplugin-arg-fork-hazard-stats %s 2>&1 | FileCheck %s
// CHECK: fork-hazard: {{.*}}no-fork.c: no fork-family call, not analyzed, {{[0-9.]+}} ms in the plugin
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
