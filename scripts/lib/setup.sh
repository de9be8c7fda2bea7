# shellcheck shell=bash
# Common part of scripts/demo.sh and scripts/test.sh: install what is missing (Debian/Ubuntu, apt),
# then configure and build the plugin and the CLI. Sourced, not run. After `fh_setup`:
#   FH_ROOT          the project's root directory
#   FH_LLVM_VERSION  the LLVM/clang major version (env LLVM_VERSION, default 22)
#   FH_LLVM_PREFIX   /usr/lib/llvm-$FH_LLVM_VERSION
#   FH_BUILD_DIR     the build directory: build/ for LLVM 22, build-llvm$N/ for any other N
#                    (env BUILD_DIR overrides it)
#   FH_PLUGIN        $FH_BUILD_DIR/lib/ForkHazard.so
#   FH_CHECK         $FH_BUILD_DIR/bin/fork-hazard-check (the CLI)
#   FH_CLANGD_PROXY  $FH_BUILD_DIR/bin/fork-hazard-clangd (the editor front end)
#   FH_TIDY_MODULE   $FH_BUILD_DIR/lib/ForkHazardTidy.so (the clang-tidy module)

FH_DEFAULT_LLVM_VERSION=22
FH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

fh_say() { printf '==> %s\n' "$*"; }
fh_die() { printf 'error: %s\n' "$*" >&2; exit 1; }
fh_warn() { printf 'warning: %s\n' "$*" >&2; }

fh_installed() { # fh_installed PKG: is the Debian package installed?
  [[ $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) == "install ok installed" ]]
}

# Runs a command as root: directly when we are root, else through sudo.
fh_as_root() {
  if [[ $(id -u) -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    return 127
  fi
}

# The packages this build needs; prints the ones that are not installed.
fh_missing_packages() {
  local n=$FH_LLVM_VERSION pkg
  # clang-N brings binutils, libc6-dev and libstdc++-12-dev, so clang-N can build the plugin itself;
  # llvm-N-tools brings FileCheck, not and lit (and depends on python3).
  # clangd-N: the clangd fork-hazard-clangd runs in front of, in its tests (test/clangd);
  # clang-tidy-N: the clang-tidy the module loads into, in its tests (test/tidy);
  # gcc: the non-clang route of the installed CMake package (test/package).
  local wanted=("clang-$n" "libclang-$n-dev" "llvm-$n-dev" "llvm-$n-tools" "clangd-$n" "clang-tidy-$n"
                cmake python3 libc6-dev gcc)
  # A build tool for CMake: the one an existing build directory was configured with, else ninja if
  # present, else make if present, else install ninja.
  case $(fh_cached_value CMAKE_GENERATOR) in
    Ninja*) wanted+=(ninja-build) ;;
    Unix\ Makefiles) wanted+=(make) ;;
    *) command -v ninja >/dev/null 2>&1 || command -v make >/dev/null 2>&1 || wanted+=(ninja-build) ;;
  esac
  for pkg in "${wanted[@]}"; do
    fh_installed "$pkg" || printf '%s\n' "$pkg"
  done
}

