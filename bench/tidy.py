#!/usr/bin/env python3
"""The clang-tidy module's cost (issue 17): clang-tidy on a 2,000-line C file with the usual libc
headers, without a fork and with a few forking functions, each configuration run N times
(median wall time):

  baseline        -checks=-*,readability-else-after-return (clang-tidy's own work: parse, one
                  cheap matcher check)
  one check       -checks=-*,fork-hazard-exit-in-child
  all checks      -checks=-*,fork-hazard-*  (the same single analysis: the first enabled check
                  runs it for all)

Target: the fork-free file costs nothing measurable over the baseline, and all checks cost the
same as one. Prints a Markdown table for docs/performance.md. Standard library only.

  python3 bench/tidy.py [--runs 15] [--clang-tidy /usr/lib/llvm-22/bin/clang-tidy]
                        [--module build/lib/ForkHazardTidy.so]
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clangd import program  # noqa: E402  (the same generated file as the editor's bench)

CONFIGURATIONS = [("baseline", "-*,readability-else-after-return"),
                  ("one check", "-*,fork-hazard-exit-in-child"),
                  ("all checks", "-*,fork-hazard-*")]


def fork_free(text):
    """The same file without its forking functions: every fork call becomes getpid."""
    return text.replace("fork()", "getpid()")


def median_ms(command, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--clang-tidy", default="/usr/lib/llvm-22/bin/clang-tidy")
    parser.add_argument("--module", default=os.path.join(ROOT, "build", "lib", "ForkHazardTidy.so"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        forking = "\n".join(program(2000)) + "\n"
        files = {"with forks": forking, "fork-free": fork_free(forking)}
        rows = []
        for label, text in files.items():
            path = os.path.join(work, label.replace(" ", "-") + ".c")
            with open(path, "w") as f:
                f.write(text)
            row = [label]
            for _, checks in CONFIGURATIONS:
                command = [args.clang_tidy, "--load=" + args.module, "-checks=" + checks,
                           "--quiet", path, "--"]
                row.append(median_ms(command, args.runs))
            rows.append(row)
    print("| file | " + " | ".join(name for name, _ in CONFIGURATIONS) + " |")
    print("| --- |" + " ---: |" * len(CONFIGURATIONS))
    for row in rows:
        print("| %s | %s |" % (row[0], " | ".join("%.1f ms" % t for t in row[1:])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
