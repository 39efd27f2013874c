#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# image.sh [RELEASE]: build (once) and print the path of a cached Debian root
# filesystem of RELEASE (default bookworm) used to test the memlab packages.
#
#   root=$(tests/pkg/image.sh trixie)     # prints the rootfs directory
#
# Where it lives, $(memlab_cache)/pkg/RELEASE-amd64/ (kernels/lib.sh;
# stable, shared by the deb and rpm tests, survives make clean):
#   rootfs/    the tree
#   kernels    its kernels, one "uname -r" per line, oldest first
#   ids        the same as "id uname-r" lines (the ids of kernels/kernels.conf)
#   stash/     the .debs that install the newest kernel and its headers,
#              for a test that removes it and installs it again offline
#   stamp      what it was made from
# The tree is PRISTINE: never install into it. Copy it first
# (cp -a --reflink=auto ROOTFS WORK), then chroot / rpm --root / boot the copy,
# holding the lock shared while copying (flock -s RELEASE-amd64/.lock).
#
# It holds systemd (PID 1), udev, dbus, kmod, the release's dkms and gcc,
# make, openssl (dkms-autopkgtest wants it), initramfs-tools, e2fsprogs (fsck
# of the root at boot), passwd, and every amd64 kernel of kernels/kernels.conf
# whose release column is RELEASE, with its headers and its initramfs. The
# version of each is the one kernels/buildroot.sh resolved (the newest ABI
# of the series in its suite). Apt lists are not kept: installs into it are
# offline.
#
# The mirror is the one already in this machine's apt sources
# (kernels/mirror.sh). Rebuilt when its package list changes, or with
# MEMLAB_REFRESH=1. Needs root (mmdebstrap --mode=root); serialised with
# flock.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/kernels/lib.sh"
. "$top/kernels/mirror.sh"
. "$top/kernels/cache.sh"

rel=${1:-bookworm}
arch=amd64
cache=$(memlab_cache)/pkg/$rel-$arch
log() { echo "image: $rel: $*" >&2; }

# "id suite" of the release's kernels, in the list's order (oldest first).
lines=$(MEMLAB_KERNELS= kernels_each | awk -v r="$rel" -v a="$arch" '$3 == r && $2 == a { print $1, $4 }')
[ -n "$lines" ] || { log "no $arch kernel of $rel in kernels/kernels.conf"; exit 1; }

# The versions: the build root resolves them (and caches the answer).
"$top/kernels/buildroot.sh" "$rel" "$arch" >/dev/null
# A kernel the archive could not deliver is left out (buildroot.sh says why).
ids=$(printf '%s\n' "$lines" | while read -r id suite; do
	v=$(kernel_version "$id")
	[ -n "$v" ] && echo "$id $v"
done)
[ -n "$ids" ] || { log "the build root resolved none of its kernels"; exit 1; }
newest=$(printf '%s\n' "$ids" | tail -n 1 | cut -d' ' -f2)
newest_suite=$(printf '%s\n' "$lines" | awk -v id="$(printf '%s\n' "$ids" | tail -n 1 | cut -d' ' -f1)" '$1 == id { print $2 }')
pkgs="systemd systemd-sysv udev dbus kmod dkms gcc make libc6-dev
      initramfs-tools e2fsprogs passwd procps xz-utils zstd openssl"
# Each kernel as the build root resolved it: its image package may be the
# -unsigned one while the signed build lags.
newest_img=
for id in $(printf '%s\n' "$ids" | cut -d' ' -f1); do
	v=$(kernel_version "$id")
	img=$(kernel_image_pkgs "$id")
	if [ "$v" = "$newest" ]; then
		newest_img=$img
	else
		pkgs="$pkgs $img linux-headers-$v"
	fi
done

cache_lock "$cache"

stamp=$(cache_stamp "image-v3" $pkgs "$newest" $newest_img "$newest_suite")
if cache_fresh "$cache" "$stamp" "$cache/rootfs/usr"; then
	echo "$cache/rootfs"
	exit 0
fi

command -v mmdebstrap >/dev/null || {
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mmdebstrap >&2
}

# The newest kernel is installed from a stash of its .debs, which is kept:
# the kernel-upgrade test removes it and installs it again offline.
cat >"$cache/newest.sh" <<'HOOK'
#!/bin/sh
# Runs inside the new tree (chroot): stash and install kernel $1 (image
# packages $3...) from suite $2 (backports need -t: the kernel needs their
# linux-base).
set -eu
export DEBIAN_FRONTEND=noninteractive
mkdir -p /var/cache/memlab-stash/partial
v=$1
s=$2
shift 2
apt-get install -y -q --download-only -o Dir::Cache::Archives=/var/cache/memlab-stash/ \
	-t "$s" "$@" "linux-headers-$v" >&2
apt-get install -y -q /var/cache/memlab-stash/*.deb >&2
HOOK

log "building in $cache (kernels: $(echo $ids)), a few minutes"
src=$(mktemp)
trap 'rm -f "$src"' EXIT
mirror_sources "$rel" $(printf '%s\n' "$lines" | awk '{ print $2 }' | sort -u) >"$src"
rm -rf "$cache/rootfs.new" "$cache/stash.new"
# The mirror may serve a snapshot whose Release files have expired.
mmdebstrap --mode=root --variant=minbase --architectures="$arch" \
	--aptopt='Acquire::Check-Valid-Until "false"' \
	--include="$(echo $pkgs | tr ' ' ',')" \
	--customize-hook="cp '$cache/newest.sh' \"\$1/root/newest.sh\"" \
	--customize-hook="chroot \"\$1\" sh /root/newest.sh '$newest' '$newest_suite' $newest_img" \
	--customize-hook="mkdir -p '$cache/stash.new' && mv \"\$1\"/var/cache/memlab-stash/*.deb '$cache/stash.new/'" \
	--customize-hook='rm -rf "$1/var/cache/memlab-stash" "$1/root/newest.sh"' \
	--customize-hook='echo memlab-test >"$1/etc/hostname"' \
	--customize-hook='printf "/dev/vda / ext4 rw,errors=remount-ro 0 0\n" >"$1/etc/fstab"' \
	"$rel" "$cache/rootfs.new" "$src" >&2

# Each kernel must come with its headers and initramfs, or the test is moot.
for v in $(printf '%s\n' "$ids" | cut -d' ' -f2); do
	# Inside the tree: the build link is absolute.
	for f in "/boot/initrd.img-$v" "/lib/modules/$v/build/Makefile"; do
		chroot "$cache/rootfs.new" test -e "$f" || { log "missing $f"; exit 1; }
	done
	chroot "$cache/rootfs.new" test -e "/boot/vmlinuz-$v" ||
		chroot "$cache/rootfs.new" test -e "/lib/modules/$v/vmlinuz" || { log "no vmlinuz for $v"; exit 1; }
done
rm -rf "$cache/rootfs" "$cache/stash"
mv "$cache/rootfs.new" "$cache/rootfs"
mv "$cache/stash.new" "$cache/stash"
printf '%s\n' "$ids" >"$cache/ids"
printf '%s\n' "$ids" | cut -d' ' -f2 >"$cache/kernels"
cache_done "$cache" "$stamp"
log "ready: $(echo $ids)"
echo "$cache/rootfs"
