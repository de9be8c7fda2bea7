// Incomplete code (the file ends inside a function, a statement and a call): clang's errors only,
// nothing from fork-hazard, no crash. The stats line says the TU was not analyzed.
// RUN: not %clang_fh -fno-caret-diagnostics %s 2>&1 | FileCheck %s --implicit-check-not="[fork-hazard"
// RUN: not %clang_fh -fno-caret-diagnostics -DMISSING_PAREN %s 2>&1 | FileCheck %s --implicit-check-not="[fork-hazard"
// RUN: not %clang_fh -fno-caret-diagnostics -DIN_SWITCH -fplugin-arg-fork-hazard-stats %s 2>&1 | FileCheck %s --check-prefixes=CHECK,STATS --implicit-check-not="[fork-hazard"
// CHECK: error:
// STATS: fork-hazard: {{.*}}incomplete-code.c: {{.*}} ms in the plugin
// CHECK-NOT: PLEASE submit a bug report
#include <sys/wait.h>
#include <unistd.h>

void work(void);

void complete(void) {
  while (1)
    if (fork() == 0)
      work();
}

#if defined(MISSING_PAREN)
void unfinished(void) {
  pid_t pid = fork(;
  if (pid == 0 {
    work();
#elif defined(IN_SWITCH)
void unfinished(int n) {
  switch (fork()) {
  case 0:
    for (;;) {
      if (n
#else
void unfinished(void) {
  for (;;) {
    pid_t pid = fork();
    if (pid == 0)
      work(
#endif
