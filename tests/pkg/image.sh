#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# image.sh: build (once) and print the path of a cached Debian bookworm root
# filesystem used to test the memlab packages.
#
#   root=$(tests/pkg/image.sh)     # prints the rootfs directory, last line
#
# Where it lives (stable, shared by the deb and rpm tests, survives make clean):
#   ${MEMLAB_IMAGE_CACHE:-/var/cache/memlab}/bookworm/rootfs/   the tree
#   ${MEMLAB_IMAGE_CACHE:-/var/cache/memlab}/bookworm/kernels   its kernels,
#                                                 one "uname -r" per line
#   ${MEMLAB_IMAGE_CACHE:-/var/cache/memlab}/bookworm/stamp     what it holds
# The tree is PRISTINE: never install into it. Copy it first
# (cp -a --reflink=auto ROOTFS WORK), then chroot / rpm --root / boot the copy.
#
# It holds systemd (PID 1), udev, dbus, kmod, dkms, gcc, make, initramfs-tools,
# passwd, and two kernels with their headers: 6.1 (linux-image-amd64 from
# bookworm) and the newest 6.12 (bookworm-backports). Each kernel has its own
# initramfs in /boot. Apt lists are not kept: installs into it are offline.
#
# The mirror is the one already in this machine's apt sources (no host name is
# written anywhere). The image is rebuilt when the package list below changes.
# Needs root (mmdebstrap --mode=root); serialised with flock.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
cache=${MEMLAB_IMAGE_CACHE:-/var/cache/memlab}/bookworm
pkgs="systemd systemd-sysv udev dbus kmod dkms gcc make libc6-dev
      initramfs-tools passwd procps xz-utils linux-image-amd64 linux-headers-amd64"

log() { echo "image: $*" >&2; }

need() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }

# The host's Debian stanzas (deb822), keyed on the archive keyring so that
# third-party repositories are left out.
debian_sources() {
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk 'BEGIN { RS = ""; ORS = "\n\n" }
		     /debian-archive-keyring/ && /\nSuites:[^\n]*bookworm/' "$f"
	done
}

kver612() {
	apt-cache pkgnames linux-image-6.12 |
		grep -E '^linux-image-6\.12\.[0-9]+\+deb12-amd64$' | sort -V | tail -n 1 |
		sed 's/^linux-image-//'
}

mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9

need mmdebstrap || {
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mmdebstrap >&2
}

# Backports (for 6.12) come from the host's configuration; install-deps.sh
# enables them from the mirror already configured.
if ! debian_sources | grep -q bookworm-backports || [ -z "$(kver612)" ]; then
	"$top/tests/vm/install-deps.sh" >&2
	apt-get update -qq
fi
v612=$(kver612)
[ -n "$v612" ] || { log "no 6.12 kernel in bookworm-backports"; exit 1; }
pkgs="$pkgs linux-image-$v612 linux-headers-$v612"

stamp=$(printf '%s\n' "image-v1" $pkgs | sha256sum | cut -c1-16)
if [ -f "$cache/stamp" ] && [ "$(cat "$cache/stamp")" = "$stamp" ] && [ -d "$cache/rootfs/usr" ]; then
	echo "$cache/rootfs"
	exit 0
fi

log "building bookworm rootfs in $cache (kernels 6.1 and $v612), a few minutes"
src=$(mktemp)
trap 'rm -f "$src"' EXIT
debian_sources >"$src"
rm -rf "$cache/rootfs.new"
mmdebstrap --mode=root --variant=minbase \
	--include="$(echo $pkgs | tr ' ' ',')" \
	--customize-hook='echo memlab-test >"$1/etc/hostname"' \
	--customize-hook='printf "/dev/vda / ext4 rw,errors=remount-ro 0 0\n" >"$1/etc/fstab"' \
	--customize-hook='ls "$1/lib/modules" >"$1/root/kernels"' \
	bookworm "$cache/rootfs.new" "$src" >&2

# Each kernel must come with its headers and initramfs, or the test is moot.
for k in $(cat "$cache/rootfs.new/root/kernels"); do
	for f in "boot/vmlinuz-$k" "boot/initrd.img-$k" "lib/modules/$k/build/Makefile"; do
		[ -e "$cache/rootfs.new/$f" ] || { log "missing $f"; exit 1; }
	done
done
rm -rf "$cache/rootfs"
mv "$cache/rootfs.new" "$cache/rootfs"
mv "$cache/rootfs/root/kernels" "$cache/kernels"
echo "$stamp" >"$cache/stamp"
log "ready: $(tr '\n' ' ' <"$cache/kernels")"
echo "$cache/rootfs"
