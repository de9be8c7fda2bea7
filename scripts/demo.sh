#!/bin/bash
# Demo: installs what is missing (Debian/Ubuntu, as root or through sudo), builds the plugin and
# the CLI, runs the plugin over every program in examples/, then the CLI over the same files.
#   bash scripts/demo.sh                   # clang/LLVM 22, builds into build/
#   LLVM_VERSION=14 bash scripts/demo.sh   # clang/LLVM 14, builds into build-llvm14/
# Exit status 0 = the plugin loaded and checked every example (its warnings are the point of the
# demo); non-zero = installing, building, loading the plugin or compiling an example failed.
set -euo pipefail
# shellcheck source=lib/setup.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib/setup.sh"
fh_setup

clang=$FH_LLVM_PREFIX/bin/clang
cd "$FH_ROOT"

# The plugin loads and runs on a file without fork() (this also checks the .so matches this clang).
echo 'int main(void) { return 0; }' |
  "$clang" -fplugin="$FH_PLUGIN" -fsyntax-only -x c - ||
  fh_die "clang $FH_LLVM_VERSION could not load or run $FH_PLUGIN"

mapfile -t examples < <(find examples -type f \( -name '*.c' -o -name '*.cpp' -o -name '*.cc' \) 2>/dev/null | LC_ALL=C sort)
if ((${#examples[@]} == 0)); then
  fh_say "the plugin loads, but there are no examples in $FH_ROOT/examples"
fi

failed=()
for example in "${examples[@]}"; do
  case $example in
    *.c) compiler=$clang ;;
    *) compiler=$clang++ ;;
  esac
  printf '\n=== %s\n' "$example"
  # Diagnostics go straight to the terminal, so clang colors them when it is one.
  if ! "$compiler" -fplugin="$FH_PLUGIN" -fsyntax-only "$example"; then
    failed+=("$example")
  fi
done
echo

if ((${#failed[@]} > 0)); then
  fh_die "clang failed (errors or a crash, not just warnings) on: ${failed[*]}"
fi
((${#examples[@]} == 0)) || fh_say "checked ${#examples[@]} example(s) with clang $FH_LLVM_VERSION"

# The same examples through the CLI, as a CI job would run it: a compile database (written here;
# CMake, bear or meson write one for a real project), one summary line, and SARIF for code scanning.
((${#examples[@]} > 0)) || exit 0
database_dir=$FH_BUILD_DIR/demo-database
mkdir -p "$database_dir"
python3 - "$FH_ROOT" "$database_dir/compile_commands.json" "${examples[@]}" <<'EOF_DB'
import json, sys
root, out, files = sys.argv[1], sys.argv[2], sys.argv[3:]
json.dump([{"directory": root, "file": f, "arguments": ["cc" if f.endswith(".c") else "c++", "-c", f]}
           for f in files], open(out, "w"), indent=1)
EOF_DB
fh_say "fork-hazard-check over the same examples (database: $database_dir/compile_commands.json)"
set +e
"$FH_CHECK" -p "$database_dir" --format=sarif -o "$database_dir/examples.sarif"
check_status=$?
set -e
((check_status <= 1)) || fh_die "fork-hazard-check failed (exit status $check_status)"
fh_say "SARIF for code scanning: $database_dir/examples.sarif (docs/ci.md shows a CI job)"
echo
echo "To check your own code, compile it with clang $FH_LLVM_VERSION plus -fplugin=$FH_PLUGIN, e.g."
echo "  make CC=\"$clang -fplugin=$FH_PLUGIN\"   or   $clang -fplugin=$FH_PLUGIN -fsyntax-only file.c"
echo "or run the CLI over its compile database: $FH_CHECK -p <build dir>"
