#!/bin/bash
# Fuzz run (issue 8): builds the plugin if needed (scripts/lib/setup.sh, into build-bench/ unless
# BUILD_DIR says otherwise), then mutates the test fixtures and examples and runs every mutant
# through clang with the plugin. Fixed length and seed, so a run is reproducible:
#   bash bench/fuzz.sh                       # 2000 mutants, seed 1, -j2
#   bash bench/fuzz.sh --iterations 10000 --seed 7
# Crashes and hangs are saved with their command under $FH_CORPUS/fuzz (default
# /var/cache/fork-hazard-corpus/fuzz); the exit status is 1 if there was any.
set -euo pipefail
BUILD_DIR=${BUILD_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/build-bench}
export BUILD_DIR
# shellcheck source=../scripts/lib/setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/setup.sh"
fh_setup >&2
exec nice -n 10 python3 "$FH_ROOT/bench/fuzz.py" --plugin "$FH_PLUGIN" --clang "$FH_LLVM_PREFIX/bin/clang" "$@"
