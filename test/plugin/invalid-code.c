// Code that does not compile gets clang's errors and nothing from us; no crash.
// RUN: not %clang_fh %s 2>&1 | FileCheck %s
// CHECK: error: use of undeclared identifier 'undeclared'
// CHECK-NOT: fork-hazard
// CHECK: 1 error generated.
#include <unistd.h>

void broken(void) {
  for (;;)
    if (fork() == undeclared)
      ;
}
