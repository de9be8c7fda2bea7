#!/usr/bin/env python3
"""Fills the replay results, the findings of the replay, the precision table, the instruction
counts and the goals of docs/performance.md (between their <!-- name:begin --> / <!-- name:end -->
markers) from a replay ($FH_CORPUS/results/replay.json, written by bench/replay.py), the triaged
findings (bench/findings.tsv) and, if given, bench/instructions.py's counts. Standard library only.

A findings replay (`replay.py --rounds 0`, no timing) fills the findings, the precision table and
the crash and precision rows of the goals; the timing results and the overhead rows stay those of
the last timed replay.

  python3 bench/fill_doc.py [--results FILE] [--findings bench/findings.tsv] [--doc docs/performance.md]
                            [--instructions $FH_CORPUS/results/instructions.json]
"""
import argparse
import collections
import csv
import json
import os
import re

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def pct(r):
    return "n/a" if r is None else "%+.2f %%" % ((r - 1) * 100)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--results", default=os.path.join(os.environ.get("FH_CORPUS", "/var/cache/fork-hazard-corpus"),
                                                      "results", "replay.json"))
    ap.add_argument("--doc", default=os.path.join(ROOT, "docs", "performance.md"))
    ap.add_argument("--findings", default=os.path.join(ROOT, "bench", "findings.tsv"))
    ap.add_argument("--instructions", help="instructions.json of bench/instructions.py (optional)")
    args = ap.parse_args()
    s = json.load(open(args.results))["summary"]
    L = ["Replay of %s: %d TUs, %d compile without the plugin, %d with a fork site; -j%d, %d interleaved "
         "rounds, CPU time (user + sys of clang, from `wait4`), %.0f min in all.\n"
         % (s["date"], s["tus"], s["tus_live"], s["tus_with_fork"], s["jobs"], s["rounds"], s["elapsed_s"] / 60),
         "**Plugin crashes: %d. Hangs (over 300 s): %d.** Compiles that fail only with the plugin: %d."
         % (s["crashes_plugin"], s["hangs_plugin"], s["plugin_errors"]), ""]
    L += ["| mode | TUs | plain CPU s | with plugin CPU s | overhead, total | overhead, median per TU | plugin's own clock / plain |",
          "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for label, key in (("all TUs", "overhead"), ("TUs with a fork site", "overhead_fork")):
        for mode, o in s[key].items():
            own = s["plugin_reported"][mode]["share"] if key == "overhead" else None
            L.append("| %s, %s | %d | %.1f | %.1f | %s | %s | %s |" % (
                "`-fsyntax-only`" if mode == "syntax" else "`-O2 -c`", label, o["tus"], o["plain_s"], o["plugin_s"],
                pct(o["total_ratio"]), pct(o["median_ratio"]), "%.2f %%" % (own * 100) if own is not None else ""))
    L += ["", "The CPU-time difference is the sum of two noisy measurements (shared 2-core machine); the last "
          "column is the plugin's own timer (`-fplugin-arg-fork-hazard-stats`, wall clock inside the plugin) "
          "summed over the TUs and divided by the plain compile's CPU time: the cost without the noise.", ""]
    c = s.get("compare")
    if c:
        L += ["Side by side, on the %d TUs with a fork site (one run each, CPU s):" % c["tus"], "",
              "| tool | CPU s | findings |", "| --- | ---: | ---: |",
              "| `clang -fsyntax-only` | %.1f | |" % c["plain_syntax_s"],
              "| `clang -fsyntax-only` + fork-hazard | %.1f (plugin's own clock %.2f) | %d |"
              % (c["plugin_syntax_s"], c["plugin_only_s"], c["plugin_findings"]),
              "| `clang --analyze` (default checkers) | %.1f | %d |" % (c["analyze_s"], c["analyze_findings"]),
              "| `clang-tidy-22 -checks='-*,bugprone-*'` | %.1f | %d |" % (c["tidy_s"], c["tidy_findings"]), "",
              "Their most frequent warnings: analyzer %s; clang-tidy %s. Neither reports a fork hazard "
              "except the analyzer's `unix.Vfork` / `security.insecureAPI.vfork`." % (
                  ", ".join("`%s` %d" % tuple(x) for x in c["analyze_top"]),
                  ", ".join("`%s` %d" % tuple(x) for x in c["tidy_top"])), ""]
    results = "\n".join(L)
    timed = bool(s["overhead"])  # False: a findings replay (--rounds 0), which leaves the timing alone
    F = ["%s of %s, plugin at %s: %d TUs, %d compile without the plugin, %d with a fork site; "
         "plugin crashes: %d, hangs: %d, compiles that fail only with the plugin: %d."
         % ("Replay" if timed else "Findings replay (`--rounds 0 --compare none`: the probe only, no timing)",
            s["date"], "`%s`" % s["plugin_commit"] if s.get("plugin_commit") else "(commit not recorded)",
            s["tus"], s["tus_live"], s["tus_with_fork"], s["crashes_plugin"], s["hangs_plugin"], s["plugin_errors"]),
         "",
         "Findings by check (deduplicated): " + ", ".join("%s %d" % kv for kv in s["findings_by_check"].items())
         + "; by package: " + ", ".join("%s %d" % kv for kv in s["findings_by_package"].items()) + "."]
    precision, per_check = precision_table(args.findings)
    o2 = s["overhead"].get("O2", {}).get("total_ratio")
    sy = s["overhead"].get("syntax", {}).get("total_ratio")
    missed = ["%s %.0f %%" % (check, 100.0 * tp / (tp + fp)) for check, (tp, fp) in per_check.items()
              if tp + fp and tp < 0.9 * (tp + fp)]
    met = ["%s %.0f %%" % (check, 100.0 * tp / (tp + fp)) for check, (tp, fp) in per_check.items()
           if tp + fp and tp >= 0.9 * (tp + fp)]
    ins = json.load(open(args.instructions)) if args.instructions else None
    doc = open(args.doc).read()
    s["doc_fork_share"] = fork_share_in_doc(doc)
    o2_ins, sy_ins = (instruction_estimate(ins, s, m) if ins else None for m in ("O2", "syntax"))
    crash_row = "| 0 crashes, 0 hangs on ≥ 2,000 TUs | %d crashes, %d hangs on %d TUs | %s |" % (
        s["crashes_plugin"], s["hangs_plugin"], s["tus_live"],
        "met" if not (s["crashes_plugin"] or s["hangs_plugin"]) and s["tus_live"] >= 2000 else "missed")
    precision_row = "| precision ≥ 90 %% per check | met: %s | %s |" % (
        ", ".join(met) or "none", "missed: " + ", ".join(missed) if missed else "met")
    if timed:
        G = ["| goal | measured | |", "| --- | --- | --- |", crash_row,
             "| overhead ≤ 1 %% at `-O2 -c` (total) | %s | %s |" % (measured(o2, o2_ins), verdict(o2, 1.01, o2_ins)),
             "| overhead ≤ 5 %% at `-fsyntax-only` (total) | %s | %s |" % (measured(sy, sy_ins),
                                                                          verdict(sy, 1.05, sy_ins)),
             precision_row]
    else:
        # The overhead rows stay those of the last timed replay; crashes and precision are this replay's.
        m = re.search(r"<!-- goals:begin -->\n(.*?)<!-- goals:end -->", doc, flags=re.S)
        G = [crash_row if row.startswith("| 0 crashes") else precision_row if row.startswith("| precision")
             else overhead_row(row, o2_ins, sy_ins) for row in (m.group(1).rstrip("\n").split("\n") if m else [])]
    sections = ([("replay-results", results)] if timed else []) + [
        ("findings-replay", "\n".join(F)), ("precision", precision), ("goals", "\n".join(G))]
    if ins:
        sections.append(("instructions", "\n".join([
            "| mode | TUs | plain instructions | with plugin | total | median per TU |",
            "| --- | ---: | ---: | ---: | ---: | ---: |"] + ins["table"])))
    for name, text in sections:
        doc = re.sub(r"(<!-- %s:begin -->\n).*?(<!-- %s:end -->)" % (name, name),
                     lambda m: m.group(1) + text + "\n" + m.group(2), doc, flags=re.S)
    open(args.doc, "w").write(doc)
    print("filled", args.doc)


def instruction_estimate(ins, s, mode):
    """The corpus-wide instruction overhead: the sampled ratios of TUs without and with a fork
    site, weighted by the share of plain CPU time the TUs with a fork site take in the replay."""
    ratios = {}
    for fork in (False, True):
        pairs = [(t["%s-plain" % mode], t["%s-plugin" % mode]) for t in ins["tus"]
                 if t["fork"] == fork and t.get("%s-plain" % mode) and t.get("%s-plugin" % mode)]
        if not pairs:
            return None
        ratios[fork] = sum(b for _, b in pairs) / sum(a for a, _ in pairs)
    if mode in s["overhead"]:
        share = s["overhead_fork"][mode]["plain_s"] / s["overhead"][mode]["plain_s"]
    else:
        share = s.get("doc_fork_share", {}).get(mode)
        if share is None:
            return None
    return 1 + (1 - share) * (ratios[False] - 1) + share * (ratios[True] - 1)


def fork_share_in_doc(doc):
    """A findings replay has no timing: the share of plain CPU time the TUs with a fork site take,
    per mode, from the last timed replay's table in the page."""
    share = {}
    for mode, label in (("syntax", "`-fsyntax-only`"), ("O2", "`-O2 -c`")):
        plain = {}
        for which in ("all TUs", "TUs with a fork site"):
            m = re.search(r"^\| %s, %s \| \d+ \| ([\d.]+) \|" % (re.escape(label), which), doc, flags=re.M)
            if m:
                plain[which] = float(m.group(1))
        if len(plain) == 2 and plain["all TUs"]:
            share[mode] = plain["TUs with a fork site"] / plain["all TUs"]
    return share


def overhead_row(row, o2_ins, sy_ins):
    """A goals row of the last timed replay with this run's instruction estimate."""
    for limit, ins, label in ((1.01, o2_ins, "`-O2 -c`"), (1.05, sy_ins, "`-fsyntax-only`")):
        if ins is None or not row.startswith("| overhead ≤ %d %% at %s" % (round((limit - 1) * 100), label)):
            continue
        m = re.search(r"CPU time ([+-][\d.]+ %)", row)
        cpu = float(m.group(1).rstrip(" %")) / 100 + 1 if m else None
        cells = row.split(" | ")
        cells[1] = measured(cpu, ins) if cpu is not None else "instructions %s (sampled, weighted)" % pct(ins)
        cells[2] = verdict(cpu, limit, ins) + " |" if cpu is not None else ("met |" if ins <= limit else "missed |")
        return " | ".join(cells[:3])
    return row


def measured(cpu, instructions):
    if instructions is None:
        return pct(cpu)
    return "CPU time %s; instructions %s (sampled, weighted)" % (pct(cpu), pct(instructions))


def verdict(ratio, limit, instructions=None):
    if ratio is None:
        return "n/a"
    if ratio <= limit:
        return "met"
    missed = "missed by %.2f points" % ((ratio - limit) * 100)
    if instructions is not None and instructions <= limit:
        return missed + " in CPU time, met in instructions"
    return missed


def precision_counts(path, mode):
    """TP/FP per check of the triaged findings (bench/findings.tsv) one way of judging reports:
    mode "alone" (each TU judged alone, the plugin without facts: rows facts=both or alone) or
    "program" (with the program's facts, fork-hazard-check's default: facts=both or program)."""
    counts = collections.OrderedDict()
    with open(path) as f:
        rows = csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t")
        for row in rows:
            if (row.get("facts") or "both") not in ("both", mode):
                continue
            tp_fp = counts.setdefault(row["check"], [0, 0])
            tp_fp[0 if row["verdict"] == "TP" else 1] += 1
    return collections.OrderedDict((c, counts[c]) for c in sorted(counts, key=lambda c: -sum(counts[c])))


def table(counts):
    L = ["| check | findings | TP | FP | precision |", "| --- | ---: | ---: | ---: | ---: |"]
    total = [0, 0]
    for check, (tp, fp) in counts.items():
        total[0] += tp
        total[1] += fp
        L.append("| %s | %d | %d | %d | %.0f %% |" % (check, tp + fp, tp, fp, 100.0 * tp / (tp + fp)))
    L.append("| **all** | **%d** | **%d** | **%d** | **%.0f %%** |" % (
        sum(total), total[0], total[1], 100.0 * total[0] / max(1, sum(total))))
    return L


def precision_table(path):
    """Both precision tables; the per-check counts of the plugin's (judged alone) for the goals."""
    alone, program = precision_counts(path, "alone"), precision_counts(path, "program")
    L = ["Each TU judged alone (the plugin without `facts`, `fork-hazard-check --no-facts`):", ""]
    L += table(alone)
    L += ["", "With the program's facts (`fork-hazard-check`'s default, the plugin with `facts`):", ""]
    L += table(program)
    return "\n".join(L), alone


if __name__ == "__main__":
    main()
