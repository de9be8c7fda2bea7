// NOLINT comments, read as clang-tidy reads them, on the line of the diagnostic (the expansion
// line for code from macros).
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-missing-wait -Xclang -verify %s
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-missing-wait %s 2>&1 | FileCheck %s --implicit-check-not=warning:
// The fork-hazard-stats line counts what was suppressed.
// RUN: %clang_fh -fplugin-arg-fork-hazard-checks=-missing-wait -fplugin-arg-fork-hazard-stats %s 2>&1 | FileCheck --check-prefix=STATS %s
// STATS: fork-hazard: {{.*}}nolint.c: 13 functions analyzed, 13 fork sites, 4 findings, 9 suppressed, {{[0-9.]+}} ms in the plugin
#include <stdlib.h>
#include <unistd.h>

void bare(void) {
  if (fork() == 0)
    exit(1); // NOLINT
}

void named(void) {
  if (fork() == 0)
    exit(1); // NOLINT(fork-hazard-exit-in-child)
}

void glob(void) {
  if (fork() == 0)
    exit(1); // NOLINT(fork-hazard-*)
}

void list_with_spaces(void) {
  if (fork() == 0)
    exit(1); // NOLINT( bugprone-foo , fork-hazard-exit-in-child )
}

void other_check_named(void) {
  if (fork() == 0) // expected-note {{created here}} expected-note {{true in the child}}
    exit(1); // NOLINT(fork-hazard-fork-in-loop) expected-warning {{calls 'exit'}}
}
// CHECK: nolint.c:[[@LINE-2]]:5: warning: the child process calls 'exit'{{.*}} [fork-hazard-exit-in-child]

void next_line(void) {
  if (fork() == 0)
    // NOLINTNEXTLINE(fork-hazard-exit-in-child)
    exit(1);
}

void next_line_too_far(void) {
  // NOLINTNEXTLINE(fork-hazard-exit-in-child)
  if (fork() == 0) // expected-note {{created here}} expected-note {{true in the child}}
    exit(1); // expected-warning {{calls 'exit'}}
}
// CHECK: nolint.c:[[@LINE-2]]:5: warning: the child process calls 'exit'

void not_a_directive(void) {
  if (fork() == 0) // expected-note {{created here}} expected-note {{true in the child}}
    exit(1); // NOLINTFOO expected-warning {{calls 'exit'}}
}
// CHECK: nolint.c:[[@LINE-2]]:5: warning: the child process calls 'exit'

#define SPAWN_AND_EXIT()                                                                       \
  do {                                                                                         \
    if (fork() == 0)                                                                           \
      exit(1);                                                                                 \
  } while (0)

void from_macro(void) {
  SPAWN_AND_EXIT(); // NOLINT(fork-hazard-exit-in-child)
}

// NOLINTBEGIN(fork-hazard-exit-in-child)
void region_one(void) {
  if (fork() == 0)
    exit(1);
}
void region_two(void) {
  if (fork() == 0)
    exit(2);
}
// NOLINTEND(fork-hazard-exit-in-child)

// NOLINTBEGIN(fork-hazard-*)
void region_glob(void) {
  if (fork() == 0)
    exit(1);
}
// NOLINTEND(fork-hazard-*)

// NOLINTBEGIN(fork-hazard-exit-in-child) expected-note {{has no matching}}
void unmatched_begin(void) {
  if (fork() == 0) // expected-note {{created here}} expected-note {{true in the child}}
    exit(1); // expected-warning {{calls 'exit'}}
}
// CHECK: nolint.c:[[@LINE-2]]:5: warning: the child process calls 'exit'
// CHECK: nolint.c:[[@LINE-6]]:4: note: this 'NOLINTBEGIN' has no matching 'NOLINTEND', so it suppresses nothing
