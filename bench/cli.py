#!/usr/bin/env python3
"""fork-hazard-check against the tools a CI would otherwise run, over the corpus' databases.

For each package of $FH_CORPUS/db/*.json (bench/corpus.sh writes them) this times, at the same
-j and over the same TUs, as wall-clock time of the whole package and the peak resident memory
of the largest process:

  check    fork-hazard-check -p <db> -j J --quiet --format=json: the default, with the
           program's facts (its memory also at -j1)
  alone    the same with --no-facts: each TU judged alone, as the plugin judges it
  quick    alone with --skip-files-without-fork (optional, --quick): its findings must be
           alone's, byte for byte
  syntax   clang -fsyntax-only, one process per TU, J at a time (the parse: the floor)
  tidy     run-clang-tidy -p <db> -j J -checks='-*,bugprone-*' (optional, --tidy)
  analyze  clang --analyze, one process per TU, J at a time (optional, --analyze)

and compares the CLI's findings judged alone with the plugin's on the same TUs (the replay's
findings.tsv, --plugin-findings): every finding of one is a finding of the other, or the
difference is printed; --facts-diff writes what the program's facts add and remove. Writes a Markdown table (docs/performance.md's "fork-hazard-check" section) to stdout.

  python3 bench/cli.py -j2 --quick --tidy --analyze --facts-diff /tmp/facts-diff.tsv
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


def timed_check(args, directory, out, extra, jobs=None):
    start = time.monotonic()
    status, rss = run_timed([args.check, "-p", directory, "-j", str(jobs or args.j), "--quiet",
                             "--format=json", "-o", out] + extra)
    return (time.monotonic() - start, rss, status)


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
    ap.add_argument("--facts-diff", help="write the findings the program's facts add or "
                    "remove (against --no-facts) to this TSV")
    args = ap.parse_args()
    packages = (args.packages.split(",") if args.packages else
                sorted(n[:-5] for n in os.listdir(os.path.join(CORPUS, "db")) if n.endswith(".json")))
    expected = plugin_findings(args.plugin_findings)
    workdir = tempfile.mkdtemp(prefix="fh-cli-bench.")
    rows, differences, facts_diff = [], [], []
    try:
        for package in packages:
            directory, entries = plain_database(package, workdir)
            row = {"package": package, "tus": len(entries)}
            out = os.path.join(directory, "findings.json")
            # The default: the whole program's facts, collected in the same parse.
            row["check"] = timed_check(args, directory, out, [])
            # Memory at -j1: one TU at a time, as the largest clang -fsyntax-only holds one.
            row["check-rss-j1"] = timed_check(args, directory, out + ".j1", [], jobs=1)[1]
            row["alone"] = timed_check(args, directory, out + ".alone", ["--no-facts"])
            if args.quick:
                row["quick"] = timed_check(args, directory, out + ".quick",
                                           ["--no-facts", "--skip-files-without-fork"])
                if not same_file(out + ".alone", out + ".quick"):
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
            if os.path.exists(out + ".alone"):
                alone = cli_findings(package, out + ".alone")
                # judged alone, the CLI must find what the plugin finds
                want = expected.get(package, set()) if expected else alone
                for missing in sorted(want - alone):
                    differences.append("%s: plugin only: %s %s" % (package, *missing))
                for extra in sorted(alone - want):
                    differences.append("%s: CLI only: %s %s" % (package, *extra))
                row["findings-alone"] = len(alone)
            if os.path.exists(out):
                got = cli_findings(package, out)
                row["findings"] = len(got)
                if os.path.exists(out + ".alone"):
                    for gone in sorted(alone - got):
                        facts_diff.append((package, "removed", *gone))
                    for new in sorted(got - alone):
                        facts_diff.append((package, "added", *new))
            rows.append(row)
            print("%-11s %4d TUs  check %.2f s  alone %.2f s  syntax %.2f s" % (
                package, len(entries), row["check"][0], row["alone"][0], row["syntax"][0]),
                file=sys.stderr)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    tools = ["check", "alone"] + (["quick"] if args.quick else []) + ["syntax"]
    others = (["tidy"] if args.tidy else []) + (["analyze"] if args.analyze else [])
    ratio_names = ["check / syntax", "alone / syntax"] + ["%s / check" % t for t in others]
    if args.quick and args.tidy:
        ratio_names.append("tidy / quick")

    def ratios(values):
        out = ["%.2f" % (values["check"] / values["syntax"]),
               "%.2f" % (values["alone"] / values["syntax"])]
        out += ["%.1f×" % (values[t] / values["check"]) for t in others]
        if args.quick and args.tidy:
            out.append("%.1f×" % (values["tidy"] / values["quick"]))
        return out

    print("| package | TUs | findings (alone) | " +
          " | ".join("%s s" % t for t in tools + others) + " | " + " | ".join(ratio_names) +
          " | peak RSS (MB): check -j1 / check -jJ / largest syntax |")
    print("|" + " --- |" * (4 + len(tools + others) + len(ratio_names)))
    sums = {t: 0.0 for t in tools + others}
    for row in rows:
        values = {t: row[t][0] for t in tools + others}
        for t in values:
            sums[t] += values[t]
        print("| %s | %d | %s (%s) | " % (row["package"], row["tus"], row.get("findings", "?"),
                                         row.get("findings-alone", "?")) +
              " | ".join("%.2f" % values[t] for t in tools + others) + " | " +
              " | ".join(ratios(values)) +
              " | %.0f / %.0f / %.0f |" % (row["check-rss-j1"] / 1024, row["check"][1] / 1024,
                                          row["syntax"][1] / 1024))
    print("| **all** | %d | %d (%d) | " % (sum(r["tus"] for r in rows),
                                           sum(r.get("findings", 0) for r in rows),
                                           sum(r.get("findings-alone", 0) for r in rows)) +
          " | ".join("%.2f" % sums[t] for t in tools + others) + " | " +
          " | ".join(ratios(sums)) +
          " | %.0f / %.0f / %.0f |" % (max(r["check-rss-j1"] for r in rows) / 1024,
                                      max(r["check"][1] for r in rows) / 1024,
                                      max(r["syntax"][1] for r in rows) / 1024))
    print()
    if not expected:
        print("Findings: not compared with the plugin's (no %s; bench/replay.py writes it)"
              % args.plugin_findings)
    else:
        print("Findings judged alone: %s" % ("the plugin's (%s)" % args.plugin_findings
                                             if not differences
                                             else "%d differences" % len(differences)))
    for d in differences:
        print("  " + d)
    print("The program's facts add %d findings and remove %d" % (
        sum(1 for d in facts_diff if d[1] == "added"),
        sum(1 for d in facts_diff if d[1] == "removed")))
    if args.facts_diff:
        with open(args.facts_diff, "w") as f:
            f.write("package\tchange\tlocation\tcheck\n")
            for d in facts_diff:
                f.write("\t".join(d) + "\n")
    failed = [r["package"] for r in rows if r["check"][2] not in (0, 1)]
    if failed:
        print("fork-hazard-check failed (exit 2) on: " + ", ".join(failed))


if __name__ == "__main__":
    main()
