#!/usr/bin/env python3
"""Differential check of two builds of the plugin on generated functions (issue 13, item 6):

  python3 bench/differential.py --old /tmp/fh-old/ForkHazard.so [--new build/lib/ForkHazard.so]
                                [--sizes 100,300,500,1000] [--seeds 0,1,2,3,4,5]

Generates `Inputs/generate.py fork-sites N S` (N statements, N/10 fork sites; seed 0: the test
harness shapes, other seeds a random mix with buggy shapes) and the other many-site generators,
runs both plugins with -fsyntax-only, and compares every diagnostic (warnings, notes, fix-its) and
the stats line without its clock. Inputs where the old build skipped sites (its budget) are
compared on what both report and listed as such. Exit status 1 on any difference.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GEN = os.path.join(ROOT, "test", "robustness", "Inputs", "generate.py")
CLOCK = re.compile(r", [\d.]+ ms in the plugin")


def run(clang, plugin, src):
    out = subprocess.run([clang, "-fsyntax-only", "-fplugin=" + plugin, "-fplugin-arg-fork-hazard-stats",
                          "-fdiagnostics-parseable-fixits", src], stderr=subprocess.PIPE, text=True).stderr
    return CLOCK.sub("", out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--old", required=True)
    ap.add_argument("--new", default=os.path.join(ROOT, "build", "lib", "ForkHazard.so"))
    ap.add_argument("--clang", default="clang-22")
    ap.add_argument("--sizes", default="100,300,500,1000")
    ap.add_argument("--seeds", default="0,1,2,3,4,5")
    args = ap.parse_args()
    cases = [("fork-sites", n, s) for n in map(int, args.sizes.split(",")) for s in map(int, args.seeds.split(","))]
    cases += [("huge-function", n, None) for n in (250, 500, 1000)] + [("long-function", 2000, None)]
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for kind, n, seed in cases:
            src = os.path.join(tmp, "g.c")
            cmd = [sys.executable, GEN, kind, str(n)] + ([str(seed)] if seed is not None else [])
            with open(src, "w") as f:
                f.write(subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True).stdout)
            old, new = run(args.clang, args.old, src), run(args.clang, args.new, src)
            name = "%s %d%s" % (kind, n, "" if seed is None else " seed %d" % seed)
            warnings = sum(1 for line in new.splitlines() if ": warning: " in line)
            stats = [line for line in new.splitlines() if line.startswith("fork-hazard:")]
            if "not analyzed" in old:
                # the old build stopped at its budget: compare the findings of the sites it analyzed
                old_w = {l for l in old.splitlines() if ": warning: " in l}
                new_w = {l for l in new.splitlines() if ": warning: " in l}
                same = old_w <= new_w
                print("%-28s %s (old build skipped sites; its %d warnings %s) %s" %
                      (name, "ok  " if same else "DIFF", len(old_w), "all reported" if same else "differ",
                       stats[0].split(": ", 2)[2] if stats else ""))
            else:
                same = old == new
                print("%-28s %s %d warnings, %d diagnostic lines; %s" %
                      (name, "ok  " if same else "DIFF", warnings, len(new.splitlines()),
                       stats[0].split(": ", 2)[2] if stats else ""))
            if not same:
                failed += 1
                with open(os.path.join(tmp, "..", "fh-diff-%s-%d-%s.txt" % (kind, n, seed)), "w") as f:
                    f.write("=== old\n" + old + "=== new\n" + new)
    print("%d of %d inputs differ" % (failed, len(cases)))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
