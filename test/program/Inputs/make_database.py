"""Writes DIR/compile_commands.json with one `cc -c` (`c++ -c` for C++) entry per C and C++ file
of DIR (sorted), or of the files named after DIR: python3 make_database.py DIR [FILE...]"""
import glob
import json
import os
import sys

directory = os.path.abspath(sys.argv[1])
files = sys.argv[2:] or sorted(os.path.basename(f) for pattern in ("*.c", "*.cpp")
                               for f in glob.glob(os.path.join(directory, pattern)))
with open(os.path.join(directory, "compile_commands.json"), "w") as out:
    json.dump([{"directory": directory,
                "command": ("c++ -c " if f.endswith(".cpp") else "cc -c ") + f, "file": f}
               for f in files], out, indent=1)
