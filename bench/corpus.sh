#!/bin/bash
# The benchmark corpus (issue 8): fetches real Debian 12 (bookworm) source packages that fork a
# lot, configures each minimally, builds it once with clang-22 under `bear` and leaves a
# compile_commands.json per package, rewritten for the replay (bench/replay.py).
#
#   bash bench/corpus.sh                 # every package in $FH_CORPUS_PACKAGES (default list below)
#   bash bench/corpus.sh dash tmux       # only these
#   FH_CORPUS=/some/dir bash bench/corpus.sh
#
# Everything goes to $FH_CORPUS (default /var/cache/fork-hazard-corpus), never into the repository:
#   apt/            a private apt configuration: sources.list with deb + deb-src lines, lists, caches
#   src/<pkg>/      `apt-get source` output (Debian patches applied) and the build tree
#   db/<pkg>.json   the rewritten compilation database (C files only, compiler clang-22, deduplicated)
#   logs/<pkg>.log  configure + build log
#   corpus.tsv      package, version, TUs (one line per package; the replay reads db/)
#
# The system's apt configuration is never edited: every apt-get call gets
# `-o Dir::Etc::sourcelist=$FH_CORPUS/apt/sources.list -o Dir::Etc::sourceparts=- ...`.
# The packages a build needs (BUILD_DEPS below, a short list instead of the full `apt-get build-dep`,
# which would pull in GTK, systemd development files, ...) are installed on the system with
# apt-get install. Needs root (or sudo) for that; re-running skips packages already built
# (delete $FH_CORPUS/db/<pkg>.json to rebuild one).
set -uo pipefail

FH_CORPUS=${FH_CORPUS:-/var/cache/fork-hazard-corpus}
CLANG=${FH_CLANG:-clang-22}
JOBS=${FH_JOBS:-2}
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# Default package list: fork-heavy C programs that build reliably with clang from a minimal config.
DEFAULT_PACKAGES="dash busybox util-linux openssh coreutils bash tmux screen lighttpd make-dfsg procps cron"
read -r -a PACKAGES <<<"${*:-${FH_CORPUS_PACKAGES:-$DEFAULT_PACKAGES}}"

# Tools for the corpus itself (and the replay's side-by-side clang-tidy, bench/instructions.py's
# valgrind, bench/plot.py's matplotlib), then the libraries/tools the minimal builds below need
# (recorded here on purpose: this is the whole list).
TOOLS=(dpkg-dev bear make "$CLANG" "${CLANG/clang/clang-tidy}" valgrind python3 python3-matplotlib ca-certificates)
BUILD_DEPS=(
  autoconf automake autopoint libtool pkg-config bison flex gettext texinfo  # autotools projects
  libncurses-dev          # tmux, screen, util-linux, procps, bash (termcap)
  libevent-dev            # tmux
  libssl-dev zlib1g-dev   # openssh
  libpcre2-dev libbz2-dev # lighttpd
  libpam0g-dev            # cron, screen
  libselinux1-dev         # cron (Debian's Makefile enables it)
)

