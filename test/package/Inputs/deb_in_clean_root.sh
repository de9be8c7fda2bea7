#!/bin/bash
# deb_in_clean_root.sh DEB LLVM_VERSION WORKDIR: installs DEB with `apt-get install ./DEB` in a
# minimal Debian 12 root (debootstrap --variant=minbase, made once and cached in
# $FORK_HAZARD_TEST_ROOT_CACHE, default /var/cache/fork-hazard-test-root) and uses it from /usr:
# the plugin in clang, the CLI over a compile database, the clang-tidy module, the CMake package.
# Run as root (chroot). Prints what it does; exit 0 = every step worked.
set -euo pipefail
deb=$1 version=$2 work=$3
cache=${FORK_HAZARD_TEST_ROOT_CACHE:-/var/cache/fork-hazard-test-root}
here=$(cd "$(dirname "$0")" && pwd)

if [[ ! -x $cache/bin/bash ]]; then
  command -v debootstrap >/dev/null || { apt-get update -qq; apt-get install -y -qq debootstrap >/dev/null; }
  uri=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
  echo "making a minimal Debian 12 root in $cache (once)"
  rm -rf "$cache.tmp"
  debootstrap --variant=minbase bookworm "$cache.tmp" "${uri:-http://deb.debian.org/debian}" > "$work/debootstrap.log" 2>&1 ||
    { tail -20 "$work/debootstrap.log"; exit 1; }
  mv "$cache.tmp" "$cache"
fi

root=$work/root
# Unmount first: a root removed with /dev still bound into it would take the host's /dev along.
cleanup() {
  for m in dev/pts dev proc; do umount "$root/$m" 2>/dev/null || true; done
  mountpoint -q "$root/dev" || rm -rf --one-file-system "$root"
}
trap cleanup EXIT
cp -a "$cache/." "$root/"
# The same package sources as this machine (they provide LLVM $version).
rm -f "$root/etc/apt/sources.list"
cp /etc/apt/sources.list.d/*.sources "$root/etc/apt/sources.list.d/" 2>/dev/null || true
[[ -f /etc/apt/sources.list ]] && cp /etc/apt/sources.list "$root/etc/apt/"
cp /etc/resolv.conf "$root/etc/resolv.conf"
mount --bind /proc "$root/proc"; mount --bind /dev "$root/dev"; mount --bind /dev/pts "$root/dev/pts"
mkdir -p "$root/check"
cp "$deb" "$root/check/"
cp -r "$here/consumer" "$root/check/consumer"

# A clean environment: the caller's (lit's TMPDIR, PATH) means nothing inside the root.
chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TMPDIR=/tmp LC_ALL=C \
  /bin/bash -euo pipefail -c "
export DEBIAN_FRONTEND=noninteractive
cd /check
echo '== apt-get install ./$(basename "$deb")'
apt-get update -qq
apt-get install -y -qq ./$(basename "$deb") cmake make > install.log 2>&1 || { tail -30 install.log; exit 1; }
dpkg -s fork-hazard | grep -E '^(Status|Version):'
echo '== the plugin, from /usr/lib/fork-hazard'
clang-$version -fplugin=/usr/lib/fork-hazard/ForkHazard.so -fsyntax-only -fno-color-diagnostics consumer/src/spawn.c 2>&1 | grep 'fork-hazard-'
echo '== fork-hazard-check, from /usr/bin'
printf '[{\"directory\": \"/check/consumer/src\", \"file\": \"spawn.c\", \"arguments\": [\"cc\", \"-c\", \"spawn.c\"]}]' > consumer/src/compile_commands.json
status=0; fork-hazard-check -p consumer/src --quiet > cli.txt || status=\$?
grep 'fork-hazard-' cli.txt; echo \"exit status \$status\"
echo '== the clang-tidy module'
clang-tidy-$version --load=/usr/lib/fork-hazard/ForkHazardTidy.so -checks='-*,fork-hazard-*' consumer/src/spawn.c -- 2>/dev/null | grep 'fork-hazard-'
echo '== the CMake package'
cmake -S consumer -B consumer-build -DCMAKE_C_COMPILER=clang-$version > cmake.log
cmake --build consumer-build 2>&1 | grep 'fork-hazard-'
echo '== fork-hazard-clangd --help'
fork-hazard-clangd --help | head -n 1
"
