"""Copies stdin to stdout without ANSI colour sequences (run-clang-tidy 14 always asks for colour)."""
import re
import sys

sys.stdout.write(re.sub(r"\x1b\[[0-9;]*m", "", sys.stdin.read()))
