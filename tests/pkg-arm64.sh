#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# pkg-arm64.sh (make pkg-arm64) [ID...]: the Debian packages installed on an arm64 Debian
# system, where DKMS builds memlab natively. The system is a chroot of
# Debian trixie for arm64 (default kernels: the trixie arm64 ones of
# kernels/kernels.conf with the "arm64" flavour, $MEMLAB_ARM64_KERNELS), run
# on this x86-64 machine through qemu-user and binfmt_misc: every program
# in it, dkms, gcc and kbuild included, is an arm64 program. In a copy of
# the cached tree, offline:
#   - apt install of memlab-dkms and the arm64 memlab-utils (cross-built,
#     packaging/deb-build.sh arm64) succeeds;
#   - DKMS built mtest and maptest for every kernel, as aarch64 modules
#     whose vermagic is that kernel's;
#   - the arm64 memlab runs;
#   - apt purge leaves no module, no DKMS tree and no source behind.
# Loading the modules needs an arm64 kernel: the VM suite boots them
# (tests/vm.sh 6.12-arm64). TAP, closed by "arm64: N passed,
# N failed".
#
# The tree: $(memlab_cache)/pkg/trixie-arm64-chroot/rootfs (mmdebstrap
# --variant=apt with dkms, gcc, make, kmod, file, xz-utils and the kernels'
# headers; several minutes under emulation, then cached). With
# MEMLAB_REUSE_DEBS=1 the packages that tests/pkg-deb.sh just built
# (build/deb, build/deb-arm64) are used; otherwise they are built here.
# binfmt_misc is mounted and qemu-user-static's aarch64 handler registered
# if they are not; a kernel without binfmt_misc skips the tier.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/pkg/lib.sh"
TAP_TIER=arm64
rel=trixie
work=$top/build/pkg/arm64-test
cache=$(memlab_cache)/pkg/$rel-arm64-chroot
binfmt=/proc/sys/fs/binfmt_misc
t0=$(date +%s)

unmount_all() { unmount_under "$work"; }
finish() {
	unmount_all
	echo "# arm64-test: $(($(date +%s) - t0)) s"
	tap_summary
	exit
}
trap unmount_all EXIT
trap 'unmount_all; exit 130' INT TERM

echo "TAP version 13"
ids=${*:-${MEMLAB_ARM64_KERNELS:-$(MEMLAB_KERNELS= kernels_each |
	awk -v r="$rel" '$3 == r && $2 == "arm64" { print $1 }')}}

# --- the emulation -------------------------------------------------------
host_install qemu-user-static mmdebstrap file xz-utils
if ! grep -qw binfmt_misc /proc/filesystems; then
	tap_skip "arm64 programs run through binfmt_misc" "this kernel has no binfmt_misc"
	finish
fi
binfmt_aarch64() {
	[ -e "$binfmt/register" ] || mount -t binfmt_misc binfmt_misc "$binfmt" || return 1
	if [ ! -e "$binfmt/qemu-aarch64" ]; then
		# F: the interpreter is opened now, so it works inside chroots.
		grep -v '^#' /usr/lib/binfmt.d/qemu-aarch64.conf >"$binfmt/register" || return 1
	fi
	grep -qx enabled "$binfmt/qemu-aarch64"
}
tap_check "binfmt_misc runs aarch64 programs with qemu-user-static" binfmt_aarch64
[ "$fail" -eq 0 ] || finish

# --- the packages ----------------------------------------------------------
debs=$top/build/deb
debs_arm64=$top/build/deb-arm64
dkms_deb=$debs/memlab-dkms_${ver}-1_all.deb
utils_deb=$debs_arm64/memlab-utils_${ver}-1_arm64.deb
if [ "${MEMLAB_REUSE_DEBS:-0}" != 1 ] || [ ! -f "$dkms_deb" ] || [ ! -f "$utils_deb" ]; then
	tap_check "memlab-dkms built" "$top/packaging/deb-build.sh"
	tap_check "memlab-utils cross-built for arm64" "$top/packaging/deb-build.sh" arm64
fi
[ -f "$dkms_deb" ] && [ -f "$utils_deb" ] || finish

# --- the arm64 tree, cached ------------------------------------------------
kvers=
for id in $ids; do
	v=$(kernel_version "$id")
	[ -n "$v" ] || { "$top/kernels/buildroot.sh" "$rel" arm64 >/dev/null && v=$(kernel_version "$id"); }
	# Ids that boot one kernel with other paging levels share it.
	case " $kvers " in *" $v "*) ;; *) kvers="$kvers $v" ;; esac
done
suites=$(for id in $ids; do kernel_field "$id" 4; done | sort -u)
pkgs="dkms gcc make libc6-dev kmod file xz-utils"
for v in $kvers; do
	pkgs="$pkgs linux-headers-$v"
done

