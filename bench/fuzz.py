#!/usr/bin/env python3
"""A simple mutation fuzzer for fork-hazard (issue 8): mutates the test fixtures and examples
(C, C++) and runs each mutant through clang with the plugin (-fsyntax-only), checking for crashes
and hangs. Deterministic for a given --seed and --iterations. Standard library only.

  python3 bench/fuzz.py --iterations 2000 --seed 1 -j2

A crash (signal, or clang's crash banner) or a hang (--timeout) is saved as
<out>/crash-<n>.<ext> with the command in <out>/crash-<n>.cmd; exit status 1 if there was any.
"""
import argparse
import glob
import os
import random
import re
import shlex
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CRASH = ("PLEASE submit a bug report", "Stack dump:", "failed due to signal", "UNREACHABLE executed",
         "Assertion `")
# Fragments that stress the analysis: forks, process ends, waits, control flow, pid tests.
FRAGMENTS = [
    "fork()", "vfork()", "_exit(0);", "exit(1);", "abort();", "return;", "return 0;", "return pid;",
    "waitpid(pid, 0, 0);", "wait(0);", "execvp(argv[0], argv);", "execl(\"/bin/sh\", \"sh\", (char *)0);",
    "if (pid == 0)", "if (fork() == 0)", "if (pid < 0)", "if (!pid)", "else", "while (1)", "for (;;)",
    "do {", "} while (0);", "switch (fork()) { case -1: break; case 0: _exit(0); default: break; }",
    "switch (pid) {", "case 0:", "default:", "break;", "continue;", "goto out;", "out:", "{", "}", "(", ")",
    ";", ",", "pid = fork();", "pid_t pid = fork();", "kill(pid, SIGTERM);", "(void)fork();",
    "__builtin_unreachable();", "__asm__ goto(\"\" :::: out);", "({ fork(); })", "throw 1;", "try {",
    "} catch (...) {}", "[&]{ fork(); }();", "#define F fork()\n", "F", "static", "int", "pid_t", "*", "&",
    "pid", "0", "-1", "?", ":", "==", "!=", "&&", "||", "signal(SIGCHLD, SIG_IGN);", "daemon(0, 0);",
    "__attribute__((noreturn))", "void die(void) { _exit(1); }", "pid_t Fork(void) { return fork(); }",
    "Fork()", "setjmp(jb)", "longjmp(jb, 1);", "#if 0\n", "#endif\n", "/*", "*/", "//", "\"", "'",
]
TOKEN_RE = re.compile(r"[A-Za-z_][A-Za-z_0-9]*|\d+|\S")
# Whole statements, for the mutants that should still compile (with PRELUDE's declarations).
STATEMENTS = [
    "fork();", "(void)fork();", "vfork();", "_exit(0);", "exit(1);", "abort();", "return;", "break;",
    "continue;", "waitpid(pid, 0, 0);", "wait(0);", "execvp(argv[0], argv);", "pid = fork();",
    "if (fork() == 0) _exit(0);", "if (fork() == 0) work();", "if (pid == 0) _exit(0);",
    "if (pid < 0) return;", "if (!pid) exit(0);", "if (pid > 0) waitpid(pid, 0, 0);",
    "switch (fork()) { case -1: break; case 0: work(); default: break; }", "while (n--) fork();",
    "for (;;) { if (fork() == 0) break; }", "kill(pid, SIGTERM);", "signal(SIGCHLD, SIG_IGN);",
    "daemon(0, 0);", "{ pid_t p2 = fork(); if (p2 == 0) { execvp(argv[0], argv); } }",
    "if (setjmp(jb)) return;", "longjmp(jb, 1);", "__builtin_unreachable();", "do { fork(); } while (0);",
    "pid = pid ? pid : fork();", "{ int r = ({ int q = fork(); q; }); (void)r; }", "fz_die();",
    "pid = fz_fork();", "if (fz_fork() == 0) fz_die();",
]
PRELUDE = ("#include <setjmp.h>\n#include <signal.h>\n#include <stdlib.h>\n#include <sys/types.h>\n"
           "#include <sys/wait.h>\n#include <unistd.h>\n"
           "static pid_t pid; static int n; static char **argv; static jmp_buf jb; void work(void);\n"
           "static void fz_die(void) { _exit(1); }\nstatic pid_t fz_fork(void) { return fork(); }\n")


