#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# deps.sh (make deps): install what the memlab test suite needs on the
# host, idempotently: QEMU,
# a static busybox for the guest, mmdebstrap for the build roots, python3
# and rsvg-convert (the tool tier checks memlab's JSON and SVG), and
# linux-source-6.1 (checkpatch.pl and the kselftest harness are used from
# it, never copied). The kernels themselves are not installed on the host:
# each comes with its release's build root (kernels/buildroot.sh), made
# here for every kernel in kernels/kernels.conf (or in $MEMLAB_KERNELS).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/kernels/lib.sh"
. "$top/kernels/host.sh"


pkgs="qemu-system-x86 busybox-static cpio gzip xz-utils zstd gcc make libc6-dev
      perl mmdebstrap linux-source-6.1 binutils util-linux python3
      librsvg2-bin"
# Kernels of another architecture: its QEMU, and a cross compiler for the
# static guest programs (the build roots bring the kernels' own).
for a in $(kernels_each | awk '{ print $2 }' | sort -u); do
	a=$(kernel_arch "$a")
	arch_foreign "$a" || continue
	case $a in
	arm64) pkgs="$pkgs qemu-system-arm gcc-$(arch_triplet "$a") libc6-dev-$a-cross" ;;
	esac
done
host_install $pkgs

# One build root per release (and architecture) in the list, made side by
# side: most of the time goes to downloads and to dpkg, not to the CPUs.
logs=$top/build/deps
mkdir -p "$logs"
pids=
for ra in $(kernels_each | awk '{ print $3 "-" $2 }' | sort -u); do
	rel=${ra%%-*}
	arch=$(kernel_arch "${ra#*-}")
	MEMLAB_RESOLVE=1 "$top/kernels/buildroot.sh" "$rel" "$arch" >"$logs/$rel-$arch.log" 2>&1 &
	pids="$pids $!:$rel-$arch"
done
status=0
for p in $pids; do
	wait "${p%%:*}" || {
		echo "deps: build root ${p#*:} failed:" >&2
		tail -n 20 "$logs/${p#*:}.log" >&2
		status=1
	}
done
[ "$status" -eq 0 ] || exit 1
# Why an ABI was taken or passed over, and the archive warnings.
cat "$logs"/*.log | grep -E '^(resolve|buildroot): ' | grep -vE ': building|^buildroot: [^:]*: [^ ]+: [^ ]+$' || :
echo "deps: all present"
