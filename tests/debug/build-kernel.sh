#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# build-kernel.sh [ID]: build (once) the debug kernel of kernels/kernels.conf
# (default the kernel whose modes column says "debug") from Debian's
# linux-source-SERIES package with the host's gcc-N, and cache it in
# $(memlab_cache)/debug/ID:
#   version                         its uname -r
#   tree/boot/vmlinuz-VERSION       the image the VM boots
#   tree/lib/modules/VERSION/...    modules_install output (brd.ko)
#   build/                          the built tree (make -C build M=...)
#
# The configuration is Debian's for that kernel, cut down to the modules
# the test VM loads (localmodconfig: only brd stays a module), plus the
# checkers the debug tier exists for: KASAN, lockdep (PROVE_LOCKING,
# PROVE_RCU), DEBUG_VM, DEBUG_ATOMIC_SLEEP, DEBUG_PAGEALLOC, PAGE_OWNER, and
# GCOV_KERNEL so that a module built with MEMLAB_GCOV=1 reports coverage.
# Debug info is off: it would triple the build and the splats are
# symbolised by kallsyms. A cache whose stamp matches is reused; set
# MEMLAB_REFRESH=1 to rebuild. Needs root (apt-get) and about 25 minutes on
# 2 cores (MEMLAB_JOBS, default 2).
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/kernels/lib.sh"
. "$top/kernels/cache.sh"
id=${1:-$(MEMLAB_KERNELS= kernels_for debug | head -n 1)}
kernel_source "$id" || { echo "build-kernel: $id is not a linux-source kernel" >&2; exit 2; }
series=$(kernel_field "$id" 5)
rel=$(kernel_field "$id" 3)
gcc=gcc-$(kernel_field "$id" 6)
dir=$(kernel_dir "$id")
log() { echo "build-kernel: $id: $*" >&2; }

opts_on="KASAN KASAN_GENERIC KASAN_INLINE PROVE_LOCKING PROVE_RCU DEBUG_VM
	DEBUG_ATOMIC_SLEEP DEBUG_PAGEALLOC DEBUG_PAGEALLOC_ENABLE_DEFAULT
	PAGE_OWNER DEBUG_LIST GCOV_KERNEL DEBUG_INFO_NONE BLK_DEV_RAM"
opts_off="DEBUG_INFO_DWARF5 DEBUG_INFO_DWARF4 DEBUG_INFO_DWARF_TOOLCHAIN_DEFAULT
	DEBUG_INFO_BTF MODULE_SIG_ALL MODULE_SIG_FORCE KASAN_OUTLINE RANDSTRUCT_FULL"
stamp="$series $rel $gcc $(echo $opts_on $opts_off)"

cache_lock "$dir"
if cache_fresh "$dir" "$stamp" "$dir/version"; then
	log "cached: $(cat "$dir/version")"
	exit 0
fi
rm -f "$dir/stamp" "$dir/version"

tarball=/usr/src/linux-source-$series.tar.xz
need="linux-source-$series $gcc make bc bison flex libelf-dev libssl-dev cpio kmod xz-utils"
missing=
for p in $need; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
	log "installing$missing"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing >&2
fi
[ -f "$tarball" ] || { log "$tarball missing"; exit 1; }

# Debian's configuration of the same upstream release, from the build root
# that also builds the modules against this kernel.
"$top/kernels/buildroot.sh" "$rel" >/dev/null
srcver=$(dpkg-query -W -f='${Version}' "linux-source-$series" | sed 's/-.*//')
config=$(ls "$(memlab_cache)"/kernels/amd64/"$srcver"*/boot/config-* 2>/dev/null | head -n 1)
[ -n "$config" ] || { log "no Debian config for $srcver under $(memlab_cache)/kernels"; exit 1; }
log "source $tarball ($srcver), config $config"

rm -rf "$dir/build" "$dir/tree" "$dir/build.tmp"
mkdir -p "$dir/build.tmp"
tar -xJf "$tarball" -C "$dir/build.tmp" --strip-components=1
b=$dir/build.tmp
cp "$config" "$b/.config"
kmake() { make -C "$b" CC="$gcc" HOSTCC="$gcc" LOCALVERSION=-memlab-debug "$@"; }

# Only brd stays a module: the VM loads nothing else.
printf 'brd 16384 0 - Live 0x0\n' >"$b/lsmod"
kmake LSMOD="$b/lsmod" localmodconfig </dev/null >&2
for o in $opts_on; do "$b/scripts/config" --file "$b/.config" -e "$o"; done
for o in $opts_off; do "$b/scripts/config" --file "$b/.config" -d "$o"; done
"$b/scripts/config" --file "$b/.config" -m BLK_DEV_RAM \
	--set-str SYSTEM_TRUSTED_KEYS "" --set-str SYSTEM_REVOCATION_KEYS "" \
	--set-str BUILD_SALT "memlab-debug"
kmake olddefconfig >&2
for o in $opts_on; do
	[ "$o" = BLK_DEV_RAM ] && continue
	grep -q "^CONFIG_$o=y" "$b/.config" || { log "CONFIG_$o did not stick"; exit 1; }
done
grep -q '^CONFIG_BLK_DEV_RAM=m' "$b/.config" || { log "brd is not a module"; exit 1; }

log "building with -j${MEMLAB_JOBS:-2}"
kmake -j"${MEMLAB_JOBS:-2}" bzImage modules >&2
ver=$(kmake -s kernelrelease)
mkdir -p "$dir/tree/boot"
kmake INSTALL_MOD_PATH="$dir/tree" INSTALL_MOD_STRIP=1 modules_install >&2
cp "$b/arch/x86/boot/bzImage" "$dir/tree/boot/vmlinuz-$ver"
cp "$b/.config" "$dir/tree/boot/config-$ver"
find "$dir/tree/lib/modules/$ver" -name 'brd.ko*' | grep -q . || { log "brd.ko not installed"; exit 1; }
mv "$b" "$dir/build"
echo "$ver" >"$dir/version"
cache_done "$dir" "$stamp"
log "done: $ver"
