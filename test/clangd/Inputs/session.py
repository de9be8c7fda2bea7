"""Scripted editor sessions against fork-hazard-clangd (in front of clangd, or --standalone).
Each scenario prints "ok: <scenario>" when everything it expects happened, and the script
exits 1 with what went wrong otherwise.

  session.py --server BUILD/bin/fork-hazard-clangd --clangd CLANGD [--standalone] \\
             [--check BUILD/bin/fork-hazard-check] --work DIR scenario...
"""
import argparse
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lsp  # noqa: E402
from lsp import ours, theirs  # noqa: E402

PROJECT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "project")


class Failure(Exception):
    pass


def expect(condition, what, detail=None):
    if not condition:
        raise Failure(what + ("" if detail is None else ": " + json.dumps(detail)[:2000]))


def checks(params):
    return sorted(d["code"] for d in ours(params))


class Context:
    def __init__(self, args):
        self.args = args
        self.work = args.work
        shutil.rmtree(self.work, ignore_errors=True)
        shutil.copytree(PROJECT, self.work)
        # compile_commands.json for the copy: -Wall, so that clangd has warnings of its own.
        commands = [{"directory": self.work, "file": name,
                     "arguments": ["clang", "-Wall", "-c", name]}
                    for name in sorted(os.listdir(self.work)) if name.endswith(".c")]
        with open(os.path.join(self.work, "compile_commands.json"), "w") as f:
            json.dump(commands, f)

    def path(self, name):
        return os.path.join(self.work, name)

    def text(self, name):
        with open(self.path(name)) as f:
            return f.read()

    def start(self, extra=(), env=None, clangd=None, encodings=None):
        argv = [self.args.server]
        if self.args.standalone:
            argv.append("--standalone")
        else:
            # clangd's background index of the project is not what these tests are about, and
            # clangd's exit waits for it (seconds on a loaded machine); passed on to clangd.
            argv += ["--clangd=" + (clangd or self.args.clangd), "--background-index=false"]
        argv += list(extra)
        session = lsp.Session(argv, cwd=self.work, env=env,
                              stderr=open(self.path("server-%d.log" % time.monotonic_ns()), "w"))
        session.init_result = session.initialize(self.work, encodings=encodings)
        return session

    def open(self, session, name, text=None, version=1):
        uri = lsp.uri(self.path(name))
        session.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "c", "version": version,
            "text": self.text(name) if text is None else text}})
        return uri

    def complete(self, params):
        """A publish with ours and (in front of clangd) clangd's own."""
        return bool(ours(params)) and (self.args.standalone or bool(theirs(params)))


def change(session, uri, version, text=None, edits=None):
    changes = [{"text": text}] if text is not None else edits
    session.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                             "contentChanges": changes})


def apply_edits(text, edits):
    """Applies LSP TextEdits (UTF-16 positions; the fixtures are ASCII) to text."""
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)

    def offset(position):
        return offsets[position["line"]] + position["character"]
    for edit in sorted(edits, key=lambda e: offset(e["range"]["start"]), reverse=True):
        text = text[:offset(edit["range"]["start"])] + edit["newText"] + text[offset(edit["range"]["end"]):]
    return text


# -- scenarios -----------------------------------------------------------------------------------

