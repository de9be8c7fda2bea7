#include "plugin/Rule.h"

namespace forkhazard {

llvm::ArrayRef<RuleInfo> allRules() {
  static const RuleInfo Rules[] = {
      {"fork-in-loop", "the child returns to the loop around fork() and forks again",
       createForkInLoopRule},
      {"nested-fork", "both the parent and the child of a fork reach a later fork",
       createNestedForkRule},
      {"child-escape",
       "the child returns, throws or falls through into code meant for the parent",
       createChildEscapeRule},
      {"unchecked-exec", "the child carries on when exec fails instead of calling _exit",
       createUncheckedExecRule},
      {"exit-in-child", "the child ends with exit() instead of _exit()", createExitInChildRule},
      {"unsafe-call-in-child",
       "in a program with threads, the child calls a function that is not async-signal-safe",
       createUnsafeCallInChildRule},
      {"missing-wait", "a child is never waited for and stays a zombie", createMissingWaitRule},
      {"unchecked-fork-error", "fork()'s -1 reaches kill, waitpid or another pid-taking call",
       createUncheckedForkErrorRule},
      {"vfork-misuse", "the child of vfork() does anything but exec or _exit",
       createVforkMisuseRule},
  };
  return Rules;
}

} // namespace forkhazard
