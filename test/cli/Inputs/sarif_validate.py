#!/usr/bin/env python3
"""Validates a SARIF file with the SARIF Multitool: `validate --rule-kind "Sarif;Ghas"` (the
SARIF spec's rules and GitHub code scanning's). The multitool exits 0 even when it reports
errors, so this reads its report: exit 1 if it names any error or warning (printed), else 0.

    sarif_validate.py MULTITOOL FILE.sarif [--expect-errors]

--expect-errors inverts the verdict (the test that the validator can fail)."""
import os
import re
import subprocess
import sys


def main():
    multitool, sarif = sys.argv[1], sys.argv[2]
    expect_errors = "--expect-errors" in sys.argv[3:]
    env = dict(os.environ)
    # .NET without ICU (a minimal Debian has no libicu) and without telemetry or first-run notes.
    env.setdefault("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT", "1")
    env.setdefault("DOTNET_CLI_TELEMETRY_OPTOUT", "1")
    run = subprocess.run([multitool, "validate", "--rule-kind", "Sarif;Ghas", sarif],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
                         universal_newlines=True)
    problems = [line for line in run.stdout.splitlines()
                if re.search(r": (error|warning) [A-Z]+[0-9]+: ", line)]
    if "Analysis completed successfully" not in run.stdout and not problems:
        print(run.stdout)
        print("error: the SARIF Multitool did not complete (exit status %d)" % run.returncode)
        return 2
    for line in problems:
        print(line)
    if expect_errors:
        return 0 if problems else 1
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
