#!/usr/bin/env python3
"""Replay the benchmark corpus (issue 8) through clang with and without fork-hazard.

Reads the compilation databases that bench/corpus.sh wrote to $FH_CORPUS/db/*.json and, for every
translation unit:

  * a probe: `clang -E` (TU size), the plain `-fsyntax-only` compile (a TU that fails without the
    plugin is left out as "broken"), and the plugin's `-fsyntax-only` with
    `-fplugin-arg-fork-hazard-stats` (functions analyzed, fork sites, plugin-reported time,
    findings);
  * N interleaved rounds of `-fsyntax-only` and `-O2 -c -o /dev/null`, each once without and once
    with the plugin, back to back in the same worker and in alternating order (plain first in even
    rounds, plugin first in odd ones), timed as the child's CPU time (user + sys from os.wait4's
    rusage, which includes cc1);
  * optionally (--compare) `clang --analyze` (default checkers) and
    `clang-tidy-22 -checks='-*,bugprone-*'` on the same TUs, timed the same way.

A run that ends by a signal or prints clang's crash banner is a crash, one that passes --timeout is
a hang; both are listed with the command to reproduce. Our diagnostics (`... [fork-hazard-<check>]`)
are collected and deduplicated across TUs (a header's finding counts once).

Writes $FH_CORPUS/results/replay.json (everything, per TU), findings.tsv (one line per finding,
for triage) and summary.md, and prints the summary. Standard library only.

  python3 bench/replay.py -j2 --rounds 3 --compare fork
  python3 bench/replay.py -j2 --rounds 0 --compare none   # findings only: the probe, no timing
"""
import argparse
import collections
import datetime
import json
import os
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CRASH_MARKERS = ("PLEASE submit a bug report", "Stack dump:", "failed due to signal",
                 "clang frontend command failed", "UNREACHABLE executed", "Assertion `")
DIAG_RE = re.compile(r"^(?P<file>[^\s:][^:]*):(?P<line>\d+):(?P<col>\d+): (?P<sev>warning|error): "
                     r"(?P<msg>.*) \[fork-hazard-(?P<check>[a-z0-9-]+)(?:,[^\]]*)?\]$")
STATS_RE = re.compile(r"^fork-hazard: .*: (?:(?P<fn>\d+) functions analyzed, (?P<sites>\d+) fork sites, "
                      r"(?P<findings>\d+) findings, (?P<supp>\d+) suppressed|no fork-family call, not analyzed), "
                      r"(?P<ms>[\d.]+) ms in the plugin$", re.M)
TIDY_RE = re.compile(r"^(?P<file>[^\s:][^:]*):(?P<line>\d+):(?P<col>\d+): warning: .* \[(?P<check>bugprone-[^\],]+)")
ANALYZE_RE = re.compile(r"^(?P<file>[^\s:][^:]*):(?P<line>\d+):(?P<col>\d+): warning: .* \[(?P<check>[a-zA-Z]+\.[^\],]+)")


def run_timed(argv, cwd, timeout):
    """Runs argv; returns dict(rc, sig, cpu, wall, out, hang). CPU = user + sys of the child and its
    waited-for children (os.wait4). Output (stdout+stderr) goes to a temporary file, not a pipe."""
    with tempfile.TemporaryFile() as out:
        start = time.monotonic()
        try:
            proc = subprocess.Popen(argv, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, start_new_session=True)
        except OSError as e:
            return {"rc": 127, "sig": 0, "cpu": 0.0, "wall": 0.0, "out": str(e), "hang": False}
        hung = threading.Event()

        def kill():
            hung.set()
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, ru = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)  # so Popen does not wait again
        wall = time.monotonic() - start
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    sig = os.WTERMSIG(status) if os.WIFSIGNALED(status) else 0
    return {"rc": proc.returncode, "sig": sig, "cpu": ru.ru_utime + ru.ru_stime, "wall": wall,
            "out": text, "hang": hung.is_set()}


