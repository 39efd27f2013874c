#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# mkinitramfs.sh ID OUT: build the gzip'd newc initramfs of the test VM for
# kernel ID of kernels/kernels.conf (its release KVER):
#   /init                     tests/vm/guest-init.sh
#   /bin/busybox + applets    busybox-static
#   /lib/modules/KVER/brd.ko  the kernel's ram disk driver (swap), uncompressed
#   /memlab/modules/*.ko      built for ID by kernels/build-modules.sh
#   /memlab/bin/...           build/vm/bin (static: make tools tests LDFLAGS=-static)
#   /memlab/MODE.sh           each tests/vm/guest-MODE.sh (suite, bench, ...):
#                             what memlab.mode=MODE runs
#   /memlab/tap.sh            tests/lib/tap.sh, sourced by both
#   /memlab/matrix.sh         tests/vm/matrix.sh, the permission matrix
# Runs without root: ownership is set by cpio, and /dev/console comes from
# the kernel's built-in initramfs.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/kernels/lib.sh"
[ $# -eq 2 ] || { echo "usage: $0 ID OUT" >&2; exit 2; }
id=$1
out=$2
kver=$(kernel_version "$id")
tree=$(kernel_tree "$id")
kodir=${MEMLAB_KO_DIR:-$top/build/kernels/$id/src}
arch=$(kernel_arch "$(kernel_field "$id" 2)")
bindir=${MEMLAB_VM_BINDIR:-$top/build/vm/bin}
# Another architecture's busybox comes with its build root; its applet
# list is read from this machine's, which can run.
busybox=/bin/busybox
if arch_foreign "$arch"; then
	bb=$(buildroot_dir "$(kernel_field "$id" 3)" "$arch")/busybox
	busybox=$bb/usr/bin/busybox
	[ -f "$busybox" ] || busybox=$bb/bin/busybox
fi
busybox=${MEMLAB_BUSYBOX:-$busybox}
die() { echo "mkinitramfs: $*" >&2; exit 1; }
[ -n "$kver" ] || die "kernel $id has no build root yet (kernels/buildroot.sh)"

is_dynamic() { readelf -l "$1" 2>/dev/null | grep -q 'INTERP'; }

[ -f "$busybox" ] || die "$busybox missing (install busybox-static)"
# The guest has no libc: every program in it must be static.
! is_dynamic "$busybox" || die "$busybox is dynamic (install busybox-static)"
kos=$(find "$kodir" -maxdepth 3 -name '*.ko' 2>/dev/null | sort)
[ -n "$kos" ] || die "no modules in $kodir (run kernels/build-modules.sh $id)"
brd=$(find "$tree/lib/modules/$kver" "$tree/usr/lib/modules/$kver" -name 'brd.ko*' 2>/dev/null | head -n 1)
[ -n "$brd" ] || die "brd.ko not found in $tree"

root=$top/build/vm/initramfs-$id
rm -rf "$root"
mkdir -p "$root/bin" "$root/etc" "$root/proc" "$root/sys" "$root/dev" "$root/tmp" \
	"$root/root" "$root/lib/modules/$kver" "$root/memlab/modules" "$root/memlab/bin"

cp "$busybox" "$root/bin/busybox"
/bin/busybox --list-full | while read -r applet; do
	[ "$applet" != bin/busybox ] || continue
	mkdir -p "$root/$(dirname "$applet")"
	ln -sf /bin/busybox "$root/$applet"
done

# busybox insmod cannot load compressed modules.
case $brd in
*.xz) xz -dc "$brd" ;;
*.zst) zstd -qdc "$brd" ;;
*.gz) gzip -dc "$brd" ;;
*) cat "$brd" ;;
esac >"$root/lib/modules/$kver/brd.ko"

for ko in $kos; do
	cp "$ko" "$root/memlab/modules/"
done

if [ -d "$bindir" ]; then
	cp -a "$bindir/." "$root/memlab/bin/"
	find "$root/memlab/bin" -type f | while read -r f; do
		! is_dynamic "$f" || die "$f is dynamically linked"
	done
fi

cp "$top/tests/vm/guest-init.sh" "$root/init"
chmod 0755 "$root/init"
for f in "$top"/tests/vm/guest-*.sh; do
	name=${f##*/guest-}
	[ "$name" = init.sh ] || cp "$f" "$root/memlab/$name"
done
cp "$top/tests/lib/tap.sh" "$root/memlab/tap.sh"
cp "$top/tests/vm/matrix.sh" "$root/memlab/matrix.sh"

mkdir -p "$(dirname "$out")"
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) | gzip -1 >"$out.tmp"
mv "$out.tmp" "$out"
echo "$out"
