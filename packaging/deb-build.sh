#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# deb-build.sh [--version V] [ARCH]: build memlab's Debian packages from a
# clean copy of the tree. Prints the directory that holds the .debs. The
# work tree stays untouched.
#
# --version V: release V of the same sources (bump-version.sh on the copy),
# into build/deb-V/ (build/deb-V-ARCH/): how the upgrade tier makes N+1.
#
# Without ARCH (or with this machine's): the source and every binary
# package, in build/deb/, with the host's toolchain; installs the build
# dependencies if needed.
#
# With another ARCH (arm64): memlab-utils cross-built for it with
# dpkg-buildpackage -aARCH -B, in build/deb-ARCH/. The cross build runs in
# a cached bookworm chroot, $(memlab_cache)/pkg/cross-ARCH/rootfs, holding
# crossbuild-essential-ARCH, debhelper and libc6-dev:ARCH (dpkg-shlibdeps
# reads the target's libc from dpkg, which the host's libc6-dev-ARCH-cross
# does not register); the host's dpkg architectures stay as they are.
# Rebuilt when its package list changes, or with MEMLAB_REFRESH=1.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/kernels/lib.sh"
. "$top/kernels/mirror.sh"
. "$top/kernels/host.sh"
. "$top/kernels/cache.sh"
ver=$(cat "$top/VERSION")
out=$top/build/deb
if [ "${1:-}" = --version ]; then
	ver=$2
	out=$top/build/deb-$ver
	shift 2
fi
arch=${1:-$(dpkg --print-architecture)}
arch_foreign "$arch" && out=$out-$arch

tools="build-essential debhelper dpkg-dev fakeroot lintian"
arch_foreign "$arch" && tools="$tools mmdebstrap"
host_install $tools

# Tracked and new (not ignored) files: what a clean clone of this tree holds.
rm -rf "$out"
mkdir -p "$out/memlab-$ver"
(cd "$top" && git ls-files -z --cached --others --exclude-standard |
	xargs -0 sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh |
	cpio -0pdm --quiet "$out/memlab-$ver")
sh "$top/packaging/bump-version.sh" "$out/memlab-$ver" "$ver"
sh "$top/packaging/versions.sh" "$out/memlab-$ver" >/dev/null

if ! arch_foreign "$arch"; then
	tar -C "$out" --exclude="memlab-$ver/debian" -czf "$out/memlab_$ver.orig.tar.gz" "memlab-$ver"
	(cd "$out/memlab-$ver" && dpkg-buildpackage -us -uc -j2) >"$out/build.log" 2>&1 ||
		{ tail -n 40 "$out/build.log" >&2; exit 1; }
	echo "$out"
	exit 0
fi

# --- the cross chroot --------------------------------------------------------
native=$(dpkg --print-architecture)
cache=$(memlab_cache)/pkg/cross-$arch
pkgs="build-essential crossbuild-essential-$arch debhelper fakeroot libc6-dev:$arch"
cache_lock "$cache"
stamp=$(cache_stamp cross-v1 $pkgs)
if ! cache_fresh "$cache" "$stamp" "$cache/rootfs/usr"; then
	echo "deb-build: making the $arch cross chroot in $cache (a few minutes)" >&2
	src=$(mktemp)
	mirror_sources bookworm >"$src"
	rm -rf "$cache/rootfs.new"
	# The mirror may serve a snapshot whose Release files have expired.
	mmdebstrap --mode=root --variant=apt --architectures="$native,$arch" \
		--aptopt='Acquire::Check-Valid-Until "false"' \
		--include="$(echo $pkgs | tr ' ' ',')" \
		bookworm "$cache/rootfs.new" "$src" >"$cache/mmdebstrap.log" 2>&1 ||
		{ rm -f "$src"; tail -n 20 "$cache/mmdebstrap.log" >&2; exit 1; }
	rm -f "$src"
	rm -rf "$cache/rootfs"
	mv "$cache/rootfs.new" "$cache/rootfs"
	cache_done "$cache" "$stamp"
fi

# The build happens in a copy of the source inside the chroot, as nobody
# would build as root: dpkg-buildpackage's fakeroot does the rest.
work=$cache/rootfs/build/memlab
rm -rf "$work"
mkdir -p "$work"
cp -a "$out/memlab-$ver" "$work/"
if ! chroot "$cache/rootfs" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C.UTF-8 \
	sh -c "cd /build/memlab/memlab-$ver && dpkg-buildpackage -a$arch -B -us -uc -j2" \
	>"$out/build.log" 2>&1; then
	tail -n 40 "$out/build.log" >&2
	exit 1
fi
cp "$work"/*.deb "$work"/*.changes "$work"/*.buildinfo "$out/"
rm -rf "$work"
echo "$out"
