// Suppressions are clang-tidy's own: the same-line, next-line and begin/end comments, for the
// fork-hazard checks by name or glob, as for any check.
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

void other_check(void) {
  if (fork() == 0)
    exit(1); // NOLINT(bugprone-branch-clone)
}

void next_line(void) {
  if (fork() == 0)
    // NOLINTNEXTLINE(fork-hazard-*)
    exit(1);
}

// NOLINTBEGIN(fork-hazard-exit-in-child)
void region(void) {
  if (fork() == 0)
    exit(1);
}
// NOLINTEND(fork-hazard-exit-in-child)