def scenario_hazard(ctx):
    """Open a file with a hazard: one publish for version 1 with clangd's diagnostics and ours;
    the code action is the fix-it; applied, the next publish is clean of ours."""
    s = ctx.start()
    try:
        uri = ctx.open(s, "spawn.c")
        _, message = s.wait_publish(uri, lambda p: p.get("version") == 1 and ctx.complete(p),
                                    what="clangd's diagnostics and ours for version 1")
        params = message["params"]
        expect(checks(params) == ["fork-hazard-unchecked-exec"], "our findings", params)
        ours_diag = ours(params)[0]
        expect(ours_diag["severity"] == 2, "a warning", ours_diag)
        expect(ours_diag["codeDescription"]["href"].endswith("docs/rules/unchecked-exec.md"),
               "the check's page", ours_diag)
        expect(ours_diag["message"].endswith("[fork-hazard-unchecked-exec]"), "the check's name", ours_diag)
        expect(ours_diag["range"]["start"] == {"line": 11, "character": 4}, "the exec call", ours_diag)
        related = ours_diag.get("relatedInformation", [])
        expect([r["message"] for r in related] == [
            "the child process continues here",
            "the child process returns from 'run' into its caller here",
            "the child process is created here"], "every note as relatedInformation", related)
        expect(related[2]["location"]["uri"] == uri and related[2]["location"]["range"]["start"]
               == {"line": 7, "character": 14}, "the fork's place", related)
        if not ctx.args.standalone:
            expect(any("unused" in d["message"].lower() for d in theirs(params)),
                   "clangd's own warning", params)

        # The quick fix, merged into clangd's reply.
        whole = {"start": {"line": 0, "character": 0},
                 "end": {"line": ctx.text("spawn.c").count("\n"), "character": 0}}
        actions = s.call("textDocument/codeAction", {
            "textDocument": {"uri": uri}, "range": whole,
            "context": {"diagnostics": params["diagnostics"]}})["result"]
        fixes = [a for a in actions if a.get("diagnostics") and
                 a["diagnostics"][0].get("source") == "fork-hazard"]
        expect(len(fixes) == 1, "our quick fix", actions)
        fix = fixes[0]
        expect(fix["kind"] == "quickfix" and fix["isPreferred"] is True, "a preferred quick fix", fix)
        expect(fix["title"] == "insert '_exit(127);'", "clangd's kind of title", fix)
        if not ctx.args.standalone:
            expect(len(actions) > 1, "clangd's own code actions kept", actions)

        fixed = apply_edits(ctx.text("spawn.c"), fix["edit"]["changes"][uri])
        expect("execlp(command, command, (char *)NULL);\n    _exit(127);" in fixed, "the fix-it's text", fixed)
        change(s, uri, 2, text=fixed)
        _, message = s.wait_publish(uri, lambda p: p.get("version") == 2 and
                                    (ctx.args.standalone or theirs(p)) and not ours(p),
                                    what="a publish for version 2 without ours")
        # Nothing of ours comes back for version 2.
        time.sleep(0.5)
        for p in s.publishes(uri):
            expect(not (p["params"].get("version") == 2 and ours(p["params"])),
                   "no finding of ours for the fixed text", p)
        # An edit by hand brings the hazard back, in an incremental change.
        line = fixed.split("\n").index("    _exit(127);")
        change(s, uri, 3, edits=[{"range": {"start": {"line": line, "character": 0},
                                            "end": {"line": line + 1, "character": 0}},
                                  "text": ""}])
        s.wait_publish(uri, lambda p: p.get("version") == 3 and ctx.complete(p),
                       what="ours again for version 3")
        expect(s.shutdown() == 0, "a clean exit")
    finally:
        s.kill()


def scenario_facts(ctx):
    """The whole program's facts (fork-hazard-check collect): main.c's children call exit helpers
    that other files define, and the editor judges them by what those helpers do."""
    programs = os.path.join(os.path.dirname(PROJECT), "..", "..", "program", "Inputs", "exit-helpers")
    directory = ctx.path("program")
    shutil.copytree(programs, directory)
    with open(os.path.join(directory, "compile_commands.json"), "w") as f:
        json.dump([{"directory": directory, "file": name, "arguments": ["cc", "-c", name]}
                   for name in sorted(os.listdir(directory)) if name.endswith(".c")], f)
    facts = os.path.join(directory, "facts.json")
    subprocess.run([ctx.args.check, "collect", "-p", directory, "-o", facts], check=True,
                   stdout=subprocess.DEVNULL)
    s = ctx.start(["--fork-hazard-facts=" + facts])
    try:
        uri = lsp.uri(os.path.join(directory, "main.c"))
        with open(os.path.join(directory, "main.c")) as f:
            s.notify("textDocument/didOpen", {"textDocument": {
                "uri": uri, "languageId": "c", "version": 1, "text": f.read()}})
        _, message = s.wait_publish(uri, lambda p: p.get("version") == 1 and bool(ours(p)))
        found = checks(message["params"])
        expect(found == ["fork-hazard-child-escape", "fork-hazard-exit-in-child",
                         "fork-hazard-exit-in-child"], "judged with the program's facts", found)
        loud = next(d for d in ours(message["params"]) if "'die_loudly'" in d["message"])
        expect(any("'die_loudly' is defined in helpers.c:8:6" in r["message"]
                   for r in loud.get("relatedInformation", [])), "the note naming the helper", loud)
        expect(s.shutdown() == 0, "a clean exit")
    finally:
        s.kill()


