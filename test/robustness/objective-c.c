// Objective-C and Objective-C++: methods and blocks are not analyzed (design.md: calls inside
// them are not attributed to any function), C functions in the same file are, and nothing crashes.
// RUN: %clang_fh -x objective-c -fblocks -Xclang -verify %s
// RUN: %clang_fh -x objective-c++ -fblocks -Xclang -verify %s
// RUN: %clang_fh -x objective-c -fobjc-runtime=macosx -fobjc-arc -fblocks -fplugin-arg-fork-hazard-stats %s 2>&1 | FileCheck %s
// CHECK: fork-hazard: {{.*}}objective-c.c: 1 functions analyzed, 1 fork sites, 2 findings
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

void work(void);

__attribute__((objc_root_class))
@interface Spawner {
  int count;
}
- (void)spawn:(int)n;
+ (pid_t)forkOnce;
@end

@implementation Spawner
- (void)spawn:(int)n {
  while (n--)
    if (fork() == 0)
      work();
}
+ (pid_t)forkOnce {
  return fork();
}
@end

void with_block(void) {
  void (^b)(void) = ^{
    if (fork() == 0)
      work();
  };
  b();
}

// A plain C function in the same file is analyzed.
void c_function(int n) {
  while (n--) // expected-note {{continues this loop}}
    if (fork() == 0) // expected-warning {{goes back around the loop}} expected-note {{true in the child}} expected-warning {{never waited for}} expected-note {{false in the parent}}
      work();
} // expected-note {{reaches the end of 'c_function'}}
