#!/bin/bash
# Tests: installs what is missing (Debian/Ubuntu, as root or through sudo), builds the plugin and
# the CLI and runs the lit suite in test/ against that build.
#   bash scripts/test.sh                   # clang/LLVM 22, build/
#   LLVM_VERSION=14 bash scripts/test.sh   # clang/LLVM 14, build-llvm14/
#   bash scripts/test.sh --filter fork-in-loop   # extra arguments go to lit
# The last line of output is always `N passed, N failed`. Passed counts lit's PASS, XFAIL and
# FLAKYPASS; failed counts FAIL, XPASS, UNRESOLVED and TIMEOUT (UNSUPPORTED/skipped are neither).
# Exit status 0 = at least one test ran and none failed.
set -euo pipefail
# shellcheck source=lib/setup.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib/setup.sh"

# From here on the last line is the count, whatever happens (a failed install or build: 0 tests ran).
passed=0 failed=0
trap 'echo "$passed passed, $failed failed"' EXIT

fh_setup
fh_install_sarif_validator # the CLI's SARIF tests (test/cli/formats.test)
fh_install_test_tools      # chromium, ccache, icecc

lit=
for candidate in "$FH_LLVM_PREFIX/build/utils/lit/lit.py" "$FH_LLVM_PREFIX/bin/lit" "$FH_LLVM_PREFIX/bin/llvm-lit"; do
  if [[ -f $candidate ]]; then lit=$candidate; break; fi
done
[[ -n $lit ]] || fh_die "lit not found under $FH_LLVM_PREFIX (package llvm-$FH_LLVM_VERSION-tools)"
for tool in FileCheck not; do
  [[ -x $FH_LLVM_PREFIX/bin/$tool ]] || fh_die "$FH_LLVM_PREFIX/bin/$tool not found (package llvm-$FH_LLVM_VERSION-tools)"
done
[[ -f $FH_BUILD_DIR/test/lit.site.cfg.py ]] || fh_die "$FH_BUILD_DIR/test/lit.site.cfg.py is missing (CMake writes it)"

results=$FH_BUILD_DIR/test/lit-results.json
log=$FH_BUILD_DIR/test/lit-output.txt
rm -f "$results" "$log"
fh_say "running the lit suite with $lit"
set +e
python3 "$lit" -v -o "$results" "$@" "$FH_BUILD_DIR/test" 2>&1 | tee "$log"
lit_status=${PIPESTATUS[0]}
set -e

# Count from lit's JSON results (exact result codes, same format in lit 14..22); without them
# (lit stopped early), from its summary: "  Passed: 3" or "  Passed             : 3 (50.00%)".
counts=$(python3 - "$results" "$log" <<'EOF'
import json, re, sys
PASS = {"PASS", "XFAIL", "FLAKYPASS"}
FAIL = {"FAIL", "XPASS", "UNRESOLVED", "TIMEOUT"}
try:
    with open(sys.argv[1]) as f:
        codes = [t["code"] for t in json.load(f)["tests"]]
    print(sum(c in PASS for c in codes), sum(c in FAIL for c in codes))
except (OSError, ValueError, KeyError, TypeError):
    labels = {"Passed": 0, "Expectedly Failed": 0, "Flakily Passed": 0,
              "Failed": 1, "Unexpectedly Passed": 1, "Unresolved": 1, "Timed Out": 1}
    counts = [0, 0]
    try:
        with open(sys.argv[2], errors="replace") as f:
            for line in f:
                m = re.match(r"\s*([A-Za-z][A-Za-z ]*?)\s*:\s*(\d+)", line)
                if m and m.group(1) in labels:
                    counts[labels[m.group(1)]] += int(m.group(2))
    except OSError:
        pass
    print(*counts)
EOF
)
read -r passed failed <<<"$counts"

if ((lit_status != 0 && failed == 0)); then
  # lit failed without a failing test (configuration error, no tests found, interrupted).
  echo "error: lit exited with status $lit_status" >&2
  ((passed == 0)) || failed=1
fi
if ((passed + failed == 0)); then
  echo "error: no tests ran" >&2
  exit 1
fi
((failed == 0))