def scenario_encodings(ctx):
    """Columns in the negotiated position encoding (clangd's choice in front of it; ours alone):
    a line with non-ASCII text before the fork, and an edit placed by its UTF-16 or UTF-8 column."""
    line = '  const char *m = "\u00e9\U0001F600"; pid_t pid = fork(); (void)m;'
    text = "\n".join(["#include <unistd.h>", "void spawn(void) {", line, "  if (pid == 0)",
                      '    execl("/bin/true", "true", (char *)0);', "}", ""])
    for offered in (["utf-8", "utf-16"], None):
        s = ctx.start(encodings=offered)
        try:
            chosen = s.init_result["result"]["capabilities"].get("positionEncoding") or \
                s.init_result["result"].get("offsetEncoding") or "utf-16"
            width = {"utf-8": lambda t: len(t.encode()), "utf-32": len,
                     "utf-16": lambda t: len(t.encode("utf-16-le")) // 2}[chosen]
            uri = ctx.open(s, "encodings.c", text=text)
            _, message = s.wait_publish(uri, lambda p: p.get("version") == 1 and bool(ours(p)))
            escape = next(d for d in ours(message["params"]) if d["code"] == "fork-hazard-unchecked-exec")
            created = [r for r in escape["relatedInformation"] if "created" in r["message"]]
            expected = width(line[:line.index("fork")])
            expect(created and created[0]["location"]["range"]["start"] == {"line": 2, "character": expected},
                   "the fork's column in %s" % chosen, created)
            # An incremental edit at a column after the non-ASCII text: "(void)m;" removed.
            start = width(line[:line.index("(void)m;")])
            change(s, uri, 2, edits=[{"range": {"start": {"line": 2, "character": start},
                                                "end": {"line": 2, "character": start + 8}},
                                      "text": "_exit(0);"}])
            s.wait_publish(uri, lambda p: p.get("version") == 2 and not any(
                d["code"] == "fork-hazard-unchecked-exec" for d in ours(p)),
                what="the parent and child both end at '_exit(0)' placed by column")
            expect(s.shutdown() == 0, "a clean exit")
        finally:
            s.kill()


def scenario_werror(ctx):
    """Severity follows the options: --fork-hazard-werror makes ours errors."""
    s = ctx.start(["--fork-hazard-werror"])
    try:
        uri = ctx.open(s, "spawn.c")
        _, message = s.wait_publish(uri, lambda p: bool(ours(p)))
        expect(all(d["severity"] == 1 for d in ours(message["params"])), "errors", message)
        expect(s.shutdown() == 0, "a clean exit")
    finally:
        s.kill()


def scenario_broken(ctx):
    """A file that does not parse: clangd's error, nothing of ours; fixed, ours come."""
    s = ctx.start()
    try:
        uri = ctx.open(s, "broken.c")
        if not ctx.args.standalone:
            _, message = s.wait_publish(uri, lambda p: any(d.get("severity") == 1 for d in theirs(p)),
                                        what="clangd's error")
        time.sleep(1.0)  # our analysis has had its chance
        for p in s.publishes(uri):
            expect(not ours(p["params"]), "nothing of ours for a file that does not parse", p)
        text = ctx.text("broken.c").replace("return missing_name;", "")
        change(s, uri, 2, text=text)
        _, message = s.wait_publish(uri, lambda p: p.get("version") == 2 and bool(ours(p)))
        expect("fork-hazard-unchecked-exec" in checks(message["params"]), "the hazard", message)
        expect(s.shutdown() == 0, "a clean exit")
    finally:
        s.kill()


def scenario_flood(ctx):
    """500 didChange in bursts: every publish is for a version no older than the one before, each
    finding of ours in it is right for that very version's text (never a stale result: every
    version moves the findings one line down), and the last version gets its publish."""
    s = ctx.start()
    try:
        base = ctx.text("spawn.c") + "\nvoid forever(void) {\n  for (;;)\n    fork();\n}\n"
        lines = base.split("\n")
        exec_line = lines.index("    execlp(command, command, (char *)NULL);")
        fork_line = lines.index("    fork();")
        uri = ctx.open(s, "spawn.c", text=base)
        s.wait_publish(uri, lambda p: p.get("version") == 1 and ctx.complete(p))
        start = s.count()
        last = 501
        bursts = [7, 25, 3, 40, 1, 18, 31, 2, 11]  # sizes and pauses that vary
        sent = 0
        for version in range(2, last + 1):
            # Each version adds a line at the top; even versions also have the _exit (no
            # unchecked-exec), odd ones do not.
            below = exec_line + 1 + (version - 1)
            toggle = {"range": {"start": {"line": below, "character": 0},
                                "end": {"line": below, "character": 0}}, "text": "    _exit(127);\n"} \
                if version % 2 == 0 else \
                {"range": {"start": {"line": below, "character": 0},
                           "end": {"line": below + 1, "character": 0}}, "text": ""}
            top = {"range": {"start": {"line": 0, "character": 0},
                             "end": {"line": 0, "character": 0}}, "text": "//\n"}
            change(s, uri, version, edits=[top, toggle])
            sent += 1
            if sent == bursts[0]:
                bursts = bursts[1:] + bursts[:1]
                sent = 0
                time.sleep(0.01 * (version % 9))  # some analyses finish between bursts
        s.wait_publish(uri, lambda p: p.get("version") == last and ctx.complete(p), timeout=60,
                       start=start, what="ours for the last version")
        time.sleep(0.5)
        previous = 0
        for p in s.publishes(uri, start):
            params = p["params"]
            version = params.get("version", previous)
            expect(version >= previous, "versions never go backwards", [previous, version])
            previous = version
            found = checks(params)
            if not found:
                continue
            expect(("fork-hazard-unchecked-exec" in found) == (version % 2 == 1),
                   "ours match the text of version %d" % version, found)
            loop = [d for d in ours(params) if d["code"] == "fork-hazard-fork-in-loop"]
            expected = fork_line + (version - 1) + (1 if version % 2 == 0 else 0)
            expect(len(loop) == 1 and loop[0]["range"]["start"]["line"] == expected,
                   "the finding where version %d has it (line %d)" % (version, expected), loop)
        expect(previous == last, "the last publish is for the last version", previous)
        expect(s.shutdown() == 0, "a clean exit")
    finally:
        s.kill()


def scenario_slow_clangd(ctx):
    """clangd that takes 3 seconds to start: nothing is lost meanwhile."""
    if ctx.args.standalone:
        return
    wrapper = ctx.path("slow-clangd.sh")
    with open(wrapper, "w") as f:
        f.write("#!/bin/sh\nsleep 3\nexec %s \"$@\"\n" % ctx.args.clangd)
    os.chmod(wrapper, os.stat(wrapper).st_mode | stat.S_IEXEC)
    s = ctx.start(clangd=wrapper)
    try:
        uri = ctx.open(s, "spawn.c")
        s.wait_publish(uri, lambda p: p.get("version") == 1 and ctx.complete(p), timeout=60)
        expect(s.shutdown() == 0, "a clean exit")
    finally:
        s.kill()


def scenario_analysis_killed(ctx):
    """The analysis is killed in the middle of a document: one showMessage, clangd's diagnostics
    and replies keep coming, and the next edit brings ours back."""
    pid_file = ctx.path("worker.pid")
    env = dict(os.environ, FORK_HAZARD_CLANGD_TEST_ANALYSIS_DELAY_MS="2000",
               FORK_HAZARD_CLANGD_TEST_WORKER_PID_FILE=pid_file)
    s = ctx.start(env=env)
    try:
        uri = ctx.open(s, "spawn.c")
        deadline = time.monotonic() + 30
        while not os.path.exists(pid_file) or not open(pid_file).read().strip():
            expect(time.monotonic() < deadline, "the worker starts")
            time.sleep(0.05)
        time.sleep(0.7)  # inside the delay: parsed, checks not run yet
        os.kill(int(open(pid_file).read()), signal.SIGKILL)
        os.unlink(pid_file)
        _, shown = s.wait_for(lambda m: m.get("method") == "window/showMessage",
                              what="one message about the analysis")
        expect(shown["params"]["type"] == 1 and "stopped" in shown["params"]["message"],
               "an error message", shown)
        if not ctx.args.standalone:
            s.wait_publish(uri, lambda p: bool(theirs(p)) and not ours(p),
                           what="clangd's diagnostics without ours")
            hover = s.call("textDocument/hover", {"textDocument": {"uri": uri},
                                                  "position": {"line": 7, "character": 16}})
            expect(hover.get("result") is not None, "clangd still answers", hover)
        change(s, uri, 2, text=ctx.text("spawn.c") + "\n")
        s.wait_publish(uri, lambda p: p.get("version") == 2 and ctx.complete(p), timeout=60,
                       what="ours back with the next edit")
        messages = [m for m in s.messages if m.get("method") == "window/showMessage"]
        expect(len(messages) == 1, "the message is shown once", messages)
        expect(s.shutdown() == 0, "a clean exit")
    finally:
        s.kill()


def scenario_analysis_hung(ctx):
    """An analysis that does not end: after the timeout its worker is ended, one message says so,
    and clangd's diagnostics are published without waiting any longer."""
    env = dict(os.environ, FORK_HAZARD_CLANGD_TEST_ANALYSIS_DELAY_MS="30000")
    s = ctx.start(["--fork-hazard-analysis-timeout-s=1"], env=env)
    try:
        uri = ctx.open(s, "spawn.c")
        start = time.monotonic()
        _, shown = s.wait_for(lambda m: m.get("method") == "window/showMessage", timeout=20,
                              what="the message about the hung analysis")
        expect("took longer than 1 s" in shown["params"]["message"], "why it stopped", shown)
        expect(time.monotonic() - start < 15, "ended after the timeout, not the delay")
        if not ctx.args.standalone:
            s.wait_publish(uri, lambda p: bool(theirs(p)) and not ours(p), timeout=10,
                           what="clangd's diagnostics without ours")
        expect(s.shutdown() == 0, "a clean exit")
    finally:
        s.kill()


def malformed_stream(ctx, uri):
    """The bytes of an editor gone wrong, after initialize."""
    big = "x" * (50 * 1024 * 1024)
    return [
        # A Content-Length shorter than its body: the rest is read as headers.
        b"Content-Length: 10\r\n\r\n" + json.dumps({"jsonrpc": "2.0", "id": 100, "method": "textDocument/hover"}).encode() + b"\r\n\r\n",
        lsp.frame(b"{this is not json"),
        lsp.frame({"jsonrpc": "2.0", "id": 101, "method": "fork-hazard/no-such-method", "params": {}}),
        lsp.frame({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri + ".never-opened.c", "version": 7},
            "contentChanges": [{"text": "int x;"}]}}),
        lsp.frame({"jsonrpc": "2.0", "id": 102, "method": "fork-hazard/no-such-method", "params": {"blob": big}}),
        lsp.frame({"jsonrpc": "2.0", "method": "$/fork-hazard/big", "params": {"blob": big}}),
        b"Content-Length: 0\r\n\r\n",
        lsp.frame({"jsonrpc": "2.0", "id": 103, "method": "shutdown"}),
    ]


