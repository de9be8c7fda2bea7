// Our warnings follow clang's own warning flags: -Werror makes them errors (the compile fails),
// -Wno-error undoes that, -w silences them; -fplugin-arg-fork-hazard-werror makes only ours
// errors, and -w does not silence those (like -Werror=<group>). Notes and fix-its stay.
//
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-missing-wait %s 2>&1 | FileCheck --check-prefix=WARN %s
// WARN: severity.c:31:5: warning: the child process calls 'exit'{{.*}} [fork-hazard-exit-in-child]
// WARN: 1 warning generated.
//
// RUN: not %clang_fh -fplugin-arg-fork-hazard-checks=-missing-wait -Werror %s 2>&1 | FileCheck --check-prefix=ERROR %s
// RUN: not %clang_fh -fplugin-arg-fork-hazard-checks=-missing-wait -fplugin-arg-fork-hazard-werror %s 2>&1 | FileCheck --check-prefix=ERROR %s
// RUN: not %clang_fh -fplugin-arg-fork-hazard-checks=-missing-wait -fplugin-arg-fork-hazard-werror -w %s 2>&1 | FileCheck --check-prefix=ERROR %s
// ERROR: severity.c:31:5: error: the child process calls 'exit'{{.*}} [fork-hazard-exit-in-child]
// ERROR: note: the child process is created here
// ERROR: 1 error generated.
//
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-missing-wait -Werror -Wno-error %s 2>&1 | FileCheck --check-prefix=WARN %s
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-missing-wait -w %s 2>&1 | count 0
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-missing-wait -w -Werror %s 2>&1 | count 0
//
// Fix-its survive at error level.
// RUN: not %clang_fh -fplugin-arg-fork-hazard-checks=-missing-wait -Werror -fdiagnostics-parseable-fixits %s 2>&1 | FileCheck --check-prefix=FIXIT %s
// FIXIT: fix-it:"{{.*}}severity.c":{31:5-31:9}:"_exit"
//
// A real compile (-c) fails and leaves no object file behind.
// RUN: rm -f %t.o && not %clang -fplugin=%plugin -Werror -c %s -o %t.o 2>/dev/null && not test -e %t.o
#include <stdlib.h>
#include <unistd.h>

void child(void) {
  if (fork() == 0)
    exit(1);
}
