#!/usr/bin/env python3
"""fork-hazard-check against the tools a CI would otherwise run, over the corpus' databases.

For each package of $FH_CORPUS/db/*.json (bench/corpus.sh writes them) this times, at the same
-j and over the same TUs, as wall-clock time of the whole package and the peak resident memory
of the largest process:

  check    fork-hazard-check -p <db> -j J --quiet --format=json (its memory also at -j1)
  quick    the same with --skip-files-without-fork (optional, --quick): its findings must be
           check's, byte for byte
  syntax   clang -fsyntax-only, one process per TU, J at a time (the parse: the floor)
  tidy     run-clang-tidy -p <db> -j J -checks='-*,bugprone-*' (optional, --tidy)
  analyze  clang --analyze, one process per TU, J at a time (optional, --analyze)

and compares the CLI's findings with the plugin's on the same TUs (the replay's findings.tsv,
--plugin-findings): every finding of one is a finding of the other, or the difference is
printed. Writes a Markdown table (docs/performance.md's "fork-hazard-check" section) to stdout.

  python3 bench/cli.py -j2 --quick --tidy --analyze
  python3 bench/cli.py -j2 --packages dash,cron
Standard library only.
"""
import argparse
import concurrent.futures
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.environ.get("FH_CORPUS", "/var/cache/fork-hazard-corpus")


def run_timed(cmd, cwd=None):
    """(exit status, peak RSS in KiB of the process and its waited-for children)."""
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    return os.waitstatus_to_exitcode(status), usage.ru_maxrss


def per_tu(entries, jobs, make_cmd):
    """Runs make_cmd(entry) for every TU, jobs at a time: (wall seconds, max RSS, failures)."""
    start = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        results = list(pool.map(lambda e: run_timed(make_cmd(e), e["directory"]), entries))
    wall = time.monotonic() - start
    return wall, max((r[1] for r in results), default=0), sum(r[0] != 0 for r in results)


def plain_database(package, workdir):
    """The package's database without the corpus' extra "package" key (clang's reader rejects
    unknown keys), as workdir/<package>/compile_commands.json."""
    with open(os.path.join(CORPUS, "db", package + ".json")) as f:
        entries = json.load(f)
    for e in entries:
        e.pop("package", None)
    directory = os.path.join(workdir, package)
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, "compile_commands.json"), "w") as f:
        json.dump(entries, f)
    return directory, entries


def same_file(a, b):
    with open(a, "rb") as first, open(b, "rb") as second:
        return first.read() == second.read()


def plugin_findings(path):
    found = {}
    if not os.path.exists(path):
        return found
    with open(path) as f:
        next(f)
        for line in f:
            package, location, check = line.split("\t")[:3]
            found.setdefault(package, set()).add((location, check))
    return found


