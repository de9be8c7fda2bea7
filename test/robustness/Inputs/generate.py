#!/usr/bin/env python3
"""Generates hostile but valid C for the robustness tests (test/robustness/*.test).

  generate.py nest-blocks N     fork in the innermost of N nested if/while/switch/blocks
  generate.py nest-parens N     fork() inside N parentheses and casts, the pid test inside N parentheses
  generate.py nest-calls N      a chain of N helpers, the last one _exit()s (summaries, recursion depth)
  generate.py huge-function N   one function with N statements: N/10 fork sites, a switch with N cases,
                                N/10 gotos, labels and loops
  generate.py many-functions N  N forking functions in one TU
  generate.py long-function N   one fork site followed by N statements, N/4 branches and a switch
                                with N cases (one process walk over a very large CFG)
  generate.py fork-sites N [S]  one function with N statements and N/10 fork sites in the shapes of
                                test harnesses and generated code (`if (fork() == 0) { test_i();
                                _exit(0); } waitpid(...)`, `pid_i = fork(); if (pid_i == 0) ...`);
                                with a seed S > 0, a random mix of those and of buggy shapes
                                (missing wait, exit() or escape in the child, unchecked error or
                                exec, a role in a flag, forks in loops) for differential checks
"""
import random
import sys

HEAD = "#include <stdlib.h>\n#include <sys/types.h>\n#include <sys/wait.h>\n#include <unistd.h>\nvoid work(int);\n"


def nest_blocks(n):
    out = [HEAD, "void nested(int x) {\n"]
    kinds = ["if (x > %d) {", "while (x != %d) {", "switch (x + %d) { default: {", "{ int v%d = x; (void)v%d;"]
    closers = []
    for i in range(n):
        k = kinds[i % len(kinds)]
        out.append(k.replace("%d", str(i)) + "\n")
        closers.append("break; } }\n" if k.startswith("switch") else "}\n")
    # The child goes back around every enclosing while loop: fork-in-loop (once).
    out.append("if (fork() == 0) work(x);\n")
    out.extend(reversed(closers))
    out.append("}\n")
    return "".join(out)


def nest_parens(n):
    expr = "fork()"
    for i in range(n):
        expr = "(pid_t)(%s)" % expr if i % 2 else "(%s)" % expr
    cond = "p"
    for i in range(n):
        cond = "(%s)" % cond
    return HEAD + ("void parens(int x) {\n  pid_t p = %s;\n  if (%s == 0) { work(x); _exit(0); }\n"
                   "  if (p > 0) waitpid(p, 0, 0);\n}\n" % (expr, cond))


def nest_calls(n):
    out = [HEAD, "void end0(void) { _exit(0); }\n"]
    for i in range(1, n):
        out.append("void end%d(void) { end%d(); }\n" % (i, i - 1))
    out.append("void chain(void) {\n  pid_t p = fork();\n  if (p == 0)\n    end%d();\n"
               "  if (p > 0) waitpid(p, 0, 0);\n}\n" % (n - 1))
    return "".join(out)