def replies(session, after):
    return [(m["id"], "error" in m, m.get("error", {}).get("code"))
            for m in session.messages[after:] if "id" in m and "method" not in m]


def scenario_malformed(ctx):
    """Malformed input is answered as clangd answers it (the same replies, error codes and exit
    status as plain clangd given the same bytes) and never wedges or crashes the server."""
    outcomes = []
    for server in (["--plain-clangd"] if not ctx.args.standalone else []) + ["proxy"]:
        if server == "--plain-clangd":
            s = lsp.Session([ctx.args.clangd, "--background-index=false"], cwd=ctx.work,
                            stderr=open(ctx.path("plain.log"), "w"))
            s.initialize(ctx.work)
        else:
            s = ctx.start()
        try:
            uri = ctx.open(s, "spawn.c")
            after = s.count()
            for chunk in malformed_stream(ctx, uri):
                s.send_raw(chunk)
            s.response(103, timeout=120, start=after)
            got = replies(s, after)
            s.notify("exit")
            status = s.proc.wait(60)
            outcomes.append((got, status))
        finally:
            s.kill()
    got, status = outcomes[-1]
    expect(status == 0, "a clean exit after shutdown", status)
    if ctx.args.standalone:
        codes = {rid: code for rid, _, code in got}
        expect(codes.get(101) == -32601 and codes.get(102) == -32601, "method not found", got)
        expect(103 in codes and codes[103] is None, "shutdown answered", got)
    else:
        expect(outcomes[0] == outcomes[1], "the same replies as plain clangd", outcomes)


