#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# deb-build.sh: build memlab's Debian source and binary packages from a clean
# copy of the tree in build/deb/ (the work tree stays untouched). Prints the
# directory that holds the .debs. Installs the build dependencies if needed.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
out=$top/build/deb
ver=$(cat "$top/VERSION")

need() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }
missing=
for p in build-essential debhelper dpkg-dev fakeroot lintian; do
	need "$p" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >&2
fi

# Tracked and new (not ignored) files: what a clean clone of this tree holds.
rm -rf "$out"
mkdir -p "$out/memlab-$ver"
(cd "$top" && git ls-files -z --cached --others --exclude-standard |
	xargs -0 sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh |
	cpio -0pdm --quiet "$out/memlab-$ver")
tar -C "$out" --exclude="memlab-$ver/debian" -czf "$out/memlab_$ver.orig.tar.gz" "memlab-$ver"

(cd "$out/memlab-$ver" && dpkg-buildpackage -us -uc -j2) >"$out/build.log" 2>&1 ||
	{ tail -n 40 "$out/build.log" >&2; exit 1; }
echo "$out"
