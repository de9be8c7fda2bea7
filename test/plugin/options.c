// Plugin options arrive as -fplugin-arg-fork-hazard-<name>[=value]; mistakes are one clear error.
//
// RUN: not %clang_fh -fplugin-arg-fork-hazard-bogus %s 2>&1 | FileCheck --check-prefix=UNKNOWN %s
// UNKNOWN: error: unknown option 'bogus' for plugin 'fork-hazard'; valid options are: checks, help, threads, unknown-calls, fork-functions, exit-functions, wait-functions, facts, werror, stats, config
// UNKNOWN-NEXT: 1 error generated.
//
// RUN: not %clang_fh -fplugin-arg-fork-hazard-checks %s 2>&1 | FileCheck --check-prefix=NOVALUE %s
// NOVALUE: error: option 'checks' of plugin 'fork-hazard' needs a value: -fplugin-arg-fork-hazard-checks=<globs>
//
// RUN: not %clang_fh -fplugin-arg-fork-hazard-help=yes %s 2>&1 | FileCheck --check-prefix=EXTRA %s
// EXTRA: error: option 'help' of plugin 'fork-hazard' takes no value
//
// RUN: not %clang_fh '-fplugin-arg-fork-hazard-checks=-*,fork-in-lop' %s 2>&1 | FileCheck --check-prefix=BADCHECK %s
// BADCHECK: error: invalid value '-*,fork-in-lop' for option 'checks' of plugin 'fork-hazard': 'fork-in-lop' matches no check (did you mean 'fork-in-loop'?); checks are: fork-in-loop, nested-fork, child-escape, unchecked-exec, exit-in-child{{(, [a-z-]+)*$}}
//
// A near miss gets a suggestion; an invalid glob says why.
// RUN: not %clang_fh -fplugin-arg-fork-hazard-chekcs=x %s 2>&1 | FileCheck --check-prefix=TYPO %s
// TYPO: error: unknown option 'chekcs' for plugin 'fork-hazard' (did you mean 'checks'?); valid options are:
// RUN: not %clang_fh '-fplugin-arg-fork-hazard-checks=[a' %s 2>&1 | FileCheck --check-prefix=BADGLOB %s
// BADGLOB: error: invalid value '[a' for option 'checks' of plugin 'fork-hazard': '[a' is not a valid glob ({{.*}})
// RUN: not %clang_fh '-fplugin-arg-fork-hazard-checks=-*,nosuchthing' %s 2>&1 | FileCheck --check-prefix=NOGUESS %s
// NOGUESS: error: invalid value '-*,nosuchthing' for option 'checks' of plugin 'fork-hazard': 'nosuchthing' matches no check; checks are:
// RUN: not %clang_fh -fplugin-arg-fork-hazard-config= %s 2>&1 | FileCheck --check-prefix=NOCONFIG %s
// NOCONFIG: error: invalid value '' for option 'config' of plugin 'fork-hazard': must name a file, or be 'none'
//
// The same options through -Xclang -plugin-arg-fork-hazard (no driver splitting).
// RUN: not %clang_fh -Xclang -plugin-arg-fork-hazard -Xclang bogus %s 2>&1 | FileCheck --check-prefix=UNKNOWN %s
//
// Check selection: all on by default; globs and the fork-hazard- prefix are accepted.
// RUN: %clang_fh %s 2>&1 | FileCheck --check-prefix=ALL %s
// ALL-DAG: [fork-hazard-fork-in-loop]
// ALL-DAG: [fork-hazard-exit-in-child]
// RUN: %clang_fh '-fplugin-arg-fork-hazard-checks=*,-exit-in-child' %s 2>&1 | FileCheck --check-prefix=NOEXIT %s
// NOEXIT: [fork-hazard-fork-in-loop]
// NOEXIT-NOT: exit-in-child
// RUN: %clang_fh '-fplugin-arg-fork-hazard-checks=-*,fork-hazard-exit-*' %s 2>&1 | FileCheck --check-prefix=ONLYEXIT %s
// ONLYEXIT-NOT: fork-in-loop
// ONLYEXIT: [fork-hazard-exit-in-child]
// ONLYEXIT-NOT: fork-in-loop
// RUN: %clang_fh '-fplugin-arg-fork-hazard-checks=-*' %s 2>&1 | count 0
// Like clang-tidy's --checks, the globs apply after the defaults: '-exit-in-child' alone only
// turns that check off.
// RUN: %clang_fh '-fplugin-arg-fork-hazard-checks=-exit-in-child' %s 2>&1 | FileCheck --check-prefix=NOEXIT %s
//
// Options with a fixed set of values say which ones.
// RUN: not %clang_fh -fplugin-arg-fork-hazard-threads=maybe %s 2>&1 | FileCheck --check-prefix=BADVALUE %s
// BADVALUE: error: invalid value 'maybe' for option 'threads' of plugin 'fork-hazard': must be auto, yes or no
// RUN: not %clang_fh -fplugin-arg-fork-hazard-unknown-calls=all %s 2>&1 | FileCheck --check-prefix=BADUNKNOWN %s
// BADUNKNOWN: error: invalid value 'all' for option 'unknown-calls' of plugin 'fork-hazard': must be ignore or unsafe
//
// exit-functions entries end in nothing, ':_exit' or ':exit'; anything else names the valid forms.
// RUN: not %clang_fh -fplugin-arg-fork-hazard-exit-functions=die,cleanup:quick %s 2>&1 | FileCheck --check-prefix=BADENDING %s
// BADENDING: error: invalid value 'die,cleanup:quick' for option 'exit-functions' of plugin 'fork-hazard': unknown ending ':quick' in 'cleanup:quick'; the valid forms are 'name' or 'name:_exit' (ends like _exit) and 'name:exit' (ends through exit, which runs the atexit handlers)
// BADENDING-NEXT: 1 error generated.
// RUN: not %clang_fh -fplugin-arg-fork-hazard-exit-functions=die: %s 2>&1 | FileCheck --check-prefix=NOENDING %s
// NOENDING: error: invalid value 'die:' for option 'exit-functions' of plugin 'fork-hazard': unknown ending ':' in 'die:'; the valid forms are
// RUN: not %clang_fh -fplugin-arg-fork-hazard-exit-functions=:exit %s 2>&1 | FileCheck --check-prefix=NONAME %s
// NONAME: error: invalid value ':exit' for option 'exit-functions' of plugin 'fork-hazard': ':exit' names no function
// Names are plain or qualified identifiers, in every list.
// RUN: not %clang_fh -fplugin-arg-fork-hazard-fork-functions=make_child:exit %s 2>&1 | FileCheck --check-prefix=BADNAME %s
// BADNAME: error: invalid value 'make_child:exit' for option 'fork-functions' of plugin 'fork-hazard': 'make_child:exit' is not a function name (plain, like 'die', or qualified, like 'util::die')
// RUN: not %clang_fh '-fplugin-arg-fork-hazard-wait-functions=reap,::reap_all' %s 2>&1 | FileCheck --check-prefix=BADWAIT %s
// BADWAIT: error: invalid value 'reap,::reap_all' for option 'wait-functions' of plugin 'fork-hazard': '::reap_all' is not a function name
// RUN: not %clang_fh -fplugin-arg-fork-hazard-fork-function=make_child %s 2>&1 | FileCheck --check-prefix=FORKTYPO %s
// FORKTYPO: error: unknown option 'fork-function' for plugin 'fork-hazard' (did you mean 'fork-functions'?)
//
// help prints the checks and options, then stops with success (no compile, no warnings).
// RUN: %clang_fh -fplugin-arg-fork-hazard-help %s 2>&1 | FileCheck --check-prefix=HELP --implicit-check-not=warning: %s
// HELP: Checks:
// HELP: fork-hazard-fork-in-loop (on by default): the child returns to the loop around fork() and forks again
// HELP: fork-hazard-exit-in-child (on by default):
// HELP: Options (-fplugin-arg-fork-hazard-<name>[=value]; the same keys in .fork-hazard.yaml):
// HELP: checks=<globs>:
// HELP: threads=auto|yes|no:
// HELP: fork-functions=<names>: functions defined elsewhere that return the result of a fork, like fork (comma-separated)
// HELP: exit-functions=<name>[:exit|:_exit],...: functions defined elsewhere that end the process: like _exit, or with ':exit' through exit, which runs the atexit handlers (comma-separated)
// HELP: werror: report fork-hazard warnings as errors
// HELP: stats:
// HELP: config=<file>|none:
// HELP: NOLINT(fork-hazard-<check>)

#include <stdlib.h>
#include <unistd.h>

void work(void);

void loop(void) {
  for (;;)
    if (fork() == 0)
      work();
}

void child_exit(void) {
  if (fork() == 0)
    exit(0);
}
