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
"""
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


if __name__ == "__main__":
    kinds = {"nest-blocks": nest_blocks, "nest-parens": nest_parens, "nest-calls": nest_calls,
             "huge-function": huge_function, "long-function": long_function, "many-functions": many_functions}
    if len(sys.argv) != 3 or sys.argv[1] not in kinds:
        sys.exit(__doc__)
    sys.stdout.write(kinds[sys.argv[1]](int(sys.argv[2])))