fh_install_missing() {
  if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    # Not Debian-like: we cannot install anything, so just check for the files we need.
    local f
    for f in "$FH_LLVM_PREFIX/bin/clang" "$FH_LLVM_PREFIX/bin/FileCheck" "$FH_LLVM_PREFIX/lib/cmake/clang/ClangConfig.cmake"; do
      [[ -e $f ]] || fh_die "$f not found and there is no apt-get to install clang/LLVM $FH_LLVM_VERSION; install clang, LLVM (with its CMake files and FileCheck/not/lit) and cmake yourself"
    done
    return 0
  fi
  local missing
  mapfile -t missing < <(fh_missing_packages)
  if ((${#missing[@]} == 0)); then
    fh_say "all required packages for LLVM $FH_LLVM_VERSION are installed"
    return 0
  fi
  fh_apt_install "${missing[@]}"
}

# fh_apt_install PKG...: installs Debian packages (as root, or through sudo).
fh_apt_install() {
  fh_say "installing missing packages: $*"
  if [[ $(id -u) -ne 0 ]] && ! command -v sudo >/dev/null 2>&1; then
    fh_die "not running as root and sudo is not available; as root, run:
  apt-get update && apt-get install -y --no-install-recommends $*"
  fi
  # LC_ALL=C.UTF-8 (built into Debian's libc): no locale warnings from apt/perl on a bare system.
  local apt=(env DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 apt-get -q)
  fh_as_root "${apt[@]}" update || fh_die "apt-get update failed"
  if ! fh_as_root "${apt[@]}" install -y --no-install-recommends "$@"; then
    fh_die "could not install: $*
(clang/LLVM $FH_LLVM_VERSION may not be packaged for this distribution release; see https://apt.llvm.org
for a repository that has it, or pick another version with LLVM_VERSION=N)"
  fi
}

# The SARIF validator the CLI's tests run: the SARIF Multitool from npm, pinned, installed into
# .tools/npm of the checkout (shared by every build directory; CMake's FORK_HAZARD_SARIF_MULTITOOL).
# Without it (no npm registry), the suite still runs; test/cli/sarif-validator.test is reported
# UNSUPPORTED, and this says so.
FH_SARIF_MULTITOOL_VERSION=5.7.0
fh_install_sarif_validator() {
  local prefix=$FH_ROOT/.tools/npm
  local tool=$prefix/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
  [[ -x $tool ]] && return 0
  if ! command -v npm >/dev/null 2>&1; then
    if ! command -v apt-get >/dev/null 2>&1; then
      fh_warn "npm is missing: the SARIF validation test will not run (install Node.js and npm)"
      return 0
    fi
    fh_apt_install nodejs npm ca-certificates
  fi
  fh_say "installing the SARIF Multitool $FH_SARIF_MULTITOOL_VERSION from npm into $prefix"
  mkdir -p "$prefix"
  # Node has its own CA list; also trust the system's (a proxy's CA installed on the machine).
  local extra_ca=${NODE_EXTRA_CA_CERTS:-}
  [[ -z $extra_ca && -f /etc/ssl/certs/ca-certificates.crt ]] && extra_ca=/etc/ssl/certs/ca-certificates.crt
  if ! NODE_EXTRA_CA_CERTS=$extra_ca npm install --no-audit --no-fund --no-save --loglevel=error \
      --prefix "$prefix" "@microsoft/sarif-multitool@$FH_SARIF_MULTITOOL_VERSION" || [[ ! -x $tool ]]; then
    fh_warn "npm could not install @microsoft/sarif-multitool: the SARIF validation test will not run"
  fi
}

# The programs some tests run the product through, beyond the build's own needs: chromium (the HTML
# report in a browser), ccache and icecc (test/distributed), git (--changed-lines-from, the
# pre-commit hook). Where one cannot be installed the suite
# still runs; its tests are reported UNSUPPORTED, and this says so.
fh_install_test_tools() {
  command -v dpkg-query >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 || return 0
  local pkg missing=()
  for pkg in chromium ccache icecc git; do
    fh_installed "$pkg" || missing+=("$pkg")
  done
  ((${#missing[@]} == 0)) && return 0
  ( fh_apt_install "${missing[@]}" ) ||
    fh_warn "could not install ${missing[*]}: the tests that need them will be UNSUPPORTED"
}

# fh_cached_value VAR: VAR's value in the build directory's CMakeCache.txt, if any.
fh_cached_value() {
  local cache=$FH_BUILD_DIR/CMakeCache.txt
  [[ -f $cache ]] || return 0
  sed -n "s/^$1:[A-Z]*=//p" "$cache" | head -n 1
}

fh_configure_and_build() {
  local llvm_dir=$FH_LLVM_PREFIX/lib/cmake/llvm clang_dir=$FH_LLVM_PREFIX/lib/cmake/clang
  [[ -f $clang_dir/ClangConfig.cmake ]] || fh_die "$clang_dir/ClangConfig.cmake is missing (package libclang-$FH_LLVM_VERSION-dev)"

  # A build directory configured for another LLVM or another source tree: start its cache afresh.
  if [[ -f $FH_BUILD_DIR/CMakeCache.txt ]]; then
    local cached_llvm cached_home
    cached_llvm=$(fh_cached_value LLVM_DIR)
    cached_home=$(fh_cached_value CMAKE_HOME_DIRECTORY)
    if [[ $cached_llvm != *"/llvm-$FH_LLVM_VERSION/"* || $cached_home != "$FH_ROOT" ]]; then
      fh_say "$FH_BUILD_DIR was configured for ${cached_llvm:-?} / ${cached_home:-?}; reconfiguring it from scratch"
      rm -rf "$FH_BUILD_DIR/CMakeCache.txt" "$FH_BUILD_DIR/CMakeFiles"
    fi
  fi

  local cmake_args=(-S "$FH_ROOT" -B "$FH_BUILD_DIR" -DLLVM_DIR="$llvm_dir" -DClang_DIR="$clang_dir")
  if [[ ! -f $FH_BUILD_DIR/CMakeCache.txt ]]; then
    # First configure: build with the clang we load into (unless CC/CXX say otherwise); CMake needs
    # both a C and a C++ compiler.
    export CC=${CC:-$FH_LLVM_PREFIX/bin/clang} CXX=${CXX:-$FH_LLVM_PREFIX/bin/clang++}
    mkdir -p "$FH_BUILD_DIR"
    local probe=$FH_BUILD_DIR/compiler-probe
    printf '#include <string>\nint main() { std::string s("ok"); return s.size() != 2; }\n' |
      $CXX -std=c++17 -x c++ - -o "$probe" ||
      fh_die "the C++ compiler '$CXX' cannot build a C++17 program (missing libstdc++-12-dev or libc6-dev?)"
    rm -f "$probe"
    if command -v ninja >/dev/null 2>&1; then
      cmake_args+=(-G Ninja)
    else
      cmake_args+=(-G "Unix Makefiles")
    fi
    fh_say "configuring $FH_BUILD_DIR with LLVM $FH_LLVM_VERSION (CC=$CC CXX=$CXX)"
  else
    fh_say "configuring $FH_BUILD_DIR with LLVM $FH_LLVM_VERSION"
  fi
  cmake "${cmake_args[@]}" || fh_die "CMake configuration failed"
  fh_say "building $FH_BUILD_DIR"
  cmake --build "$FH_BUILD_DIR" -j "$(nproc 2>/dev/null || echo 2)" || fh_die "build failed"
  [[ -f $FH_PLUGIN ]] || fh_die "the build did not produce $FH_PLUGIN"
  [[ -x $FH_CHECK ]] || fh_die "the build did not produce $FH_CHECK"
  [[ -x $FH_CLANGD_PROXY ]] || fh_die "the build did not produce $FH_CLANGD_PROXY"
  [[ -f $FH_TIDY_MODULE ]] || fh_die "the build did not produce $FH_TIDY_MODULE"
  fh_say "built $FH_PLUGIN, $FH_CHECK, $FH_CLANGD_PROXY and $FH_TIDY_MODULE"
}

fh_setup() {
  FH_LLVM_VERSION=${LLVM_VERSION:-$FH_DEFAULT_LLVM_VERSION}
  [[ $FH_LLVM_VERSION =~ ^[0-9]+$ ]] || fh_die "LLVM_VERSION must be a major version number such as 22 or 14, not '$FH_LLVM_VERSION'"
  FH_LLVM_PREFIX=/usr/lib/llvm-$FH_LLVM_VERSION
  if [[ -n ${BUILD_DIR:-} ]]; then
    [[ $BUILD_DIR == /* ]] && FH_BUILD_DIR=$BUILD_DIR || FH_BUILD_DIR=$PWD/$BUILD_DIR
  elif [[ $FH_LLVM_VERSION == "$FH_DEFAULT_LLVM_VERSION" ]]; then
    FH_BUILD_DIR=$FH_ROOT/build
  else
    FH_BUILD_DIR=$FH_ROOT/build-llvm$FH_LLVM_VERSION
  fi
  FH_PLUGIN=$FH_BUILD_DIR/lib/ForkHazard.so
  FH_CHECK=$FH_BUILD_DIR/bin/fork-hazard-check
  FH_CLANGD_PROXY=$FH_BUILD_DIR/bin/fork-hazard-clangd
  FH_TIDY_MODULE=$FH_BUILD_DIR/lib/ForkHazardTidy.so
  fh_install_missing
  fh_configure_and_build
}
