#!/usr/bin/env python3
"""The incremental re-run of fork-hazard-check with --cache-dir (issue 15), per package:

  cold         the first run, which fills the cache
  warm         a second run, nothing changed: what the resolution costs (loading the entries,
               merging the facts)
  incremental  after one forking TU changed (a comment appended, then removed again): it is
               parsed, summarized and, when the program's facts concern it, checked again
  parse        clang -fsyntax-only of that TU alone

and the target: incremental <= 2 x parse + warm. Findings of the incremental run must be the
cold run's (a comment changes nothing). Restores the TU it changes. Standard library only.

  python3 bench/incremental.py -j2 [--packages tmux,screen]
"""
import argparse
import json
import os
import shutil
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
from cli import CORPUS, plain_database, run_timed  # noqa: E402


def timed(cmd, cwd=None):
    start = time.monotonic()
    run_timed(cmd, cwd=cwd)
    return time.monotonic() - start


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-j", type=int, default=2)
    ap.add_argument("--packages", help="comma-separated; default: every database")
    ap.add_argument("--check", default=os.path.join(ROOT, "build", "bin", "fork-hazard-check"))
    ap.add_argument("--clang", default="/usr/lib/llvm-22/bin/clang")
    args = ap.parse_args()
    packages = (args.packages.split(",") if args.packages else
                sorted(n[:-5] for n in os.listdir(os.path.join(CORPUS, "db")) if n.endswith(".json")))
    workdir = tempfile.mkdtemp(prefix="fh-incremental.")
    print("| package | TUs | changed TU | cold s | warm s | incremental s | parse s | "
          "(incremental - warm) / parse |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    try:
        for package in packages:
            directory, entries = plain_database(package, workdir)
            cache = os.path.join(directory, "cache")
            base = [args.check, "-p", directory, "-j", str(args.j), "--quiet",
                    "--cache-dir=" + cache, "--format=json"]
            cold_out = os.path.join(directory, "cold.json")
            cold = timed(base + ["-o", cold_out])
            warm = timed(base + ["-o", os.path.join(directory, "warm.json")])
            with open(cold_out) as f:
                findings = json.load(f)
            files = {os.path.join(e["directory"], e["file"]): e for e in entries}
            changed = next((f["file"] for f in findings if f["file"] in files), None)
            if not changed:
                continue
            entry = files[changed]
            with open(changed, "rb") as f:
                original = f.read()
            stat = os.stat(changed)
            try:
                with open(changed, "ab") as f:
                    f.write(b"\n/* fork-hazard bench: incremental */\n")
                incremental_out = os.path.join(directory, "incremental.json")
                incremental = timed(base + ["-o", incremental_out])
            finally:
                with open(changed, "wb") as f:
                    f.write(original)
                os.utime(changed, ns=(stat.st_atime_ns, stat.st_mtime_ns))
            parse = timed([args.clang, "-fsyntax-only"] + entry["arguments"][1:],
                          cwd=entry["directory"])
            with open(incremental_out) as f:
                same = json.load(f) == findings
            print("| %s | %d | %s | %.2f | %.2f | %.2f | %.3f | %.1f%s |" % (
                package, len(entries), os.path.relpath(changed, os.path.join(CORPUS, "src")),
                cold, warm, incremental, parse, (incremental - warm) / parse,
                "" if same else " (findings differ!)"))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