tree() {
	cache_lock "$cache" 8
	stamp=$(cache_stamp arm64-chroot-v1 $pkgs $suites)
	if cache_fresh "$cache" "$stamp" "$cache/rootfs/usr"; then
		return 0
	fi
	src=$(mktemp)
	mirror_sources "$rel" $suites >"$src"
	rm -rf "$cache/rootfs.new"
	mmdebstrap --mode=root --variant=apt --architectures=arm64 \
		--aptopt='Acquire::Check-Valid-Until "false"' \
		--include="$(echo $pkgs | tr ' ' ',')" \
		"$rel" "$cache/rootfs.new" "$src" >"$cache/mmdebstrap.log" 2>&1 ||
		{ rm -f "$src"; tail -n 20 "$cache/mmdebstrap.log"; return 1; }
	rm -f "$src"
	rm -rf "$cache/rootfs"
	mv "$cache/rootfs.new" "$cache/rootfs"
	cache_done "$cache" "$stamp"
}
tap_check "a Debian $rel arm64 tree with dkms and the headers of$kvers" tree
[ "$fail" -eq 0 ] || finish

unmount_all
rm -rf --one-file-system "$work"
mkdir -p "$work"
flock -s "$cache/.lock" cp -a --reflink=auto "$cache/rootfs" "$work/root"
root=$work/root
mkdir -p "$root/root/memlab-debs"
cp "$dkms_deb" "$utils_deb" "$root/root/memlab-debs/"
mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
in_root() {
	chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C.UTF-8 \
		DEBIAN_FRONTEND=noninteractive "$@"
}

# --- install: DKMS builds for every kernel ---------------------------------
# From here on a failed check is a "not ok", never the end of the script.
set +e
rc=0
in_root apt-get install -y -q -o Dpkg::Use-Pty=0 /root/memlab-debs/memlab-dkms_${ver}-1_all.deb \
	/root/memlab-debs/memlab-utils_${ver}-1_arm64.deb >"$work/install.log" 2>&1 || rc=$?
tap $rc "apt install memlab-dkms and memlab-utils (arm64), offline"
[ $rc -eq 0 ] || tail -n 30 "$work/install.log" | tap_diag
# What the postinst told the user, kernel by kernel.
grep -i 'memlab' "$work/install.log" | grep -iv '^\(Preparing\|Unpacking\|Selecting\|Setting up\)' |
	tail -n 8 | tap_diag
st=$(in_root dpkg-query -W -f='${Status};' memlab-dkms memlab-utils 2>&1 || :)
[ "$st" = "install ok installed;install ok installed;" ]
tap $? "memlab-dkms and memlab-utils configured"
[ "$fail" -eq 0 ] || finish

# module_elf KVER NAME: the module as an ELF file (DKMS may compress it).
module_elf() {
	f=$(ls "$root/lib/modules/$1/updates/dkms/$2.ko"* 2>/dev/null | head -n 1)
	[ -n "$f" ] || return 1
	case $f in
	*.xz) xz -dc "$f" ;;
	*.zst) zstd -dcq "$f" ;;
	*) cat "$f" ;;
	esac
}
for v in $kvers; do
	for m in mtest maptest; do
		module_elf "$v" "$m" >"$work/$m-$v.ko" 2>/dev/null
		file -b "$work/$m-$v.ko" | grep -q 'ELF 64-bit LSB relocatable, ARM aarch64'
		tap $? "$v: DKMS built $m.ko, an aarch64 module"
		magic=$(in_root modinfo -F vermagic "$(ls "$root/lib/modules/$v/updates/dkms/$m.ko"* 2>/dev/null |
			head -n 1 | sed "s|^$root||")" 2>/dev/null || :)
		case $magic in
		"$v "*) emit ok "$v: $m.ko's vermagic names the kernel" ;;
		*) emit "not ok" "$v: $m.ko's vermagic names the kernel"; echo "vermagic: $magic" | tap_diag ;;
		esac
	done
	in_root dkms status -m memlab -k "$v" | grep -q "installed"
	tap $? "$v: dkms status: installed"
done
out=$(in_root memlab --version 2>&1)
case $out in
*"$ver"*) emit ok "the arm64 memlab runs ($out)" ;;
*) emit "not ok" "the arm64 memlab runs"; echo "$out" | tap_diag ;;
esac

# --- purge: nothing left ---------------------------------------------------
in_root apt-get purge -y -q -o Dpkg::Use-Pty=0 memlab-dkms memlab-utils >"$work/purge.log" 2>&1
tap $? "apt purge memlab-dkms memlab-utils"
left=$(cd "$root" && ls -d usr/src/memlab-* var/lib/dkms/memlab lib/modules/*/updates/dkms/mtest.ko* \
	lib/modules/*/updates/dkms/maptest.ko* usr/bin/memlab 2>/dev/null || :)
[ -z "$left" ]
tap $? "purge leaves no source, DKMS tree, module or program${left:+ (left: $left)}"

unmount_all
[ "$fail" -ne 0 ] || rm -rf --one-file-system "$work/root"
finish
