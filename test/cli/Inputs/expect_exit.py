#!/usr/bin/env python3
"""expect_exit.py N COMMAND...: runs COMMAND (its output passes through) and succeeds only if
it exits with status N, which lit's `not` cannot tell apart (1 findings, 2 tool error)."""
import subprocess
import sys

status = subprocess.call(sys.argv[2:])
if status != int(sys.argv[1]):
    sys.stderr.write("expected exit status %s, got %d\n" % (sys.argv[1], status))
    sys.exit(1)