def mutate_statements(text, rng):
    """Statement-level edits at line boundaries: the result usually still compiles."""
    lines = text.split("\n")
    spots = [i for i, l in enumerate(lines) if l.rstrip().endswith((";", "{", "}")) and not l.lstrip().startswith(("//", "#", "/*", "*"))]
    if not spots:
        return None
    for _ in range(rng.randint(1, 3)):
        i = rng.choice(spots)
        op = rng.randrange(4)
        if op <= 1:      # a statement after a statement
            lines.insert(i + 1, rng.choice(STATEMENTS))
        elif op == 2 and lines[i].rstrip().endswith(";") and lines[i].count("(") == lines[i].count(")"):
            # a statement line wrapped in a loop or a branch on the fork
            head = rng.choice(["while (n--) {", "if (fork() == 0) {", "for (;;) {", "if (pid == 0) {",
                               "switch (pid) { case 0: {", "do {"])
            tail = {"switch (pid) { case 0: {": "} }", "do {": "} while (0);"}.get(head, "}")
            if not lines[i].lstrip().startswith(("case", "default", "return", "int ", "pid_t ", "char ")):
                lines[i:i + 1] = [head, lines[i], tail]
        else:            # delete a statement line
            if lines[i].rstrip().endswith(";") and lines[i].count("{") == lines[i].count("}"):
                lines[i] = ""
        spots = [k for k, l in enumerate(lines) if l.rstrip().endswith((";", "{", "}")) and not l.lstrip().startswith(("//", "#", "/*", "*"))]
    return PRELUDE + "\n".join(lines)


