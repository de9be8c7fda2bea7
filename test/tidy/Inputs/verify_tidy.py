#!/usr/bin/env python3
"""Runs the plugin's -verify fixtures through clang-tidy and the fork-hazard module, with the
same expectations: clang's `// expected-warning {{...}}` comments are the test.

Every `// RUN: %clang_fh[_cxx] ... -Xclang -verify[=prefixes] %s` line of a fixture becomes one
clang-tidy run: `-fplugin-arg-fork-hazard-checks=` becomes `-checks=` over fork-hazard-<check>,
the other plugin options become CheckOptions (fork-hazard-<check>.<Name> or
fork-hazard.<Name>), the remaining arguments the compile command after `--`. The diagnostics
clang-tidy prints are matched against the expectations as clang's VerifyDiagnosticConsumer
matches them: each expected diagnostic (with its count) on its line, substring or `-re` regex,
nothing unexpected, `<prefix>-no-diagnostics`. Directives in blocks the preprocessor skips do
not count (the comments are read from `clang -E -C` of the same command).

usage: verify_tidy.py --clang-tidy=PATH --load=MODULE --clang=PATH FIXTURE_OR_DIR...
"""
import argparse
import os
import re
import shlex
import subprocess
import sys

DIAGNOSTIC = re.compile(r"^(?P<file>[^:\n]+):(?P<line>\d+):(?P<column>\d+): "
                        r"(?P<kind>warning|error|note): (?P<message>.*)$")
LINE_MARKER = re.compile(r'^# (\d+) "((?:[^"\\]|\\.)*)"')


def camel_case(name):
    return "".join(part[:1].upper() + part[1:] for part in name.split("-"))


class Run:
    """One -verify RUN line, translated."""

    def __init__(self, fixture, text):
        self.fixture, self.text = fixture, text
        self.prefixes = None
        self.check_globs = []
        self.options = {}
        self.compile_args = []
        self.ignore_unexpected = set()  # -verify-ignore-unexpected=note,...

    @staticmethod
    def parse(fixture, text):
        if "|" in text or "2>" in text or "FileCheck" in text:
            return None
        tokens = shlex.split(text)
        if not tokens or tokens[0] not in ("%clang_fh", "%clang_fh_cxx"):
            return None
        run = Run(fixture, text)
        i = 1
        while i < len(tokens):
            token = tokens[i]
            if token == "-Xclang" and i + 1 < len(tokens) and \
                    re.match(r"-verify(=|$)", tokens[i + 1]):
                value = tokens[i + 1][len("-verify"):]
                run.prefixes = value[1:].split(",") if value.startswith("=") else ["expected"]
                i += 2
                continue
            if token == "-Xclang" and i + 1 < len(tokens) and \
                    tokens[i + 1].startswith("-verify-ignore-unexpected"):
                kinds = tokens[i + 1].partition("=")[2]
                run.ignore_unexpected |= set(kinds.split(",")) if kinds else \
                    {"error", "warning", "note", "remark"}
                i += 2
                continue
            if token.startswith("-fplugin-arg-fork-hazard-"):
                name, _, value = token[len("-fplugin-arg-fork-hazard-"):].partition("=")
                if name == "checks":
                    run.check_globs += [g.strip() for g in value.split(",") if g.strip()]
                else:
                    run.options[name] = value if value else "true"
            elif token != "%s":
                run.compile_args.append(token)
            i += 1
        return run if run.prefixes else None

    def tidy_checks(self):
        # clang-diagnostic-*: the compiler's own warnings, which -verify sees as well. The
        # plugin's defaults: every check but the opt-in ones (a clang-tidy glob selects those).
        globs = ["-*", "clang-diagnostic-*", "fork-hazard-*"] + \
            ["-fork-hazard-" + name for name in opt_in_checks()]
        for glob in self.check_globs:
            negative = glob.startswith("-")
            pattern = glob[1:] if negative else glob
            if pattern != "*" and not pattern.startswith("fork-hazard-"):
                pattern = "fork-hazard-" + pattern
            elif pattern == "*":
                pattern = "fork-hazard-*"
            globs.append(("-" if negative else "") + pattern)
        return ",".join(globs)