say() { printf '==> %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

mkdir -p "$FH_CORPUS"/{apt/lists/partial,apt/cache/archives/partial,src,db,logs} || die "cannot create $FH_CORPUS"

# ---- private apt configuration ------------------------------------------------------------------
# The mirror: the first URIs line of the system's deb822 sources (or sources.list), else Debian's.
mirror=$(sed -n 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v security | head -n 1)
[[ -n $mirror ]] || mirror=$(awk '$1 == "deb" && $0 !~ /security/ {for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) {print $i; exit}}' /etc/apt/sources.list 2>/dev/null)
mirror=${mirror:-http://deb.debian.org/debian}
mirror=${mirror%% *}
cat >"$FH_CORPUS/apt/sources.list" <<EOF
deb $mirror bookworm main
deb-src $mirror bookworm main
EOF
APT=(env DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 apt-get -q
  -o "Dir::Etc::sourcelist=$FH_CORPUS/apt/sources.list" -o "Dir::Etc::sourceparts=-"
  -o "Dir::State::Lists=$FH_CORPUS/apt/lists" -o "Dir::Cache=$FH_CORPUS/apt/cache"
  -o "Dir::Cache::pkgcache=" -o "Dir::Cache::srcpkgcache=" -o "APT::Sandbox::User=root")

if [[ ! -f $FH_CORPUS/apt/updated ]] || [[ -n $(find "$FH_CORPUS/apt/updated" -mtime +1) ]]; then
  say "apt-get update (private sources: $mirror, deb + deb-src)"
  as_root "${APT[@]}" update || die "apt-get update with the private sources list failed"
  touch "$FH_CORPUS/apt/updated"
fi

missing=()
for p in "${TOOLS[@]}" "${BUILD_DEPS[@]}"; do
  [[ $(dpkg-query -W -f='${Status}' "$p" 2>/dev/null) == "install ok installed" ]] || missing+=("$p")
done
if ((${#missing[@]})); then
  say "installing: ${missing[*]}"
  # With the system's own sources (bookworm + updates + security), so versions match what is installed.
  sys_apt=(env DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 apt-get -q)
  as_root "${sys_apt[@]}" install -y --no-install-recommends "${missing[@]}" ||
    { as_root "${sys_apt[@]}" update && as_root "${sys_apt[@]}" install -y --no-install-recommends "${missing[@]}"; } ||
    die "could not install ${missing[*]}"
fi

# ---- per-package recipes ------------------------------------------------------------------------
# Each runs in the unpacked source directory with CC=$CLANG exported, and must leave
# compile_commands.json there (written by `bear -- make`). `make -k`: a file that does not build
# with clang does not stop the others (the replay drops TUs that fail without the plugin).
BEAR=(bear --output compile_commands.json --)
MAKE=(make -k -j"$JOBS")
CONF_ENV=(CC="$CLANG" CFLAGS="-O0 -g0 -w")

recipe_dash() { autoreconf -fi && ./configure "${CONF_ENV[@]}" && "${BEAR[@]}" "${MAKE[@]}"; }
recipe_busybox() {
  make defconfig >/dev/null &&
    # Options that need extra libraries or do not build with clang on this system.
    sed -i -e 's/^CONFIG_TC=y/# CONFIG_TC is not set/' -e 's/^CONFIG_FEATURE_TC_INGRESS=y//' .config &&
    yes '' | make oldconfig >/dev/null
  "${BEAR[@]}" "${MAKE[@]}" CC="$CLANG" HOSTCC="$CLANG" KBUILD_VERBOSE=0 EXTRA_CFLAGS=-w
}
recipe_util-linux() {
  # The default set of programs (those whose libraries are missing are left out by configure).
  ./configure "${CONF_ENV[@]}" --without-systemd --without-python --without-udev --without-readline \
    --disable-nls --disable-makeinstall-chown --disable-makeinstall-setuid --without-econf \
    --disable-pylibmount --disable-asciidoc &&
    "${BEAR[@]}" "${MAKE[@]}"
}
recipe_openssh() {
  autoreconf -fi >/dev/null 2>&1
  ./configure "${CONF_ENV[@]}" --without-pam --without-selinux --without-kerberos5 --without-libedit \
    --without-security-key-builtin --without-zlib-version-check &&
    "${BEAR[@]}" "${MAKE[@]}"
}
recipe_coreutils() {
  FORCE_UNSAFE_CONFIGURE=1 ./configure "${CONF_ENV[@]}" --disable-nls --without-selinux --without-openssl \
    --disable-libcap --without-gmp --disable-acl --disable-xattr &&
    touch doc/*.info man/*.1 2>/dev/null
  "${BEAR[@]}" "${MAKE[@]}" MAKEINFO=true HELP2MAN=true
}
recipe_bash() {
  ./configure "${CONF_ENV[@]}" --without-bash-malloc --disable-nls && "${BEAR[@]}" "${MAKE[@]}"
}
recipe_tmux() { ./configure "${CONF_ENV[@]}" && "${BEAR[@]}" "${MAKE[@]}"; }
recipe_screen() {
  [[ -x configure ]] || ./autogen.sh >/dev/null 2>&1 || autoreconf -fi
  # Its configure tests are old C (implicit declarations), errors in clang >= 16: let them pass.
  ./configure CC="$CLANG" CFLAGS="-O0 -g0 -w -Wno-error=implicit-function-declaration -Wno-error=implicit-int -Wno-error=int-conversion" \
    --enable-pam --enable-colors256 && "${BEAR[@]}" "${MAKE[@]}"
}
recipe_lighttpd() {
  [[ -x configure ]] || autoreconf -fi
  ./configure "${CONF_ENV[@]}" --without-zlib --without-bzip2 --with-pcre2 && "${BEAR[@]}" "${MAKE[@]}"
}
recipe_make-dfsg() {
  [[ -x configure ]] || autoreconf -fi
  ./configure "${CONF_ENV[@]}" --disable-nls --without-guile &&
    "${BEAR[@]}" "${MAKE[@]}" MAKEINFO=true
}
recipe_procps() {
  [[ -x configure ]] || ./autogen.sh
  ./configure "${CONF_ENV[@]}" --disable-nls --without-systemd --disable-pidwait --disable-modern-top &&
    "${BEAR[@]}" "${MAKE[@]}"
}
recipe_cron() {
  # Debian's cron: a plain Makefile; debian/rules sets these variables (DEFS is built from them:
  # overriding DEFS itself drops -DDEBUGGING=0 and config.h stops with #error).
  make clean >/dev/null 2>&1
  "${BEAR[@]}" "${MAKE[@]}" CC="$CLANG" OPTIM="-O0 -w" \
    DEBUG_DEFS="-DDEBUGGING=0 -DDEBIAN" PAM_DEFS=-DUSE_PAM PAM_LIBS="-lpam"
}

# Rewrites bear's database for the replay: C sources only, `arguments` form, compiler $CLANG, no -o,
# no dependency-file flags, absolute paths, one entry per file.
rewrite_db() { # rewrite_db PKG SRCDIR
  python3 - "$1" "$2/compile_commands.json" "$FH_CORPUS/db/$1.json" "$CLANG" <<'EOF'
import json, os, shlex, sys
pkg, src, dst, clang = sys.argv[1:5]
entries = json.load(open(src))
out, seen = [], set()
DROP_WITH_ARG = {"-o", "-MF", "-MT", "-MQ"}
DROP = {"-c", "-MD", "-MMD", "-MP", "-M", "-MM", "-S", "-E", "-fsyntax-only", "-Werror", "-pipe"}
for e in entries:
    d = e["directory"]
    f = e["file"] if os.path.isabs(e["file"]) else os.path.normpath(os.path.join(d, e["file"]))
    if not f.endswith(".c") or f in seen or not os.path.exists(f):
        continue
    args = e.get("arguments") or shlex.split(e["command"])
    kept, skip = [], False
    for i, a in enumerate(args[1:], 1):
        if skip:
            skip = False; continue
        if a in DROP_WITH_ARG:
            skip = True; continue
        if a in DROP or a.startswith(("-Werror", "-Wp,-M", "-MF", "-MT", "-MQ")) :
            continue
        if a == e["file"] or os.path.normpath(os.path.join(d, a)) == f:
            continue
        kept.append(a)
    seen.add(f)
    out.append({"directory": d, "file": f, "arguments": [clang] + kept + [f], "package": pkg})
json.dump(out, open(dst, "w"), indent=1)
print(len(out))
EOF
}

# ---- fetch, build, rewrite ----------------------------------------------------------------------
ok=0
for pkg in "${PACKAGES[@]}"; do
  declare -F "recipe_$pkg" >/dev/null || die "no recipe for '$pkg' (known: $DEFAULT_PACKAGES)"
  if [[ -s $FH_CORPUS/db/$pkg.json ]]; then
    say "$pkg: already built ($FH_CORPUS/db/$pkg.json)"; ok=$((ok + 1)); continue
  fi
  log=$FH_CORPUS/logs/$pkg.log
  srcroot=$FH_CORPUS/src/$pkg
  if ! compgen -G "$srcroot/*/debian/control" >/dev/null; then
    say "$pkg: apt-get source"
    rm -rf "$srcroot"; mkdir -p "$srcroot"
    (cd "$srcroot" && "${APT[@]}" source "$pkg" >"$log" 2>&1) || { echo "  apt-get source $pkg failed, see $log"; continue; }
  fi
  dir=$(dirname "$(compgen -G "$srcroot/*/debian/control" | head -n 1)")
  dir=${dir%/debian}
  version=$(cd "$dir" && dpkg-parsechangelog -S Version 2>/dev/null)
  say "$pkg $version: configure + bear -- make -j$JOBS (log: $log)"
  start=$SECONDS
  (cd "$dir" && export CC="$CLANG" && "recipe_$pkg") >>"$log" 2>&1
  [[ -s $dir/compile_commands.json ]] || { echo "  $pkg: no compile_commands.json, see $log"; continue; }
  n=$(rewrite_db "$pkg" "$dir") || { echo "  $pkg: rewriting the database failed"; continue; }
  say "$pkg: $n TUs ($((SECONDS - start)) s)"
  ok=$((ok + 1))
  sed -i "/^$pkg\t/d" "$FH_CORPUS/corpus.tsv" 2>/dev/null
  printf '%s\t%s\t%s\n' "$pkg" "$version" "$n" >>"$FH_CORPUS/corpus.tsv"
done

say "corpus in $FH_CORPUS: $ok of ${#PACKAGES[@]} packages"
sort -o "$FH_CORPUS/corpus.tsv" "$FH_CORPUS/corpus.tsv" 2>/dev/null
awk -F'\t' '{printf "  %-12s %-22s %6d TUs\n", $1, $2, $3; n += $3} END {printf "  total %40d TUs\n", n}' "$FH_CORPUS/corpus.tsv"
