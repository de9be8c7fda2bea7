// Odd but valid code around fork: no crash, sensible results.
// RUN: %clang_fh -std=gnu89 -Wno-implicit-function-declaration -Wno-unknown-warning-option -Wno-deprecated-non-prototype -Xclang -verify %s

void work();

/* K&R definition, fork declared implicitly (C89). */
int knr(n)
int n;
{
  while (n--) /* expected-note {{continues this loop}} */
    if (fork() == 0) /* expected-warning {{goes back around the loop}} expected-note {{is true in the child}} */
      work();
  return 0;
}

/* asm goto: a block with several successors and no condition expression. */
int asm_goto(int x) {
  if (fork() == 0) {
    __asm__ goto("" :::: out);
    _exit(0);
  out:
    _exit(1);
  }
  return x;
}

/* A fork whose result is ignored, inside a statement expression and a comma. */
void expressions(void) {
  int r = ({ int p = fork(); p; }); /* expected-note {{the earlier fork is here}} expected-note {{created here}} */
  (void)r, fork(); /* expected-warning {{runs in both the parent and the child}} */
} /* expected-warning {{reaches the end of 'expressions'}} */

/* Unreachable fork: no CFG location, nothing to say. */
void unreachable(void) {
  return;
  fork();
}

/* A long chain of helpers that end the process: summarized without deep recursion trouble. */
void end0(void) { _exit(0); }
void end1(void) { end0(); }
void end2(void) { end1(); }
void end3(void) { end2(); }
void chain(void) {
  if (fork() == 0)
    end3();
  wait(0);
}

/* Recursive helpers: cycles in summaries terminate. */
void ping(int n);
void pong(int n) { if (n) ping(n - 1); }
void ping(int n) { pong(n); _exit(0); }
void recursive(void) {
  if (fork() == 0)
    ping(3);
}

/* A fork-returning wrapper that calls itself. */
int self_wrapper(int n) {
  if (n)
    return self_wrapper(n - 1);
  return fork();
}