def opt_in_checks():
    """The checks rules/checks.def registers off by default."""
    registry = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..",
                            "rules", "checks.def")
    with open(registry) as f:
        return re.findall(r'FORK_HAZARD_CHECK\("([a-z-]+)",\s*\w+,\s*false', f.read())


def tidy_option_keys(args):
    """CheckOptions key by plugin option name: a check's own option as --dump-config shows it
    (fork-hazard-<check>.<Name>), any other as an option of every check (fork-hazard.<Name>)."""
    dump = subprocess.run([args.clang_tidy, "--load=" + args.load, "-checks=-*,fork-hazard-*",
                           "--dump-config"], stdout=subprocess.PIPE, text=True, check=True).stdout
    local = {name: "%s.%s" % (check, name)
             for check, name in re.findall(r"\b(fork-hazard-[a-z-]+)\.([A-Za-z]+)", dump)}

    class Keys(dict):
        def __missing__(self, option):
            name = camel_case(option)
            return local.get(name, "fork-hazard." + name)
    return Keys()


def run_lines(fixture):
    lines, pending = [], ""
    with open(fixture, encoding="utf-8") as f:
        for line in f:
            m = re.search(r"(?://|#)\s*RUN:\s*(.*)$", line)
            if not m:
                continue
            text = m.group(1).rstrip()
            if text.endswith("\\"):
                pending += text[:-1] + " "
                continue
            lines.append(pending + text)
            pending = ""
    return lines


def live_comment_lines(args, run):
    """The fixture's lines as the preprocessor keeps them (comments included), by line number."""
    command = [args.clang, "-E", "-C"] + run.compile_args + [run.fixture]
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        raise RuntimeError("%s failed:\n%s" % (" ".join(command), result.stderr))
    fixture = os.path.realpath(run.fixture)
    live, current_file, line_number = {}, None, 0
    for text in result.stdout.split("\n"):
        marker = LINE_MARKER.match(text)
        if marker:
            line_number = int(marker.group(1))
            current_file = os.path.realpath(marker.group(2)) if marker.group(2) else None
            continue
        if current_file == fixture:
            live.setdefault(line_number, []).append(text)
        line_number += 1
    return live


def closing_braces(text, start):
    """Index just past the '}}' that closes the '{{' before start, counting nested pairs."""
    depth, i = 1, start
    while i < len(text) - 1:
        if text.startswith("{{", i):
            depth, i = depth + 1, i + 2
        elif text.startswith("}}", i):
            depth -= 1
            i += 2
            if depth == 0:
                return i
        else:
            i += 1
    return -1


def expectations(live, prefixes):
    """(kind, line, matcher, min count, max count, text) per directive; and no-diagnostics."""
    alternatives = "|".join(re.escape(p) for p in prefixes)
    directive = re.compile(r"\b(?:%s)-(warning|error|note|no-diagnostics)(-re)?"
                           r"(?:@([+-]?\d+))?\s*(\d+)?(\+)?\s*(\{\{)?" % alternatives)
    found, no_diagnostics = [], False
    for line, texts in live.items():
        for text in texts:
            pos = 0
            while True:
                m = directive.search(text, pos)
                if not m:
                    break
                kind = m.group(1)
                if kind == "no-diagnostics":
                    no_diagnostics, pos = True, m.end()
                    continue
                if not m.group(6):
                    pos = m.end()
                    continue
                end = closing_braces(text, m.end())
                if end < 0:
                    raise RuntimeError("line %d: no '}}' closes the directive" % line)
                content = text[m.end():end - 2]
                target = line
                if m.group(3):
                    offset = m.group(3)
                    target = line + int(offset) if offset[0] in "+-" else int(offset)
                count = int(m.group(4)) if m.group(4) else 1
                most = None if m.group(5) else count
                found.append((kind, target, matcher(content, bool(m.group(2))), count, most,
                              content))
                pos = end
    return found, no_diagnostics