def huge_function(n):
    out = [HEAD, "int huge(int x) {\n  int acc = 0;\n  pid_t p;\n"]
    for i in range(n // 10):
        # A correct fork every 10 statements: child _exits, parent waits.
        out.append("  p = fork();\n  if (p == 0) { work(%d); _exit(%d); }\n  if (p > 0) waitpid(p, 0, 0);\n"
                   % (i, i % 256))
        out.append("  if (acc > %d) goto l%d;\n  acc += x * %d;\n  while (acc > %d) acc -= %d;\n"
                   "l%d:\n  acc ^= %d;\n  acc += x ? %d : -%d;\n" % (i, i, i, 1000 + i, i + 1, i, i, i, i))
    out.append("  switch (x) {\n")
    for i in range(n):
        out.append("  case %d: acc += %d; break;\n" % (i, i))
    out.append("  }\n  return acc;\n}\n")
    return "".join(out)


def long_function(n):
    out = [HEAD, "int long_function(int x) {\n  int acc = 0;\n  pid_t p = fork();\n"
                 "  if (p == 0) { work(x); _exit(0); }\n"]
    for i in range(n // 4):
        out.append("  if (x > %d) acc += %d; else acc -= x;\n  acc ^= %d;\n" % (i, i, i))
    out.append("  switch (acc) {\n")
    for i in range(n):
        out.append("  case %d: acc += %d; break;\n" % (i, i))
    out.append("  }\n  if (p > 0) waitpid(p, 0, 0);\n  return acc;\n}\n")
    return "".join(out)


def many_functions(n):
    out = [HEAD]
    for i in range(n):
        out.append("void f%d(int x) {\n  pid_t p = fork();\n  if (p == 0) { work(x); _exit(0); }\n"
                   "  if (p > 0) waitpid(p, 0, 0);\n}\n" % i)
    return "".join(out)


def fork_sites(n, seed=0):
    sites = max(1, n // 10)
    rng = random.Random(seed)
    out = [HEAD, "#include <signal.h>\nvoid test_case(int);\n"]
    for i in range(sites):
        out.append("void test_%d(void);\n" % i)
    out.append("int harness(int x) {\n  int acc = 0, k, child = 0;\n  pid_t p;\n")
    for i in range(sites):
        out.append("  pid_t pid_%d;\n" % i)
    correct = ["harness", "named"]
    buggy = ["nowait", "exit", "escape", "unchecked", "exec", "flag", "loop", "anywait"]
    for i in range(sites):
        shape = correct[i % 2] if seed == 0 else rng.choice(correct + buggy)
        if shape == "harness":  # 4 statements
            out.append("  if (fork() == 0) { test_%d(); _exit(0); }\n  waitpid(-1, 0, 0);\n" % i)
        elif shape == "named":  # 5
            out.append("  pid_%d = fork();\n  if (pid_%d == 0) { test_case(%d); _exit(%d); }\n"
                       "  if (pid_%d > 0) waitpid(pid_%d, 0, 0);\n" % (i, i, i, i % 256, i, i))
        elif shape == "nowait":  # missing-wait
            out.append("  p = fork();\n  if (p == 0) { test_case(%d); _exit(0); }\n" % i)
        elif shape == "exit":  # exit-in-child
            out.append("  if ((p = fork()) == 0) { test_case(%d); exit(1); }\n"
                       "  if (p < 0) return -1;\n  waitpid(p, 0, 0);\n" % i)
        elif shape == "escape":  # the child runs on into the rest of the function
            out.append("  p = fork();\n  if (p == 0) test_case(%d);\n  else if (p > 0) waitpid(p, 0, 0);\n" % i)
        elif shape == "unchecked":  # unchecked-fork-error
            out.append("  p = fork();\n  if (p == 0) _exit(0);\n  kill(p, SIGTERM);\n  waitpid(p, 0, 0);\n")
        elif shape == "exec":  # unchecked-exec
            out.append("  p = fork();\n  if (p == 0) { execl(\"/bin/true\", \"true\", (char *)0); }\n"
                       "  waitpid(p, 0, 0);\n")
        elif shape == "flag":  # the role kept in a flag
            out.append("  child = 0;\n  p = fork();\n  if (p == 0) child = 1;\n"
                       "  if (child) { test_case(%d); _exit(0); }\n  waitpid(p, 0, 0);\n" % i)
        elif shape == "loop":  # forks in a loop, reaped after it
            out.append("  for (k = 0; k < 3; k++)\n    if (fork() == 0) { test_case(k); _exit(0); }\n"
                       "  while (wait(0) > 0)\n    ;\n")
        elif shape == "anywait":  # the pid in a variable, any child reaped
            out.append("  pid_%d = fork();\n  if (pid_%d < 0) return -1;\n  if (!pid_%d) { test_%d(); _exit(0); }\n"
                       "  wait(0);\n" % (i, i, i, i))
        # plain statements between the sites: branches, a loop, a goto, constants
        out.append("  if (acc > %d) goto l%d;\n  acc += x * %d;\n  while (acc > %d) acc -= %d;\n"
                   "l%d:\n  acc ^= %d;\n" % (i, i, i, 1000 + i, i + 1, i, i))
    out.append("  switch (x) {\n")
    for i in range(n // 2):
        out.append("  case %d: acc += %d; break;\n" % (i, i))
    out.append("  }\n  return acc;\n}\n")
    return "".join(out)


if __name__ == "__main__":
    kinds = {"nest-blocks": nest_blocks, "nest-parens": nest_parens, "nest-calls": nest_calls,
             "huge-function": huge_function, "long-function": long_function, "many-functions": many_functions, "fork-sites": fork_sites}
    if len(sys.argv) not in (3, 4) or sys.argv[1] not in kinds or (len(sys.argv) == 4 and sys.argv[1] != "fork-sites"):
        sys.exit(__doc__)
    sys.stdout.write(kinds[sys.argv[1]](*map(int, sys.argv[2:])))
