"""Prints the fork-hazard check options of a clang-tidy --dump-config on stdin as 'key = value',
whichever YAML layout the clang-tidy uses (`- key: K` / `value: V` up to LLVM 14, `K: V` after)."""
import re
import sys

text = sys.stdin.read()
pairs = re.findall(r"- key:\s+(\S+)\s*\n\s+value:\s+(.*)", text)
pairs += re.findall(r"^\s+(fork-hazard[a-z-]*\.[A-Za-z]+):\s+(.*)$", text, re.M)
for key, value in sorted(pairs):
    if key.startswith("fork-hazard"):
        print("%s = %s" % (key, value.strip().strip("'")))
