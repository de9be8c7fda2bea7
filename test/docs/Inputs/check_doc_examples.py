#!/usr/bin/env python3
"""Runs the examples of docs/ and compares clang's output with what the page shows.

Each ```console block whose first line is `$ clang-22 ... file.c` (or clang++-22) is run on the
code of the ```c / ```cpp block before it, written to a scratch directory as file.c; a file under
examples/ is the repository's own. The output must be the block's remaining lines (trailing
spaces aside). --update rewrites the blocks with the actual output instead.

  check_doc_examples.py --clang CLANG --plugin PLUGIN [--update] DOC.md...
"""
import argparse
import difflib
import os
import re
import shlex
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
BLOCK = re.compile(r"```(\w*)\n(.*?)```", re.S)
SOURCE = re.compile(r"^[\w./-]+\.(?:c|cpp|cc)$")


def normalize(text):
    return "\n".join(line.rstrip() for line in text.strip("\n").split("\n")).strip("\n")


def run(command, code, clang, plugin, scratch):
    argv = shlex.split(command[2:])
    pipe = None
    if "|" in argv:  # `... 2>&1 | grep fix-it`
        at = argv.index("|")
        argv, pipe = argv[:at], argv[at + 1:]
    argv = [a for a in argv if a != "2>&1"]
    source = next(a for a in argv if SOURCE.match(a))
    cwd = scratch
    if source.startswith("examples/"):
        cwd = REPO
    else:
        with open(os.path.join(scratch, source), "w") as f:
            f.write(code)
    tool = argv[0]
    driver = [clang] if tool.startswith("clang-") else [clang, "--driver-mode=g++"]
    argv = driver + ["-fno-color-diagnostics"] + [
        "-fplugin=" + plugin if a == "-fplugin=build/lib/ForkHazard.so" else a for a in argv[1:]]
    result = subprocess.run(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, env=dict(os.environ, LC_ALL="C", COLUMNS="200"))
    out = result.stdout
    if pipe:
        out = "".join(line for line in out.splitlines(True) if pipe[-1] in line)
    return normalize(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--clang", required=True)
    ap.add_argument("--plugin", required=True)
    ap.add_argument("--update", action="store_true")
    ap.add_argument("docs", nargs="+")
    args = ap.parse_args()
    failures = checked = 0
    with tempfile.TemporaryDirectory() as scratch:
        for doc in args.docs:
            text = open(doc).read()
            pieces, last_code, pos = [], None, 0
            for m in BLOCK.finditer(text):
                lang, body = m.group(1), m.group(2)
                if lang in ("c", "cpp"):
                    last_code = body
                    continue
                lines = body.split("\n")
                if lang != "console" or not lines[0].startswith("$ clang") or last_code is None:
                    continue
                checked += 1
                got = run(lines[0], last_code, args.clang, args.plugin, scratch)
                expected = normalize("\n".join(lines[1:]))
                if got == expected:
                    continue
                if args.update:
                    pieces.append(text[pos:m.start(2)])
                    pieces.append(lines[0] + "\n" + (got + "\n" if got else ""))
                    pos = m.end(2)
                    continue
                failures += 1
                print("%s: `%s` prints something else than the page shows:" % (doc, lines[0]))
                for line in difflib.unified_diff(expected.split("\n"), got.split("\n"), "page",
                                                 "clang", lineterm="", n=1):
                    print(line)
                print()
            if args.update and pieces:
                pieces.append(text[pos:])
                with open(doc, "w") as f:
                    f.write("".join(pieces))
    print("%d examples checked, %d differ" % (checked, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
