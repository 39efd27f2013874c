#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# build-modules.sh [-o DIR] ID [make args...]
#
# Build mtest.ko and maptest.ko for kernel ID of kernels/kernels.conf, the way
# DKMS does on that kernel's own Debian release: in its build root
# (kernels/buildroot.sh) with the release's gcc-N, make and the kernel's
# headers. The build runs in a private copy of src/ (DIR/src, default
# build/kernels/ID/src), so that kernels and lint builds never clobber each
# other or src/. Prints the paths of the built .ko files on stdout; the
# kbuild log goes to stderr.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/kernels/lib.sh"
out=
if [ "${1:-}" = -o ]; then
	out=$2
	shift 2
fi
[ $# -ge 1 ] || { echo "usage: $0 [-o DIR] ID [make args...]" >&2; exit 2; }
id=$1
shift
rel=$(kernel_field "$id" 3)
[ -n "$rel" ] || { echo "build-modules: no kernel $id in kernels/kernels.conf" >&2; exit 1; }
arch=$(kernel_arch "$(kernel_field "$id" 2)")
gcc=gcc-$(kernel_field "$id" 6)
root=$("$top/kernels/buildroot.sh" "$rel" "$arch")
kver=$(kernel_version "$id")
[ -n "$kver" ] || { echo "build-modules: no kernel $id resolved or built yet" >&2; exit 1; }
# Debian's headers, or the build tree of a kernel built from source
# (bind-mounted at /srv; tests/debug/build-kernel.sh).
kdir=/usr/src/linux-headers-$kver
ksrc=
if kernel_source "$id"; then
	ksrc=$(kernel_dir "$id")/build
	kdir=/srv
	[ -f "$ksrc/Module.symvers" ] || { echo "build-modules: $ksrc is not a built kernel" >&2; exit 1; }
fi

out=${out:-$top/build/kernels/$id}
mkdir -p "$out"
out=$(cd "$out" && pwd)
# A fresh copy every time: a file deleted from src/ must not linger here.
rm -rf "$out/src"
cp -a "$top/src" "$out/src"
# Objects from an in-tree "make modules" would make kbuild skip our build.
find "$out/src" \( -name '*.o' -o -name '*.ko' -o -name '*.mod' -o -name '*.mod.c' \
	-o -name '.*.cmd' -o -name 'Module.symvers' -o -name 'modules.order' \) -delete

# A foreign architecture is cross-built with the release's cross gcc-N.
cross=
if arch_foreign "$arch"; then
	t=$(arch_triplet "$arch")
	gcc=$t-$gcc
	cross="ARCH=$(echo "$arch" | sed 's/^amd64$/x86/') CROSS_COMPILE=$t-"
fi
echo "build-modules: $id = $kver, $rel build root, $gcc" >&2
# A private mount namespace: the bind mounts vanish with the build, and
# builds of several kernels can share one build root at once. /proc is
# needed by objtool from 7.x, /dev by kbuild's /dev/null.
unshare --mount --propagation private sh -eu -c '
	root=$1 out=$2 kdir=$3 ksrc=$4 gcc=$5
	shift 5
	mount --bind "$out" "$root/mnt"
	[ -z "$ksrc" ] || mount --bind "$ksrc" "$root/srv"
	mount -t proc proc "$root/proc"
	mount --bind /dev "$root/dev"
	exec chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C.UTF-8 \
		make -C "$kdir" M=/mnt/src CC="$gcc" -j"${MEMLAB_JOBS:-2}" "$@" modules
' build-modules "$root" "$out" "$kdir" "$ksrc" "$gcc" $cross "$@" >&2

kos=$(find "$out/src" -name '*.ko' | sort)
[ -n "$kos" ] || { echo "build-modules: no .ko built for $id ($kver)" >&2; exit 1; }
echo "$kos"
