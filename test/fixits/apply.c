// The fix-its are mechanical and compile: apply them with -fixit and check the result.
// RUN: cp %s %t.c
// RUN: %clang_fh -Xclang -fixit %t.c 2>/dev/null || true
// RUN: FileCheck --input-file=%t.c %s
// RUN: %clang -fsyntax-only -Wall %t.c

#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

void work(void);

void spawn(char **argv) {
  pid_t pid = fork();
  if (pid == 0) {
    execvp(argv[0], argv);
  }
  waitpid(pid, NULL, 0);
}
// CHECK-LABEL: void spawn(char **argv) {
// CHECK:      execvp(argv[0], argv);
// CHECK-NEXT: _exit(127);
// CHECK-NEXT: }

void child_exit(void) {
  if (fork() == 0) {
    work();
    exit(3);
  }
  wait(NULL);
}
// CHECK-LABEL: void child_exit(void) {
// CHECK:      work();
// CHECK-NEXT: _exit(3);

int main(void) {
  if (fork() == 0) {
    work();
    return 2;
  }
  wait(NULL);
  return 0;
}
// CHECK-LABEL: int main(void) {
// CHECK:      work();
// CHECK-NEXT: _exit(2);
// CHECK:      return 0;