def is_crash(res):
    return (res["sig"] and not res["hang"]) or any(m in res["out"] for m in CRASH_MARKERS)


class TU:
    def __init__(self, entry, index):
        self.index = index
        self.package = entry.get("package", "?")
        self.directory = entry["directory"]
        self.file = entry["file"]
        args = list(entry["arguments"])
        # Base arguments: no optimization/debug level, no output or action flags (added per mode).
        # -w would silence fork-hazard too: every warning is off by -Wno-everything instead (ours
        # stay on: they are not in clang's warning groups), for plain and plugin runs alike.
        base = []
        for a in args[1:]:
            if a == self.file or re.match(r"^-(O[0-9sgz]?|g[0-9]?|g0|ggdb[0-9]?|c|S|E|fsyntax-only|w)$", a):
                continue
            base.append(a)
        self.base = base + ["-Wno-everything"]
        self.rel = os.path.relpath(self.file, os.path.join(entry.get("corpus", ""), "src", self.package)) \
            if entry.get("corpus") else self.file

    def argv(self, clang, mode, plugin=None, stats=False):
        cmd = [clang] + self.base
        if mode == "syntax":
            cmd += ["-fsyntax-only"]
        elif mode == "O2":
            cmd += ["-O2", "-c", "-o", "/dev/null"]
        elif mode == "E":
            cmd += ["-E", "-o", "-"]
        elif mode == "analyze":
            cmd += ["--analyze", "-o", "/dev/null"]
        if plugin:
            cmd += ["-fplugin=" + plugin]
            if stats:
                cmd += ["-fplugin-arg-fork-hazard-stats"]
        cmd += ["-fno-color-diagnostics", self.file]
        return cmd