def matcher(content, is_regex):
    if not is_regex:
        return lambda message: content in message
    pattern, pos = "", 0
    while True:
        start = content.find("{{", pos)
        if start < 0:
            pattern += re.escape(content[pos:])
            break
        end = content.find("}}", start + 2)
        pattern += re.escape(content[pos:start]) + "(?:" + content[start + 2:end] + ")"
        pos = end + 2
    compiled = re.compile(pattern)
    return lambda message: compiled.search(message) is not None


def run_tidy(args, run, keys):
    command = [args.clang_tidy, "--load=" + args.load, "--quiet",
               "-checks=" + run.tidy_checks()]
    if run.options:
        entries = ", ".join("{key: '%s', value: '%s'}" % (keys[n], v)
                            for n, v in sorted(run.options.items()))
        command.append("-config={CheckOptions: [%s]}" % entries)
    command += [run.fixture, "--"] + run.compile_args
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    seen = []
    for text in result.stdout.splitlines():
        m = DIAGNOSTIC.match(text)
        # The macro backtrace is how the text is printed, not a diagnostic of its own.
        if m and not m.group("message").startswith("expanded from "):
            seen.append((m.group("kind"), os.path.realpath(m.group("file")), int(m.group("line")),
                         m.group("message")))
    return command, seen, result.stdout


def verify(args, run, keys):
    """The problems of one run, as clang's -verify words them; [] when it passes."""
    expected, no_diagnostics = expectations(live_comment_lines(args, run), run.prefixes)
    command, seen, output = run_tidy(args, run, keys)
    fixture = os.path.realpath(run.fixture)
    remaining = [[e, 0] for e in expected]
    problems = []
    for kind, path, line, message in seen:
        match = None
        if path == fixture:
            for entry in remaining:
                (e_kind, e_line, e_match, _, most, _), used = entry
                if e_kind == kind and e_line == line and (most is None or used < most) \
                        and e_match(message):
                    match = entry
                    break
        if match:
            match[1] += 1
        elif kind not in run.ignore_unexpected:
            problems.append("seen but not expected: %s:%d: %s: %s" % (
                os.path.basename(path), line, kind, message))
    for (kind, line, _, least, _, text), used in remaining:
        if used < least:
            problems.append("expected but not seen: line %d: %s {{%s}}%s" % (
                line, kind, text, "" if least == 1 else " (%d of %d)" % (used, least)))
    if not expected and not no_diagnostics:
        problems.append("no expected directives found (and no '-no-diagnostics')")
    if problems:
        problems.insert(0, "$ " + " ".join(shlex.quote(c) for c in command))
        problems.append("clang-tidy output:\n" + output)
    return problems


def fixtures(paths):
    for path in paths:
        if os.path.isdir(path):
            for name in sorted(os.listdir(path)):
                if name.endswith((".c", ".cpp")):
                    yield os.path.join(path, name)
        else:
            yield path


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clang-tidy", required=True)
    parser.add_argument("--load", required=True)
    parser.add_argument("--clang", required=True)
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args()
    keys = tidy_option_keys(args)
    runs = failed = 0
    for fixture in fixtures(args.paths):
        translated = [r for r in (Run.parse(fixture, t) for t in run_lines(fixture)) if r]
        if not translated:
            print("error: %s has no -verify RUN line to translate" % fixture)
            failed += 1
            continue
        for run in translated:
            runs += 1
            problems = verify(args, run, keys)
            if problems:
                failed += 1
                print("FAIL %s: RUN: %s" % (os.path.basename(fixture), run.text))
                print("\n".join("  " + p for p in problems))
    print("%d clang-tidy runs, %d failed" % (runs, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
