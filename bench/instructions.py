#!/usr/bin/env python3
"""Instruction counts of clang with and without fork-hazard on a sample of the corpus (issue 8).

CPU time on a shared virtual machine moves by a few percent between runs; the number of
instructions clang executes does not (valgrind's callgrind counts them: this machine has no
hardware counters). A random sample of TUs plus every TU with a fork site, each compiled with and
without the plugin at -fsyntax-only and -O2 -c, under `valgrind --tool=callgrind`:

  python3 bench/instructions.py --results $FH_CORPUS/results/replay.json --sample 60 \
      --fork-sample 40 --seed 1 -j2

Prints a markdown table (total and median ratio, all sampled TUs and the TUs with a fork site)
and writes the counts to $FH_CORPUS/results/instructions.json. Needs valgrind (apt).
"""
import argparse
import concurrent.futures
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import replay  # noqa: E402  (the TU class: the replay's exact compile commands)

COLLECTED = re.compile(r"Collected : (\d+)")


def instructions(tu, mode, plugin, clang):
    argv = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"] + \
        tu.argv(clang, mode, plugin)
    result = subprocess.run(argv, cwd=tu.directory, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    m = COLLECTED.search(result.stderr)
    return int(m.group(1)) if m else None


def main():
    ap = argparse.ArgumentParser()
    corpus = os.environ.get("FH_CORPUS", "/var/cache/fork-hazard-corpus")
    ap.add_argument("--results", default=os.path.join(corpus, "results", "replay.json"))
    ap.add_argument("--plugin", default=os.path.join(replay.ROOT, "build-bench", "lib", "ForkHazard.so"))
    ap.add_argument("--clang", default="clang-22")
    ap.add_argument("--sample", type=int, default=100, help="random TUs without a fork site")
    ap.add_argument("--fork-sample", type=int, default=0, help="random TUs with a fork site (0: all)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--modes", default="syntax,O2")
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument("--out", default=os.path.join(corpus, "results", "instructions.json"))
    args = ap.parse_args()

    if not shutil.which("valgrind"):
        sys.exit("valgrind not found: apt-get install valgrind")
    data = json.load(open(args.results))
    dbs, tus = {}, []
    for r in data["tus"]:
        if r.get("broken"):
            continue
        db = dbs.setdefault(r["package"], json.load(open(os.path.join(corpus, "db", r["package"] + ".json"))))
        entry = next(e for e in db if e["file"] == r["file"])
        tus.append((bool(r.get("fork_sites")), replay.TU(dict(entry, package=r["package"], corpus=corpus), len(tus))))
    forking = [tu for has_fork, tu in tus if has_fork]
    others = [tu for has_fork, tu in tus if not has_fork]
    rng = random.Random(args.seed)
    sample = rng.sample(others, min(args.sample, len(others)))
    if args.fork_sample:
        forking = rng.sample(forking, min(args.fork_sample, len(forking)))
    chosen = [(False, tu) for tu in sample] + [(True, tu) for tu in forking]
    modes = args.modes.split(",")
    jobs = [(i, mode, plugin) for i in range(len(chosen)) for mode in modes for plugin in (None, args.plugin)]
    counts = {}
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        futures = {pool.submit(instructions, chosen[i][1], mode, plugin, args.clang): (i, mode, plugin)
                   for i, mode, plugin in jobs}
        for n, future in enumerate(concurrent.futures.as_completed(futures), 1):
            counts[futures[future]] = future.result()
            if n % 50 == 0:
                print("  %d/%d runs" % (n, len(jobs)), file=sys.stderr)

    rows, out = [], {"plugin": args.plugin, "seed": args.seed, "sample": len(sample), "fork_tus": len(forking), "tus": []}
    for i, (has_fork, tu) in enumerate(chosen):
        out["tus"].append({"file": tu.file, "fork": has_fork,
                           **{"%s-%s" % (mode, "plugin" if p else "plain"): counts[(i, mode, p)]
                              for mode in modes for p in (None, args.plugin)}})
    print("| mode | TUs | plain instructions | with plugin | total | median per TU |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for mode in modes:
        for label, keep in (("random TUs without a fork site", False), ("TUs with a fork site", True)):
            pairs = [(t["%s-plain" % mode], t["%s-plugin" % mode]) for t in out["tus"]
                     if t["fork"] == keep and t["%s-plain" % mode] and t["%s-plugin" % mode]]
            if not pairs:
                continue
            plain, plugin = sum(a for a, _ in pairs), sum(b for _, b in pairs)
            median = statistics.median(b / a for a, b in pairs)
            row = "| %s, %s | %d | %.3g | %.3g | %+.3f %% | %+.3f %% |" % (
                "`-fsyntax-only`" if mode == "syntax" else "`-O2 -c`", label, len(pairs), plain, plugin,
                (plugin / plain - 1) * 100, (median - 1) * 100)
            rows.append(row)
            print(row)
    out["table"] = rows
    with open(args.out, "w") as f:
        json.dump(out, f, indent=1)
    print("counts: %s" % args.out)


if __name__ == "__main__":
    main()