def shell_cmd(tu, argv):
    return "cd %s && %s" % (shlex.quote(tu.directory), shlex.join(argv))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=os.environ.get("FH_CORPUS", "/var/cache/fork-hazard-corpus"))
    ap.add_argument("--plugin", default=os.path.join(ROOT, "build-bench", "lib", "ForkHazard.so"))
    ap.add_argument("--clang", default="clang-22")
    ap.add_argument("--clang-tidy", default="clang-tidy-22")
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=3,
                    help="timed rounds per mode (default 3); 0: the probe only (findings, crashes, "
                         "hangs), no timing, with --compare none a findings replay")
    ap.add_argument("--plugin-commit",
                    help="the commit the plugin was built from, recorded in the results (default: "
                         "`git describe` of this checkout, when --plugin is inside it)")
    ap.add_argument("--modes", default="syntax,O2", help="comma list of syntax,O2 (default both)")
    ap.add_argument("--timeout", type=float, default=300, help="seconds before a run is a hang")
    ap.add_argument("--packages", help="comma list (default: every db/*.json)")
    ap.add_argument("--limit", type=int, help="only the first N TUs of each package (smoke runs)")
    ap.add_argument("--compare", choices=["none", "fork", "all"], default="fork",
                    help="run clang --analyze and clang-tidy on no TU, the TUs with a fork site, or all")
    ap.add_argument("--out", help="results directory (default $FH_CORPUS/results)")
    ap.add_argument("--merge", nargs="+", metavar="REPLAY_JSON",
                    help="run nothing: combine these replay.json files (e.g. a package replayed again "
                         "after a corpus fix) into one summary in --out; a package in a later file "
                         "replaces it in the earlier ones")
    args = ap.parse_args()
    if args.merge:
        return merge(args)

    if not os.path.exists(args.plugin):
        sys.exit("plugin %s not found (build it, or --plugin)" % args.plugin)
    # A missing tool would only show as empty columns (run_timed turns it into exit status 127).
    missing = [t for t in [args.clang] + ([args.clang_tidy] if args.compare != "none" else [])
               if not shutil.which(t)]
    if missing:
        sys.exit("not found: %s (bench/corpus.sh installs them; or --compare none)" % ", ".join(missing))
    dbdir = os.path.join(args.corpus, "db")
    names = sorted(f[:-5] for f in os.listdir(dbdir) if f.endswith(".json")) if os.path.isdir(dbdir) else []
    if args.packages:
        wanted = args.packages.split(",")
        names = [n for n in names if n in wanted]
    if not names:
        sys.exit("no compilation databases in %s (run bench/corpus.sh)" % dbdir)
    tus = []
    for n in names:
        entries = json.load(open(os.path.join(dbdir, n + ".json")))
        if args.limit:
            entries = entries[:args.limit]
        for e in entries:
            e["corpus"] = args.corpus
            tus.append(TU(e, len(tus)))
    modes = [m for m in args.modes.split(",") if m] if args.rounds > 0 else []
    if not args.plugin_commit:
        args.plugin_commit = checkout_commit(args.plugin)
    outdir = args.out or os.path.join(args.corpus, "results")
    os.makedirs(outdir, exist_ok=True)
    t_start = time.time()
    log = lambda *a: print(*a, file=sys.stderr, flush=True)
    log("replay: %d TUs from %s, -j%d, %s" % (
        len(tus), ", ".join(names), args.jobs,
        "%d rounds of %s" % (args.rounds, "/".join(modes)) if modes else "probe only (no timing rounds)"))

    rec = [{"package": t.package, "file": t.file, "rel": t.rel, "directory": t.directory,
            "times": {}, "problems": []} for t in tus]
    problems = []  # (kind, tool, tu index, command, excerpt)
    lock = threading.Lock()

    def problem(kind, tool, tu, argv, res):
        excerpt = "\n".join(res["out"].splitlines()[-15:])
        with lock:
            problems.append({"kind": kind, "tool": tool, "package": tu.package, "file": tu.file,
                             "command": shell_cmd(tu, argv), "excerpt": excerpt,
                             "rc": res["rc"], "signal": res["sig"]})
            rec[tu.index]["problems"].append(kind + ":" + tool)

    def check(tool, tu, argv, res):
        if res["hang"]:
            problem("hang", tool, tu, argv, res)
            return False
        if is_crash(res):
            problem("crash", tool, tu, argv, res)
            return False
        return True

    def pool_map(fn, items, what):
        done = [0]
        n = len(items)
        every = max(1, n // 20)

        def wrapped(x):
            try:
                return fn(x)
            finally:
                with lock:
                    done[0] += 1
                    if done[0] % every == 0 or done[0] == n:
                        log("  %s: %d/%d (%.0f s)" % (what, done[0], n, time.time() - t_start))
        with ThreadPoolExecutor(max_workers=args.jobs) as ex:
            return list(ex.map(wrapped, items))

    # ---- probe ------------------------------------------------------------------------------
    def probe(tu):
        r = rec[tu.index]
        e = run_timed(tu.argv(args.clang, "E"), tu.directory, args.timeout)
        r["pp_lines"] = e["out"].count("\n") if e["rc"] == 0 else None
        r["src_lines"] = sum(1 for _ in open(tu.file, "rb"))
        plain = run_timed(tu.argv(args.clang, "syntax"), tu.directory, args.timeout)
        r["broken"] = not check("plain-syntax", tu, tu.argv(args.clang, "syntax"), plain) or plain["rc"] != 0
        if r["broken"]:
            r["broken_reason"] = "\n".join(plain["out"].splitlines()[:3])
            return
        argv = tu.argv(args.clang, "syntax", args.plugin, stats=True)
        res = run_timed(argv, tu.directory, args.timeout)
        if not check("plugin-syntax", tu, argv, res):
            return
        if res["rc"] != 0:
            problem("plugin-error", "plugin-syntax", tu, argv, res)
        m = STATS_RE.search(res["out"])
        if m:
            r["functions"] = int(m.group("fn") or 0)
            r["fork_sites"] = int(m.group("sites") or 0)
            r["plugin_ms"] = float(m.group("ms"))
            r["suppressed"] = int(m.group("supp") or 0)
        else:
            problem("no-stats", "plugin-syntax", tu, argv, res)
        diags = []
        lines = res["out"].splitlines()
        for i, line in enumerate(lines):
            d = DIAG_RE.match(line)
            if d:
                f = d.group("file")
                f = os.path.normpath(os.path.join(tu.directory, f))
                notes = []
                for nl in lines[i + 1:]:
                    if DIAG_RE.match(nl) or nl.startswith("fork-hazard:") or re.search(r": (warning|error): ", nl):
                        break
                    nm = re.match(r"^[^\s:][^:]*:(\d+):\d+: note: (.*)$", nl)
                    if nm:
                        notes.append("%s: %s" % (nm.group(1), nm.group(2)))
                diags.append({"file": f, "line": int(d.group("line")), "col": int(d.group("col")),
                              "check": d.group("check"), "message": d.group("msg"), "notes": notes})
        r["diags"] = diags

    log("probe: -E, plain and plugin -fsyntax-only")
    pool_map(probe, tus, "probe")
    live = [t for t in tus if not rec[t.index]["broken"]]
    log("  %d TUs compile, %d broken without the plugin (left out)" % (len(live), len(tus) - len(live)))
    # The findings come from the probe alone: written now, so triage can start during the rounds.
    early = dedupe_findings(rec, args.corpus)
    write_findings(os.path.join(outdir, "findings.tsv"), early)
    log("  %d findings (deduplicated) -> %s" % (len(early), os.path.join(outdir, "findings.tsv")))

    # ---- timed rounds -----------------------------------------------------------------------
    def timed(job):
        tu, mode, rnd = job
        r = rec[tu.index]
        order = [False, True] if rnd % 2 == 0 else [True, False]
        for with_plugin in order:
            argv = tu.argv(args.clang, mode, args.plugin if with_plugin else None, stats=with_plugin)
            res = run_timed(argv, tu.directory, args.timeout)
            tool = ("plugin-" if with_plugin else "plain-") + mode
            if not check(tool, tu, argv, res):
                continue
            if res["rc"] != 0:
                if with_plugin:
                    problem("plugin-error", tool, tu, argv, res)
                continue
            key = tool
            with lock:
                r["times"].setdefault(key, []).append(res["cpu"])
                if with_plugin:
                    m = STATS_RE.search(res["out"])
                    if m:
                        r["times"].setdefault("pluginms-" + mode, []).append(float(m.group("ms")) / 1000)

    for rnd in range(args.rounds):
        for mode in modes:
            # Alternate the TU order too, so a TU is not always timed at the same point of the run.
            order = live if rnd % 2 == 0 else list(reversed(live))
            log("round %d/%d, %s" % (rnd + 1, args.rounds, mode))
            pool_map(timed, [(t, mode, rnd) for t in order], "round %d %s" % (rnd + 1, mode))

    # ---- other tools ------------------------------------------------------------------------
    if args.compare == "fork":
        cmp_tus = [t for t in live if rec[t.index].get("fork_sites")]
    elif args.compare == "all":
        cmp_tus = live
    else:
        cmp_tus = []

    def compare(tu):
        r = rec[tu.index]
        argv = tu.argv(args.clang, "analyze")
        res = run_timed(argv, tu.directory, args.timeout)
        if check("clang-analyze", tu, argv, res):
            r["times"]["analyze"] = [res["cpu"]]
            r["analyze_findings"] = [m.group("check") for m in map(ANALYZE_RE.match, res["out"].splitlines()) if m]
        base = [a for a in tu.base]
        argv = [args.clang_tidy, "-checks=-*,bugprone-*", "--quiet", tu.file, "--",
                "-fno-color-diagnostics"] + base + ["-fsyntax-only"]
        res = run_timed(argv, tu.directory, args.timeout)
        if check("clang-tidy", tu, argv, res):
            r["times"]["tidy"] = [res["cpu"]]
            r["tidy_findings"] = [m.group("check") for m in map(TIDY_RE.match, res["out"].splitlines()) if m]

    if cmp_tus:
        log("compare: clang --analyze and %s on %d TUs" % (args.clang_tidy, len(cmp_tus)))
        pool_map(compare, cmp_tus, "compare")

    # ---- results ----------------------------------------------------------------------------
    summary = summarize(rec, live, cmp_tus, modes, problems, args, names, time.time() - t_start)
    write_results(outdir, summary, problems, rec)
    bad = summary["crashes_plugin"] + summary["hangs_plugin"]
    sys.exit(1 if bad else 0)


class _Index:
    def __init__(self, index):
        self.index = index


def write_results(outdir, summary, problems, rec):
    with open(os.path.join(outdir, "replay.json"), "w") as f:
        json.dump({"summary": summary, "problems": problems, "tus": rec}, f, indent=1)
    write_findings(os.path.join(outdir, "findings.tsv"), summary["findings"])
    md = markdown(summary, problems)
    with open(os.path.join(outdir, "summary.md"), "w") as f:
        f.write(md)
    print(md)
    print("results: %s/{replay.json,findings.tsv,summary.md}" % outdir)


def merge(args):
    """--merge: the TUs and problems of several replay.json files, summarized again."""
    rec, problems, elapsed, first = [], [], 0.0, None
    for path in args.merge:
        data = json.load(open(path))
        pkgs = set(data["summary"]["packages"])
        rec = [r for r in rec if r["package"] not in pkgs] + data["tus"]
        problems = [p for p in problems if p["package"] not in pkgs] + data["problems"]
        elapsed += data["summary"]["elapsed_s"]
        first = first or data["summary"]
    modes = list(first["overhead"])
    names = sorted({r["package"] for r in rec})
    live = [_Index(i) for i, r in enumerate(rec) if not r["broken"]]
    cmp_tus = [_Index(i) for i, r in enumerate(rec) if "analyze" in r["times"] or "tidy" in r["times"]]
    args.clang, args.plugin, args.jobs, args.rounds = first["clang"], first["plugin"], first["jobs"], first["rounds"]
    args.plugin_commit = first.get("plugin_commit")
    summary = summarize(rec, live, cmp_tus, modes, problems, args, names, elapsed)
    summary["merged_from"] = args.merge
    outdir = args.out or os.path.join(args.corpus, "results")
    os.makedirs(outdir, exist_ok=True)
    write_results(outdir, summary, problems, rec)
    return 1 if summary["crashes_plugin"] + summary["hangs_plugin"] else 0


def checkout_commit(plugin):
    """The short commit of this checkout (+ "-dirty" with uncommitted changes) when the plugin lies
    inside it, else None."""
    if not os.path.realpath(plugin).startswith(os.path.realpath(ROOT) + os.sep):
        return None
    try:
        return subprocess.run(["git", "-C", ROOT, "describe", "--always", "--dirty", "--abbrev=7"],
                              capture_output=True, text=True, check=True).stdout.strip() or None
    except (OSError, subprocess.CalledProcessError):
        return None


def med(xs):
    return statistics.median(xs) if xs else None


def ratios(rec, tus, key_plain, key_plugin):
    per_tu, tot_plain, tot_plugin, n = [], 0.0, 0.0, 0
    for t in tus:
        r = rec[t.index]
        a, b = med(r["times"].get(key_plain, [])), med(r["times"].get(key_plugin, []))
        if a is None or b is None:
            continue
        n += 1
        tot_plain += a
        tot_plugin += b
        if a > 0:
            per_tu.append(b / a)
    return {"tus": n, "plain_s": tot_plain, "plugin_s": tot_plugin,
            "total_ratio": tot_plugin / tot_plain if tot_plain else None,
            "median_ratio": med(per_tu)}


def dedupe_findings(rec, corpus):
    """Our diagnostics of every TU, deduplicated by (file, line, col, check): a header counts once."""
    seen = {}
    for r in rec:
        for d in r.get("diags", []):
            key = (os.path.realpath(d["file"]), d["line"], d["col"], d["check"])
            if key not in seen:
                src = os.path.join(corpus, "src", r["package"])
                rel = os.path.relpath(key[0], src) if key[0].startswith(src) else key[0]
                seen[key] = dict(d, package=r["package"], rel=rel, tus=1)
            else:
                seen[key]["tus"] += 1
    return sorted(seen.values(), key=lambda d: (d["package"], d["rel"], d["line"], d["col"], d["check"]))


def write_findings(path, findings):
    with open(path, "w") as f:
        f.write("package\tlocation\tcheck\tmessage\tnotes\n")
        for fd in findings:
            f.write("%s\t%s:%d:%d\t%s\t%s\t%s\n" % (fd["package"], fd["rel"], fd["line"], fd["col"],
                                                   fd["check"], fd["message"], " | ".join(fd["notes"])))


def summarize(rec, live, cmp_tus, modes, problems, args, names, elapsed):
    fork_tus = [t for t in live if rec[t.index].get("fork_sites")]
    s = {"date": datetime.datetime.now().isoformat(timespec="seconds"), "elapsed_s": round(elapsed, 1),
         "clang": args.clang, "plugin": args.plugin, "plugin_commit": getattr(args, "plugin_commit", None),
         "jobs": args.jobs, "rounds": args.rounds,
         "packages": {}, "tus": len(rec), "tus_live": len(live), "tus_with_fork": len(fork_tus),
         "overhead": {}, "overhead_fork": {}, "plugin_reported": {}}
    for n in names:
        rows = [r for r in rec if r["package"] == n]
        s["packages"][n] = {"tus": len(rows), "live": sum(not r["broken"] for r in rows),
                            "with_fork": sum(bool(r.get("fork_sites")) for r in rows),
                            "fork_sites": sum(r.get("fork_sites") or 0 for r in rows)}
    for mode in modes:
        s["overhead"][mode] = ratios(rec, live, "plain-" + mode, "plugin-" + mode)
        s["overhead_fork"][mode] = ratios(rec, fork_tus, "plain-" + mode, "plugin-" + mode)
        # The plugin's own clock (stats): total plugin time over total plain CPU time.
        plug = sum(med(rec[t.index]["times"].get("pluginms-" + mode, [])) or 0 for t in live)
        plain = s["overhead"][mode]["plain_s"]
        s["plugin_reported"][mode] = {"plugin_s": plug, "share": plug / plain if plain else None}
    s["crashes_plugin"] = sum(p["kind"] == "crash" and p["tool"].startswith("plugin") for p in problems)
    s["hangs_plugin"] = sum(p["kind"] == "hang" and p["tool"].startswith("plugin") for p in problems)
    s["plugin_errors"] = sum(p["kind"] == "plugin-error" for p in problems)
    s["other_problems"] = collections.Counter("%s:%s" % (p["kind"], p["tool"]) for p in problems
                                              if not p["tool"].startswith("plugin"))
    findings = dedupe_findings(rec, args.corpus)
    s["findings"] = findings
    s["findings_by_check"] = dict(collections.Counter(f["check"] for f in findings).most_common())
    s["findings_by_package"] = dict(collections.Counter(f["package"] for f in findings).most_common())
    # Other tools, on the same TUs.
    if cmp_tus:
        def tot(key):
            return sum(med(rec[t.index]["times"].get(key, [])) or 0 for t in cmp_tus)
        s["compare"] = {
            "tus": len(cmp_tus),
            "plain_syntax_s": tot("plain-syntax"), "plugin_syntax_s": tot("plugin-syntax"),
            "plugin_only_s": sum(med(rec[t.index]["times"].get("pluginms-syntax", [])) or 0 for t in cmp_tus),
            "analyze_s": tot("analyze"), "tidy_s": tot("tidy"),
            "analyze_findings": sum(len(rec[t.index].get("analyze_findings", [])) for t in cmp_tus),
            "tidy_findings": sum(len(rec[t.index].get("tidy_findings", [])) for t in cmp_tus),
            "plugin_findings": sum(len(rec[t.index].get("diags", [])) for t in cmp_tus),
            "analyze_top": collections.Counter(c for t in cmp_tus for c in rec[t.index].get("analyze_findings", [])).most_common(8),
            "tidy_top": collections.Counter(c for t in cmp_tus for c in rec[t.index].get("tidy_findings", [])).most_common(8),
        }
    return s


def pct(r):
    return "n/a" if r is None else "%+.2f %%" % ((r - 1) * 100)


def markdown(s, problems):
    L = []
    L.append("# fork-hazard corpus replay, %s\n" % s["date"])
    L.append("%d TUs (%d compile without the plugin, %d with a fork site), -j%d, %s, %.0f s; plugin %s.\n"
             % (s["tus"], s["tus_live"], s["tus_with_fork"], s["jobs"],
                "%d rounds" % s["rounds"] if s["rounds"] else "no timing rounds (findings only)",
                s["elapsed_s"], s.get("plugin_commit") or s["plugin"]))
    L.append("| package | TUs | compile | with a fork site | fork sites |")
    L.append("| --- | ---: | ---: | ---: | ---: |")
    for n, p in s["packages"].items():
        L.append("| %s | %d | %d | %d | %d |" % (n, p["tus"], p["live"], p["with_fork"], p["fork_sites"]))
    L.append("")
    L.append("Plugin crashes: **%d**, hangs: **%d**, plugin-only compile errors: %d; other tools' problems: %s\n"
             % (s["crashes_plugin"], s["hangs_plugin"], s["plugin_errors"], dict(s["other_problems"]) or "none"))
    if s["overhead"]:
        L.append("## Overhead (CPU time, plugin / plain, median of the rounds per TU)\n")
        L.append("| mode | TUs | plain total s | plugin total s | total overhead | median per-TU overhead | plugin's own clock |")
        L.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for label, key in (("all TUs", "overhead"), ("TUs with a fork site", "overhead_fork")):
            for mode, o in s[key].items():
                own = s["plugin_reported"][mode]["share"] if key == "overhead" else None
                L.append("| %s, %s | %d | %.2f | %.2f | %s | %s | %s |" % (
                    "-fsyntax-only" if mode == "syntax" else "-O2 -c", label, o["tus"], o["plain_s"], o["plugin_s"],
                    pct(o["total_ratio"]), pct(o["median_ratio"]),
                    "%.3f %%" % (own * 100) if own is not None else ""))
        L.append("")
    L.append("## Findings (deduplicated across TUs): %d\n" % len(s["findings"]))
    L.append("| check | findings |")
    L.append("| --- | ---: |")
    for c, n in s["findings_by_check"].items():
        L.append("| %s | %d |" % (c, n))
    L.append("")
    if "compare" in s:
        c = s["compare"]
        L.append("## Side by side on the %d TUs with a fork site (CPU s, one run)\n" % c["tus"])
        L.append("| tool | CPU s | findings |")
        L.append("| --- | ---: | ---: |")
        L.append("| clang -fsyntax-only | %.2f | |" % c["plain_syntax_s"])
        L.append("| clang -fsyntax-only + fork-hazard | %.2f (plugin's own clock: %.3f) | %d |"
                 % (c["plugin_syntax_s"], c["plugin_only_s"], c["plugin_findings"]))
        L.append("| clang --analyze (default checkers) | %.2f | %d |" % (c["analyze_s"], c["analyze_findings"]))
        L.append("| clang-tidy -checks='-\\*,bugprone-\\*' | %.2f | %d |" % (c["tidy_s"], c["tidy_findings"]))
        L.append("")
        L.append("Most frequent: analyzer %s; clang-tidy %s\n" % (
            ", ".join("%s %d" % x for x in c["analyze_top"]), ", ".join("%s %d" % x for x in c["tidy_top"])))
    if problems:
        L.append("## Problems\n")
        for p in problems[:50]:
            L.append("- %s in %s (%s): `%s`" % (p["kind"], p["tool"], p["package"], p["command"][:400]))
        L.append("")
    return "\n".join(L) + "\n"


if __name__ == "__main__":
    sys.exit(main())
