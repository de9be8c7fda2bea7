// K&R C: old-style definitions, implicit int, implicit declarations of fork/_exit/wait (C89), a
// prototype-less wrapper, calls with the wrong number of arguments. Analyzed like modern C.
// RUN: %clang_fh -std=c89 -Wno-implicit-function-declaration -Wno-implicit-int -Wno-deprecated-non-prototype -Wno-return-type -Wno-unknown-warning-option -Xclang -verify %s
// RUN: %clang_fh -std=gnu89 -fplugin-arg-fork-hazard-stats %s 2>&1 | FileCheck %s
// CHECK: fork-hazard: {{.*}}knr-c.c: {{[0-9]+}} functions analyzed, {{[1-9][0-9]*}} fork sites, {{[1-9][0-9]*}} findings

/* An implicit-int fork wrapper, defined K&R style. */
spawn(tries)
  int tries;
{
  register pid;
  while ((pid = fork()) < 0 && tries-- > 0)
    sleep(1);
  return pid;
}

main(argc, argv)
  char **argv;
{
  int n = argc;
  while (n-- > 0) { /* expected-note {{continues this loop}} */
    if (!spawn(3)) /* expected-warning {{goes back around the loop}} expected-note {{is true in the child}} */
      work(argv);
  }
  while (wait((int *)0) > 0)
    ;
  return 0;
}

/* exit() in a child created through the K&R wrapper; called with too many arguments. */
child_exits()
{
  int p;
  if ((p = spawn(1, 2)) == 0) /* expected-warning {{too many arguments}} expected-note {{is true in the child}} expected-note {{created here}} */
    exit(0); /* expected-warning {{calls 'exit'}} expected-note {{declared in <unistd.h>}} */
  if (p > 0)
    waitpid(p, (int *)0, 0);
}

/* A prototype-less declaration of a helper that ends the process, defined later. */
int die();
helper_child()
{
  int p = fork();
  if (p == 0)
    die(1); /* ends the process: no child-escape */
  if (p > 0)
    waitpid(p, (int *)0, 0);
}
die(code)
{
  _exit(code);
}
