#!/usr/bin/env python3
"""The plugin with the program's facts gives the CLI's answers (issue 15), over the corpus.

For every package of $FH_CORPUS/db (bench/corpus.sh): `fork-hazard-check collect` writes the facts
file, `fork-hazard-check --facts=<file>` checks the database with it, and every TU is compiled
with `clang -fsyntax-only -fplugin=ForkHazard.so -fplugin-arg-fork-hazard-facts=<file>`; the two
sets of findings (file:line:column, check) must be equal. Prints one line per package and every
difference; exit status 1 if there is one. Standard library only.

  python3 bench/plugin_facts.py -j2
  python3 bench/plugin_facts.py -j2 --packages screen,tmux
"""
import argparse
import concurrent.futures
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cli import CORPUS, ROOT, cli_findings, plain_database  # noqa: E402
from replay import DIAG_RE, TU  # noqa: E402


def plugin_findings(package, entries, plugin, clang, facts, jobs):
    prefix = os.path.join(CORPUS, "src", package) + "/"

    def run(entry):
        tu = TU(entry, 0)
        argv = tu.argv(clang, "syntax", plugin) + ["-fplugin-arg-fork-hazard-facts=" + facts]
        out = subprocess.run(argv, cwd=tu.directory, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True, errors="replace").stderr
        found = set()
        for line in out.splitlines():
            d = DIAG_RE.match(line)
            if d and d.group("check") != "facts":
                path = os.path.normpath(os.path.join(tu.directory, d.group("file")))
                path = path[len(prefix):] if path.startswith(prefix) else path
                found.add(("%s:%s:%s" % (path, d.group("line"), d.group("col")), d.group("check")))
        return found

    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        return set().union(*pool.map(run, entries))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-j", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--packages", help="comma-separated; default: every database")
    ap.add_argument("--check", default=os.path.join(ROOT, "build", "bin", "fork-hazard-check"))
    ap.add_argument("--plugin", default=os.path.join(ROOT, "build", "lib", "ForkHazard.so"))
    ap.add_argument("--clang", default="/usr/lib/llvm-22/bin/clang")
    args = ap.parse_args()
    packages = args.packages.split(",") if args.packages else sorted(
        f[:-len(".json")] for f in os.listdir(os.path.join(CORPUS, "db")) if f.endswith(".json"))
    differences = 0
    with tempfile.TemporaryDirectory(prefix="fh-plugin-facts.") as workdir:
        for package in packages:
            directory, entries = plain_database(package, workdir)
            facts = os.path.join(directory, "facts.json")
            out = os.path.join(directory, "findings.json")
            subprocess.run([args.check, "collect", "-p", directory, "-j", str(args.j), "-o", facts,
                            "--quiet"], check=False, stderr=subprocess.DEVNULL)
            subprocess.run([args.check, "-p", directory, "-j", str(args.j), "--quiet",
                            "--facts=" + facts, "--format=json", "-o", out],
                           check=False, stderr=subprocess.DEVNULL)
            cli = cli_findings(package, out)
            plugin = plugin_findings(package, entries, args.plugin, args.clang, facts, args.j)
            print("%-12s %4d TUs  CLI %3d findings  plugin %3d  %s" % (
                package, len(entries), len(cli), len(plugin),
                "same" if cli == plugin else "DIFFERENT"), flush=True)
            for location, check in sorted(cli - plugin):
                print("  only the CLI:    %s %s" % (location, check))
            for location, check in sorted(plugin - cli):
                print("  only the plugin: %s %s" % (location, check))
            differences += len(cli ^ plugin)
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
