#!/usr/bin/env python3
"""fork-hazard-clangd in an editor's shoes (issue 16), with the scripted client of the tests:

  edit latency   a 2,000-line C file that includes the usual libc headers is opened (the first
                 open, which builds the preamble, is reported apart) and edited N times below its
                 includes; each time, from the didChange to the publish that holds our
                 diagnostics for that version (in front of clangd, and --standalone)
  relay overhead hover and completion round trips through the proxy against plain clangd on
                 the same file, after both are warm: what the proxy adds to requests it only
                 relays

Target: edit latency <= 150 ms, relay overhead <= 5 ms. Prints a Markdown table for
docs/performance.md. Standard library only.

  python3 bench/clangd.py [--edits 30] [--requests 200] [--clangd /usr/lib/llvm-22/bin/clangd]
"""
import argparse
import json
import os
import statistics
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "test", "clangd", "Inputs"))
import lsp  # noqa: E402

HEADERS = ["errno.h", "fcntl.h", "signal.h", "stdio.h", "stdlib.h", "string.h", "sys/stat.h",
           "sys/types.h", "sys/wait.h", "time.h", "unistd.h", "pthread.h"]


def program(lines):
    """A C file of about `lines` lines: the headers, many ordinary functions, and a few that
    fork (one with an unchecked exec, so there is a finding to wait for)."""
    out = ["#include <%s>" % h for h in HEADERS] + [""]
    n = 0
    while len(out) < lines - 30:
        out += ["static int helper_%d(const char *s, int k) {" % n,
                "  int total = 0;",
                "  for (int i = 0; s[i] != '\\0'; ++i)",
                "    total += (s[i] * k) %% %d;" % (n + 7),
                "  if (total > %d)" % (n * 3 + 1),
                "    fprintf(stderr, \"helper %d: %%d\\n\", total);" % n,
                "  return total;",
                "}", ""]
        n += 1
    out += ["int run(const char *command) {",
            "  pid_t pid = fork();",
            "  if (pid < 0)",
            "    return -1;",
            "  if (pid == 0) {",
            "    execlp(command, command, (char *)NULL);",
            "  }",
            "  int status;",
            "  waitpid(pid, &status, 0);",
            "  return status;",
            "}", "",
            "int main(int argc, char **argv) {",
            "  int value = 0;  // EDITED",
            "  for (int i = 1; i < argc; ++i)",
            "    value += helper_%d(argv[i], i);" % (n - 1),
            "  return run(argv[0]) + value;",
            "}"]
    return "\n".join(out) + "\n"


def project(directory, text):
    path = os.path.join(directory, "big.c")
    with open(path, "w") as f:
        f.write(text)
    with open(os.path.join(directory, "compile_commands.json"), "w") as f:
        json.dump([{"directory": directory, "file": "big.c",
                    "arguments": ["clang", "-c", "big.c"]}], f)
    return path


def edit_latencies(args, directory, path, text, standalone):
    argv = [args.server] + (["--standalone"] if standalone else ["--clangd=" + args.clangd])
    s = lsp.Session(argv, cwd=directory, stderr=open(os.devnull, "w"))
    try:
        s.initialize(directory)
        uri = lsp.uri(path)
        start = time.monotonic()
        s.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "c",
                                                           "version": 1, "text": text}})
        _, m = s.wait_publish(uri, lambda p: p.get("version") == 1 and lsp.ours(p), timeout=120)
        first = m["_received"] - start
        line = text.split("\n").index("  int value = 0;  // EDITED")
        times = []
        for version in range(2, args.edits + 2):
            time.sleep(0.3)  # an editor's pause between edits; clangd settles too
            start = time.monotonic()
            s.notify("textDocument/didChange", {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": {"start": {"line": line, "character": 14},
                                              "end": {"line": line, "character": 15}},
                                    "text": str(version % 10)}]})
            _, m = s.wait_publish(uri, lambda p, v=version: p.get("version") == v and lsp.ours(p),
                                  timeout=60)
            times.append(m["_received"] - start)
        s.shutdown()
        return first, times
    finally:
        s.kill()


def round_trips(args, directory, path, text, argv):
    s = lsp.Session(argv, cwd=directory, stderr=open(os.devnull, "w"))
    try:
        s.initialize(directory)
        uri = lsp.uri(path)
        s.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "c",
                                                           "version": 1, "text": text}})
        s.wait_publish(uri, lambda p: p.get("version") == 1, timeout=120)
        time.sleep(2)  # indexing and our first analysis are done
        lines = text.split("\n")
        call = next(i for i, l in enumerate(lines) if "value += helper_" in l)
        hover = {"textDocument": {"uri": uri}, "position": {"line": call, "character": 14}}
        complete = {"textDocument": {"uri": uri}, "position": {"line": call, "character": 16}}
        result = {}
        for method, params, count in (("textDocument/hover", hover, args.requests),
                                      ("textDocument/completion", complete, args.requests // 4)):
            times = []
            for _ in range(count):
                start = time.monotonic()
                rid = s.request(method, params)
                m = s.response(rid)
                times.append(m["_received"] - start)
            result[method] = times
        s.shutdown()
        return result
    finally:
        s.kill()


def ms(seconds):
    return "%.1f" % (seconds * 1000)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", default=os.path.join(ROOT, "build", "bin", "fork-hazard-clangd"))
    ap.add_argument("--clangd", default="/usr/lib/llvm-22/bin/clangd")
    ap.add_argument("--lines", type=int, default=2000)
    ap.add_argument("--edits", type=int, default=30)
    ap.add_argument("--requests", type=int, default=200)
    args = ap.parse_args()
    args.server = os.path.abspath(args.server)
    directory = tempfile.mkdtemp(prefix="fork-hazard-clangd-bench-")
    text = program(args.lines)
    path = project(directory, text)
    print("file: %d lines, %d headers; clangd: %s" % (text.count("\n"), len(HEADERS), args.clangd))
    print()
    print("| edit latency (didChange to our publish) | first open | median | p90 | max |")
    print("|---|---|---|---|---|")
    for standalone in (False, True):
        first, times = edit_latencies(args, directory, path, text, standalone)
        times.sort()
        print("| %s, %d edits | %s ms | %s ms | %s ms | %s ms |" % (
            "--standalone" if standalone else "in front of clangd", len(times), ms(first),
            ms(statistics.median(times)), ms(times[int(len(times) * 0.9) - 1]), ms(times[-1])))
    print()
    plain = round_trips(args, directory, path, text, [args.clangd])
    proxied = round_trips(args, directory, path, text, [args.server, "--clangd=" + args.clangd])
    print("| relayed request | requests | plain clangd, median | through the proxy, median | added |")
    print("|---|---|---|---|---|")
    for method in plain:
        a, b = statistics.median(plain[method]), statistics.median(proxied[method])
        print("| %s | %d | %s ms | %s ms | %s ms |" % (method, len(plain[method]), ms(a), ms(b),
                                                        ms(b - a)))


if __name__ == "__main__":
    main()
