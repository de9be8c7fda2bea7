#!/usr/bin/env python3
"""expect_exit.py N[,M...] COMMAND...: runs COMMAND (its output passes through) and succeeds only
if it exits with status N (or one of the listed), which lit's `not` cannot tell apart (1
findings, 2 tool error)."""
import subprocess
import sys

status = subprocess.call(sys.argv[2:])
if status not in [int(n) for n in sys.argv[1].split(",")]:
    sys.stderr.write("expected exit status %s, got %d\n" % (sys.argv[1], status))
    sys.exit(1)
