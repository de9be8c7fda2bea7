#!/usr/bin/env python3
"""The README's table of checks is rules/checks.def: same checks, same order, same summary,
each linking to docs/rules/<name>.md, which exists. Prints one line per difference and
'N checks, 0 differ'."""
import os
import re
import sys

root = sys.argv[1]
defs = open(os.path.join(root, "rules", "checks.def"), encoding="utf-8").read()
rows = []
for m in re.finditer(r"^FORK_HAZARD_CHECK\((.*?)\)\s*$", defs, re.S | re.M):
    strings = re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(1))
    # The name, then the summary's adjacent literals.
    rows.append((strings[0], "".join(strings[1:])))
readme = open(os.path.join(root, "README.md"), encoding="utf-8").read()
table = re.findall(r"^\| `([a-z-]+)` \| (.*?) \| \[(.*?)\]\((.*?)\) \|$", readme, re.M)
differ = 0
if len(table) != len(rows):
    print("README has %d checks, rules/checks.def %d" % (len(table), len(rows)))
    differ += 1
for (name, summary), row in zip(rows, table):
    page = "docs/rules/%s.md" % name
    if row[0] != name:
        print("README row for %s names %s" % (name, row[0]))
        differ += 1
    if row[1] != summary:
        print("%s: README says %r, rules/checks.def %r" % (name, row[1], summary))
        differ += 1
    if row[2] != page or row[3] != page:
        print("%s: README links %s, not %s" % (name, row[3], page))
        differ += 1
    if not os.path.exists(os.path.join(root, page)):
        print("%s: %s does not exist" % (name, page))
        differ += 1
print("%d checks, %d differ" % (len(rows), differ))