def scenario_shutdown(ctx):
    """shutdown, then exit: the server ends with status 0; exit without shutdown: status 1."""
    s = ctx.start()
    try:
        ctx.open(s, "clean.c")
        expect(s.call("shutdown")["result"] is None, "shutdown answered with null")
        s.notify("exit")
        expect(s.proc.wait(30) == 0, "status 0")
    finally:
        s.kill()
    s = ctx.start()
    try:
        s.notify("exit")
        expect(s.proc.wait(30) == 1, "status 1 without shutdown, as clangd")
    finally:
        s.kill()


def scenario_clean(ctx):
    """A correct program: clangd's diagnostics only, ever."""
    s = ctx.start()
    try:
        uri = ctx.open(s, "clean.c")
        s.wait_publish(uri, lambda p: p.get("version") == 1)
        time.sleep(1.0)
        for p in s.publishes(uri):
            expect(not ours(p["params"]), "nothing of ours", p)
        expect(s.shutdown() == 0, "a clean exit")
    finally:
        s.kill()


SCENARIOS = {name[len("scenario_"):].replace("_", "-"): fn
             for name, fn in globals().items() if name.startswith("scenario_")}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True)
    parser.add_argument("--clangd", required=True)
    parser.add_argument("--standalone", action="store_true")
    parser.add_argument("--work", required=True)
    parser.add_argument("--check", help="fork-hazard-check, for the facts scenario")
    parser.add_argument("scenarios", nargs="*")
    args = parser.parse_args()
    names = args.scenarios or sorted(SCENARIOS)
    failed = 0
    for name in names:
        ctx = Context(args)
        try:
            SCENARIOS[name](ctx)
            print("ok: " + name)
        except Exception as error:  # noqa: BLE001 -- any error is this scenario's failure
            failed += 1
            detail = "" if isinstance(error, (Failure, lsp.ProtocolError)) else traceback.format_exc()
            print("FAILED: %s: %s\n%s" % (name, error, detail))
            for log in sorted(os.listdir(ctx.work)):
                if log.endswith(".log"):
                    with open(ctx.path(log), errors="replace") as f:
                        tail = f.read()[-3000:]
                    print("--- %s (end)\n%s" % (log, tail))
        sys.stdout.flush()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
