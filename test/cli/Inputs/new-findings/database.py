"""Writes DIR/compile_commands.json for the C files named (relative to DIR)."""
import json
import os
import sys

directory = sys.argv[1]
entries = [{"directory": directory, "file": os.path.join(directory, name),
            "arguments": ["cc", "-c", name]} for name in sys.argv[2:]]
with open(os.path.join(directory, "compile_commands.json"), "w") as f:
    json.dump(entries, f)
