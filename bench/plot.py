#!/usr/bin/python3
"""Plots for docs/performance.md (issue 8), with Debian's python3-matplotlib:

  /usr/bin/python3 bench/plot.py [--results $FH_CORPUS/results/replay.json] [--out docs/performance.png]
                                 [--scaling]

Left: the plugin's own time per TU (its -fplugin-arg-fork-hazard-stats clock, -fsyntax-only probe)
against the TU's size after preprocessing, TUs with and without a fork site.
Right (--scaling): plugin time against function size for the generated functions of
test/robustness/Inputs/generate.py (one fork site + N statements; N/10 fork sites in N statements),
measured now with the plugin of build-bench/ (N/10 fork sites: huge-function, and fork-sites, the
test-harness shapes with a pid variable per site); the many-sites series of the walk before shared
tails (plugin at 27ce41a, docs/performance.md, 2026-12-02) are drawn from their recorded numbers.
Without the replay results, --scaling draws the right panel alone.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    sys.exit("matplotlib not found: apt-get install python3-matplotlib (bench/corpus.sh installs it), "
             "and run this with /usr/bin/python3")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MS_RE = re.compile(r"([\d.]+) ms in the plugin")
# huge-function and fork-sites 500, 1000, 2000, 3000 with the plugin of 27ce41a, the walk before
# shared tails (docs/performance.md, 2026-12-02, best of two, same hour as the new walk).
OLD_WALK = {"huge-function": ([962, 1912, 3812, 5712], [49, 197, 964, 2076]),
            "fork-sites": ([739, 1464, 2914, 4364], [60, 323, 2168, 6454])}


def scaling(plugin, clang, kind, sizes):
    gen = os.path.join(ROOT, "test", "robustness", "Inputs", "generate.py")
    xs, ys = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            src = os.path.join(tmp, "g.c")
            with open(src, "w") as f:
                f.write(subprocess.run([sys.executable, gen, kind, str(n)], check=True,
                                       stdout=subprocess.PIPE, text=True).stdout)
            lines = sum(1 for _ in open(src))
            out = subprocess.run([clang, "-fplugin=" + plugin, "-fplugin-arg-fork-hazard-stats",
                                  "-fsyntax-only", "-w", src], stderr=subprocess.PIPE, text=True).stderr
            m = MS_RE.search(out)
            if m:
                xs.append(lines)
                ys.append(float(m.group(1)))
                print("%s %d: %d lines, %.1f ms" % (kind, n, lines, ys[-1]), file=sys.stderr)
    return xs, ys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--results", default=os.path.join(os.environ.get("FH_CORPUS", "/var/cache/fork-hazard-corpus"),
                                                      "results", "replay.json"))
    ap.add_argument("--out", default=os.path.join(ROOT, "docs", "performance.png"))
    ap.add_argument("--scaling", action="store_true")
    ap.add_argument("--plugin", default=os.path.join(ROOT, "build-bench", "lib", "ForkHazard.so"))
    ap.add_argument("--clang", default="clang-22")
    args = ap.parse_args()
    corpus = os.path.exists(args.results) or not args.scaling
    panels = (2 if corpus else 1) if args.scaling else 1
    fig, axes = plt.subplots(1, panels, figsize=(6.5 * panels, 4.8))
    axes = list(axes) if panels == 2 else [axes]
    if corpus:
        corpus_panel(axes[0], json.load(open(args.results)))
    if args.scaling:
        ax2 = axes[-1]
        for kind, sizes, color, label in (
                ("long-function", [1000, 2000, 4000, 8000, 16000, 32000], "tab:blue", "1 fork site, N statements"),
                ("huge-function", [500, 1000, 2000, 3000, 6000, 12000], "tab:green", "N/10 fork sites, shared tails"),
                ("fork-sites", [500, 1000, 2000, 3000, 6000, 12000], "tab:purple",
                 "N/10 fork sites, a pid variable each, shared tails")):
            xs, ys = scaling(args.plugin, args.clang, kind, sizes)
            ax2.plot(xs, ys, "o-", color=color, label=label)
        for kind, color in (("huge-function", "tab:orange"), ("fork-sites", "tab:red")):
            ax2.plot(OLD_WALK[kind][0], OLD_WALK[kind][1], "o--", color=color,
                     label="%s, walk before shared tails (27ce41a)" % kind)
        ax2.set_xscale("log")
        ax2.set_yscale("log")
        ax2.set_xlabel("function size (source lines, generated)")
        ax2.set_ylabel("plugin time (ms)")
        ax2.set_title("Scaling with function size")
        ax2.grid(True, which="both", alpha=0.3)
        ax2.legend(loc="upper left")
    fig.tight_layout()
    fig.savefig(args.out, dpi=90)
    print("wrote", args.out)


def corpus_panel(ax, data):
    tus = [t for t in data["tus"] if not t.get("broken") and t.get("plugin_ms") is not None and t.get("pp_lines")]
    nofork = [t for t in tus if not t.get("fork_sites")]
    fork = [t for t in tus if t.get("fork_sites")]
    ax.scatter([t["pp_lines"] for t in nofork], [max(t["plugin_ms"], 1e-3) for t in nofork], s=6, alpha=0.4,
               label="no fork site (%d TUs)" % len(nofork), color="tab:gray")
    ax.scatter([t["pp_lines"] for t in fork], [max(t["plugin_ms"], 1e-3) for t in fork], s=14, alpha=0.8,
               label="with a fork site (%d TUs)" % len(fork), color="tab:red")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("TU size (lines after preprocessing)")
    ax.set_ylabel("plugin time per TU (ms, plugin's clock)")
    ax.set_title("Corpus: %d TUs of %d Debian packages" % (len(tus), len(data["summary"]["packages"])))
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(loc="upper left")


if __name__ == "__main__":
    main()