def mutate(text, rng):
    if rng.random() < 0.7:
        m = mutate_statements(text, rng)
        if m is not None:
            return m
    lines = text.split("\n")
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(9)
        if not lines:
            lines = [""]
        i = rng.randrange(len(lines))
        if op == 0:      # delete a few lines
            del lines[i:i + rng.randint(1, 3)]
        elif op == 1:    # duplicate a line elsewhere
            lines.insert(rng.randrange(len(lines) + 1), lines[i])
        elif op == 2:    # swap two lines
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == 3:    # insert a fragment as a line
            lines.insert(i, rng.choice(FRAGMENTS))
        elif op == 4:    # insert a fragment inside a line
            ln = lines[i]
            k = rng.randint(0, len(ln))
            lines[i] = ln[:k] + " " + rng.choice(FRAGMENTS) + " " + ln[k:]
        elif op == 5:    # delete one token
            toks = list(TOKEN_RE.finditer(lines[i]))
            if toks:
                t = rng.choice(toks)
                lines[i] = lines[i][:t.start()] + lines[i][t.end():]
        elif op == 6:    # replace one token by another from the file
            toks = list(TOKEN_RE.finditer(lines[i]))
            other = TOKEN_RE.findall(rng.choice(lines))
            if toks and other:
                t = rng.choice(toks)
                lines[i] = lines[i][:t.start()] + rng.choice(other) + lines[i][t.end():]
        elif op == 7:    # truncate the file
            lines = lines[:i + 1]
            lines[-1] = lines[-1][:rng.randint(0, len(lines[-1]))]
        else:            # wrap a line range in a loop or a child branch
            j = min(len(lines), i + rng.randint(1, 6))
            head = rng.choice(["while (n--) {", "if (fork() == 0) {", "for (;;) {", "switch (pid) { case 0: {"])
            tail = "} }" if head.startswith("switch") else "}"
            lines[i:j] = [head] + lines[i:j] + [tail]
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--iterations", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--clang", default="clang-22")
    ap.add_argument("--plugin", default=os.path.join(ROOT, "build-bench", "lib", "ForkHazard.so"))
    ap.add_argument("--out", default=os.path.join(os.environ.get("FH_CORPUS", "/var/cache/fork-hazard-corpus"), "fuzz"))
    args = ap.parse_args()
    seeds = sorted(glob.glob(os.path.join(ROOT, "test", "**", "*.c"), recursive=True) +
                   glob.glob(os.path.join(ROOT, "test", "**", "*.cpp"), recursive=True) +
                   glob.glob(os.path.join(ROOT, "examples", "*.c")))
    seeds = [s for s in seeds if "/Inputs/" not in s]
    corpus = [(s, open(s, errors="replace").read()) for s in seeds]
    os.makedirs(args.out, exist_ok=True)
    work = tempfile.mkdtemp(prefix="fh-fuzz-")
    rng = random.Random(args.seed)
    # All mutants are drawn up front from the one generator: the run is the same for any -j.
    jobs = []
    for n in range(args.iterations):
        path, text = rng.choice(corpus)
        jobs.append((n, path, mutate(text, rng), rng.random() < 0.3))
    stats = {"run": 0, "crash": 0, "hang": 0, "rejected": 0, "warned": 0}
    lock = threading.Lock()
    start = time.time()

    def run(job):
        n, path, text, with_stats = job
        ext = ".cpp" if path.endswith(".cpp") else ".c"
        src = os.path.join(work, "m%d%s" % (n, ext))
        with open(src, "w") as f:
            f.write(text)
        cmd = [args.clang, "-fplugin=" + args.plugin, "-fsyntax-only", "-fno-color-diagnostics", "-w",
               "-Wno-error", "-ferror-limit=0", "-I" + os.path.dirname(path)]
        cmd += ["-std=c++17"] if ext == ".cpp" else ["-std=gnu11"]
        cmd += ["-Wno-implicit-function-declaration", "-fplugin-arg-fork-hazard-checks=*"]
        # -w silences our warnings too: every other mutant runs without it, to exercise the reporter.
        if n % 2:
            cmd.remove("-w")
        if with_stats:
            cmd.append("-fplugin-arg-fork-hazard-stats")
        cmd.append(src)
        try:
            p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=args.timeout,
                               stdin=subprocess.DEVNULL)
            out = p.stdout.decode("utf-8", "replace")
            kind = "crash" if p.returncode < 0 or any(m in out for m in CRASH) else None
        except subprocess.TimeoutExpired:
            kind, out = "hang", ""
        with lock:
            stats["run"] += 1
            done = stats["run"]
            if kind:
                stats[kind] += 1
            elif "error:" in out:
                stats["rejected"] += 1
            if not kind and "[fork-hazard-" in out:
                stats["warned"] += 1
        if kind:
            keep = os.path.join(args.out, "%s-%d%s" % (kind, n, ext))
            with open(keep, "w") as f:
                f.write(text)
            with open(keep + ".cmd", "w") as f:
                f.write(shlex.join(cmd[:-1] + [keep]) + "\n# from " + path + "\n" + out[-4000:])
            print("%s: %s (mutant of %s)" % (kind.upper(), keep, os.path.relpath(path, ROOT)), flush=True)
        os.unlink(src)
        if done % 200 == 0:
            print("  %d/%d mutants, %.0f s" % (done, args.iterations, time.time() - start),
                  file=sys.stderr, flush=True)

    with ThreadPoolExecutor(max_workers=args.jobs) as ex:
        list(ex.map(run, jobs))
    os.rmdir(work)
    print("fuzz: %d mutants of %d fixtures (seed %d) in %.0f s: %d crashes, %d hangs; %d with compile errors, "
          "%d with fork-hazard findings" % (stats["run"], len(corpus), args.seed, time.time() - start,
                                            stats["crash"], stats["hang"], stats["rejected"], stats["warned"]))
    sys.exit(1 if stats["crash"] or stats["hang"] else 0)


if __name__ == "__main__":
    main()
