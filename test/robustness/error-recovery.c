// Errors that clang recovers from (RecoveryExpr, invalid declarations, a bad type, an undeclared
// pid): clang reports them and goes on; fork-hazard must neither crash on the recovered AST nor
// report anything in a TU with errors, even in functions that are themselves correct.
// RUN: not %clang_fh -fno-caret-diagnostics %s 2>&1 | FileCheck %s --implicit-check-not="[fork-hazard"
// RUN: not %clang_fh -fno-caret-diagnostics -ferror-limit=1 %s 2>&1 | FileCheck %s --implicit-check-not="[fork-hazard"
// An error turned into a warning is no error: the TU is analyzed, and only the real hazard is found.
// RUN: %clang_fh -DONLY_DOWNGRADED -Wno-error=implicit-function-declaration -std=c99 %s 2>&1 \
// RUN:   | FileCheck %s --check-prefix=DOWNGRADED
// CHECK: error:
// CHECK-NOT: PLEASE submit a bug report
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>

void work(void);

// DOWNGRADED: error-recovery.c:[[@LINE+4]]:{{[0-9]+}}: warning: {{.*}}function 'fork'
// DOWNGRADED: error-recovery.c:[[@LINE+3]]:{{[0-9]+}}: warning: the child process goes back around the loop {{.*}}[fork-hazard-fork-in-loop]
// DOWNGRADED: error-recovery.c:[[@LINE+2]]:{{[0-9]+}}: warning: the child created by 'fork' is never waited for{{.*}}[fork-hazard-missing-wait]
void hazard(int n) {
  while (n--) if (fork() == 0) work();
}

#ifndef ONLY_DOWNGRADED
struct incomplete;
void recovered(struct incomplete *s) {
  pid_t pid = fork();
  if (pid == undeclared_pid)          // undeclared: RecoveryExpr in the condition
    work();
  switch (pid) {
  case s->field:                      // member of an incomplete type in a case label
    break;
  case 0:
    _exit(no_such_function(pid, ));    // bad call
  }
  unknown_type t = pid;               // unknown type name
  waitpid(pid, &t, 0, extra);         // too many arguments
  return pid;                         // void function returning a value
}

int (*bad_wrapper(void))[] { return fork(); }  // wrong return type
pid_t worse_wrapper(void) { pid_t p = fork() return p; }
#endif
// DOWNGRADED: 3 warnings generated.