def cli_findings(package, json_path):
    prefix = os.path.join(CORPUS, "src", package) + "/"
    with open(json_path) as f:
        findings = json.load(f)
    return {("%s:%d:%d" % (f["file"][len(prefix):] if f["file"].startswith(prefix) else f["file"],
                           f["line"], f["column"]), f["check"][len("fork-hazard-"):])
            for f in findings}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-j", type=int, default=2)
    ap.add_argument("--packages", help="comma-separated; default: every database")
    ap.add_argument("--check", default=os.path.join(ROOT, "build", "bin", "fork-hazard-check"))
    ap.add_argument("--clang", default="/usr/lib/llvm-22/bin/clang")
    ap.add_argument("--run-clang-tidy", default="run-clang-tidy-22")
    ap.add_argument("--clang-tidy", default="clang-tidy-22")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--tidy", action="store_true")
    ap.add_argument("--analyze", action="store_true")
    ap.add_argument("--plugin-findings",
                    default=os.path.join(CORPUS, "results-final", "findings.tsv"))
    args = ap.parse_args()
    packages = (args.packages.split(",") if args.packages else
                sorted(n[:-5] for n in os.listdir(os.path.join(CORPUS, "db")) if n.endswith(".json")))
    expected = plugin_findings(args.plugin_findings)
    workdir = tempfile.mkdtemp(prefix="fh-cli-bench.")
    rows, totals, differences = [], {}, []
    try:
        for package in packages:
            directory, entries = plain_database(package, workdir)
            row = {"package": package, "tus": len(entries)}
            out = os.path.join(directory, "findings.json")
            start = time.monotonic()
            status, rss = run_timed([args.check, "-p", directory, "-j", str(args.j), "--quiet",
                                     "--format=json", "-o", out])
            row["check"] = (time.monotonic() - start, rss, status)
            # Memory at -j1: one TU at a time, as the largest clang -fsyntax-only holds one.
            row["check-rss-j1"] = run_timed([args.check, "-p", directory, "-j", "1", "--quiet",
                                             "--format=json", "-o", out + ".j1"])[1]
            if args.quick:
                start = time.monotonic()
                status, rss = run_timed([args.check, "-p", directory, "-j", str(args.j),
                                         "--quiet", "--skip-files-without-fork",
                                         "--format=json", "-o", out + ".quick"])
                row["quick"] = (time.monotonic() - start, rss, status)
                if not same_file(out, out + ".quick"):
                    differences.append("%s: --skip-files-without-fork changes the findings"
                                       % package)
            row["syntax"] = per_tu(entries, args.j, lambda e: [args.clang, "-fsyntax-only"] +
                                   e["arguments"][1:])
            if args.analyze:
                row["analyze"] = per_tu(entries, args.j, lambda e: [args.clang, "--analyze",
                                        "-o", "/dev/null"] + e["arguments"][1:])
            if args.tidy:
                start = time.monotonic()
                status, rss = run_timed([args.run_clang_tidy, "-p", directory, "-j", str(args.j),
                                         "-clang-tidy-binary", shutil.which(args.clang_tidy),
                                         "-checks=-*,bugprone-*", "-quiet"])
                row["tidy"] = (time.monotonic() - start, rss, status)
            if os.path.exists(out):
                got = cli_findings(package, out)
                # no findings file: nothing to compare with; a package it lacks had none
                want = expected.get(package, set()) if expected else got
                for missing in sorted(want - got):
                    differences.append("%s: plugin only: %s %s" % (package, *missing))
                for extra in sorted(got - want):
                    differences.append("%s: CLI only: %s %s" % (package, *extra))
                row["findings"] = len(got)
            rows.append(row)
            print("%-11s %4d TUs  check %.2f s  syntax %.2f s" % (package, len(entries),
                  row["check"][0], row["syntax"][0]), file=sys.stderr)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    tools = ["check", "syntax"] + (["tidy"] if args.tidy else []) + (["analyze"] if args.analyze else [])
    # --quick: its time, and tidy's against it
    quick = ["quick"] if args.quick else []
    quick_ratios = ["tidy"] if args.quick and args.tidy else []
    ratios = lambda values: "".join(" | %s" % v for v in values)
    print("| package | TUs | findings | " + " | ".join("%s s" % t for t in tools + quick) +
          " | check / syntax" + ratios("%s / check" % t for t in tools[2:]) +
          ratios("%s / quick" % t for t in quick_ratios) +
          " | peak RSS (MB): check -j1 / check -jJ / largest syntax |")
    print("|" + " --- |" * (5 + len(tools + quick) + len(tools[2:]) + len(quick_ratios)))
    tools_and_quick = tools + quick
    sums = {t: 0.0 for t in tools_and_quick}
    for row in rows:
        for t in tools_and_quick:
            sums[t] += row[t][0]
        print("| %s | %d | %s | " % (row["package"], row["tus"], row.get("findings", "?")) +
              " | ".join("%.2f" % row[t][0] for t in tools_and_quick) +
              " | %.2f" % (row["check"][0] / row["syntax"][0]) +
              ratios("%.1f×" % (row[t][0] / row["check"][0]) for t in tools[2:]) +
              ratios("%.1f×" % (row[t][0] / row["quick"][0]) for t in quick_ratios) +
              " | %.0f / %.0f / %.0f |" % (row["check-rss-j1"] / 1024, row["check"][1] / 1024,
                                          row["syntax"][1] / 1024))
    print("| **all** | %d | %d | " % (sum(r["tus"] for r in rows),
                                      sum(r.get("findings", 0) for r in rows)) +
          " | ".join("%.2f" % sums[t] for t in tools_and_quick) +
          " | %.2f" % (sums["check"] / sums["syntax"]) +
          ratios("%.1f×" % (sums[t] / sums["check"]) for t in tools[2:]) +
          ratios("%.1f×" % (sums[t] / sums["quick"]) for t in quick_ratios) +
          " | %.0f / %.0f / %.0f |" % (max(r["check-rss-j1"] for r in rows) / 1024,
                                      max(r["check"][1] for r in rows) / 1024,
                                      max(r["syntax"][1] for r in rows) / 1024))
    print()
    if not expected:
        print("Findings: not compared with the plugin's (no %s; bench/replay.py writes it)"
              % args.plugin_findings)
    else:
        print("Findings: %s" % ("the CLI's are the plugin's (%s)" % args.plugin_findings
                                if not differences else "%d differences" % len(differences)))
    for d in differences:
        print("  " + d)
    failed = [r["package"] for r in rows if r["check"][2] not in (0, 1)]
    if failed:
        print("fork-hazard-check failed (exit 2) on: " + ", ".join(failed))


if __name__ == "__main__":
    main()
