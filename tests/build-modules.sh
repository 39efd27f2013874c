#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# build-modules.sh [-o DIR] KVER [make args...]
#
# Build mtest.ko and maptest.ko for kernel KVER in a private copy of src/
# (DIR/src, default build/kernels/KVER/src), so that several kernels, and
# lint builds, can be built side by side without clobbering src/ with
# objects. Prints the paths of the built .ko files on stdout; the kbuild
# log goes to stderr.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
out=
if [ "${1:-}" = -o ]; then
	out=$2
	shift 2
fi
[ $# -ge 1 ] || { echo "usage: $0 [-o DIR] KVER [make args...]" >&2; exit 2; }
kver=$1
shift
kdir=/lib/modules/$kver/build
[ -d "$kdir" ] || { echo "build-modules: no headers for $kver ($kdir)" >&2; exit 1; }
[ -f "$top/src/Kbuild" ] || { echo "build-modules: $top/src/Kbuild missing" >&2; exit 1; }
out=${out:-$top/build/kernels/$kver}
mkdir -p "$out"
out=$(cd "$out" && pwd)

# A fresh copy every time: a file deleted from src/ must not linger here.
rm -rf "$out/src"
cp -a "$top/src" "$out/src"
# Objects from an in-tree "make modules" would make kbuild skip our build.
find "$out/src" \( -name '*.o' -o -name '*.ko' -o -name '*.mod' -o -name '*.mod.c' \
	-o -name '.*.cmd' -o -name 'Module.symvers' -o -name 'modules.order' \) -delete

make -C "$kdir" M="$out/src" -j"${MEMLAB_JOBS:-2}" "$@" modules >&2

kos=$(find "$out/src" -name '*.ko' | sort)
[ -n "$kos" ] || { echo "build-modules: no .ko built for $kver" >&2; exit 1; }
echo "$kos"
