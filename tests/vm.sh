#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# vm.sh [--demo|--bench|--mode MODE] [ID...]: the "vm" tier (make vm).
#
# Installs the dependencies, builds the static test programs once and the
# modules for each kernel (default: every kernel of kernels/kernels.conf with
# paging levels, or those in $MEMLAB_KERNELS), boots each kernel in QEMU
# (kernels/qemu.sh) with the paging levels its line names, and turns the
# serial log into one TAP stream: every guest "ok N"/"not ok N" line between
# MEMLAB-BEGIN and MEMLAB-END, renumbered and prefixed with the kernel; one
# test per kernel that the VM ran to MEMLAB-END (no timeout, no panic); one
# test per kernel that its log is free of kernel splats (check-log.sh).
# --demo and --bench print the guest's output plainly before the checks.
# Ends with "vm: N passed, N failed[, N skipped]".
#
# A guest script may name the memory and kernel arguments its mode's boot
# needs, in header lines "# memlab-vm-mem: MiB" and "# memlab-vm-append:
# ARGS" (tests/vm/guest-gigantic.sh, tests/vm/guest-forcenever.sh).
#
# MEMLAB_SKIP_DEPS=1 skips deps.sh (check.sh has already run it).
# MEMLAB_VM_TIMEOUT=S limits each boot (default 1200 s); see kernels/qemu.sh
# for MEMLAB_KVM and the other VM settings.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
mode=suite
case ${1:-} in
--demo) mode=demo; shift ;;
--bench) mode=bench; shift ;;
--mode) mode=$2; shift 2 ;;
-*) echo "usage: $0 [--demo|--bench|--mode MODE] [ID...]" >&2; exit 2 ;;
esac
tier=vm
[ "$mode" = suite ] || tier=$mode
vm=build/vm
mkdir -p "$vm"

. "$top/tests/lib/tap.sh"
. "$top/kernels/lib.sh"
diag() { tap_diag "$@"; }
finish() {
	TAP_TIER=$tier tap_summary
	exit
}

echo "TAP version 13"

if [ "${MEMLAB_SKIP_DEPS:-0}" != 1 ]; then
	if ! tests/deps.sh >"$vm/install-deps.log" 2>&1; then
		emit "not ok" "deps.sh"
		diag "$vm/install-deps.log"
		finish
	fi
fi

guest=tests/vm/guest-$mode.sh
if [ ! -f "$guest" ]; then
	echo "vm: no $guest: no guest script for mode $mode" >&2
	emit "not ok" "guest script for mode $mode present"
	finish
fi
# What the mode's boot needs, from its guest script's header lines
# "# memlab-vm-mem: MiB" and "# memlab-vm-append: ARGS", so that
# "--mode M ID" alone runs it as its tier does.
mode_mem=$(sed -n 's/^# memlab-vm-mem: //p' "$guest")
mode_append=$(sed -n 's/^# memlab-vm-append: //p' "$guest")

# static_tools ARCH: the guest has no libc: static programs for ARCH (this
# machine's in build/vm/bin, others cross-built in build/vm/bin-ARCH),
# rebuilt from scratch once per run so that no stale binary of a removed
# test is shipped.
built=
static_tools() {
	case " $built " in *" $1 "*) return 0 ;; esac
	a=$1
	if arch_foreign "$a"; then
		d=$vm/bin-$a
		set -- CC="$(arch_triplet "$a")-gcc"
	else
		d=$vm/bin
		set --
	fi
	rm -rf "$d"
	make -s "$top/build/linux-source-6.1/.extracted" tools tests BINDIR="$top/$d" \
		LDFLAGS=-static "$@" >"$d.log" 2>&1 || return 1
	built="$built $a"
}

# early_failure LOG: true, with the reason on stdout, when the boot failed
# before the guest script began: no MEMLAB-BEGIN, or a kernel splat before
# it (on the console, or in the dmesg dump before the guest's mark) and none
# after it, nor any failed test.
early_failure() {
	tr -d '\r' <"$1" | awk -v early="$1.early" -v late="$1.late" '
		/MEMLAB-BEGIN$/ && part == "" { part = "late"; begun = 1 }
		/^MEMLAB-DMESG-BEGIN$/ { part = "dmesg" }
		/memlab-init: MEMLAB-BEGIN$/ && part == "dmesg" { part = "late" }
		{ print > ((part == "" || part == "dmesg") ? early : late) }
		END { exit !begun }' || {
		kernels/check-log.sh "$1" 2>/dev/null | head -n 1 | cut -c1-160 | grep . ||
			echo "no MEMLAB-BEGIN"
		rm -f "$1.early" "$1.late"
		return 0
	}
	touch "$1.early" "$1.late"
	first=$(kernels/check-log.sh "$1.early" 2>/dev/null | head -n 1)
	_early=1
	if [ -n "$first" ] && kernels/check-log.sh "$1.late" >/dev/null 2>&1 &&
		! grep -q '^not ok ' "$1.late"; then
		echo "$first" | cut -c1-160
		_early=0
	fi
	rm -f "$1.early" "$1.late"
	return $_early
}

[ $# -gt 0 ] || set -- $(kernels_each levels | awk '{ print $1 }')
timeout=${MEMLAB_VM_TIMEOUT:-1200}
# The guest stops its own scenario a minute earlier, so that the dmesg dump survives.
glimit=$((timeout > 120 ? timeout - 60 : timeout / 2))

for id in "$@"; do
	levels=$(kernel_field "$id" 7 | tr -d +)
	flavour=$(kernel_field "$id" 2)
	arch=$(kernel_arch "$flavour")
	case $levels in
	3 | 4 | 5) ;;
	*)
		emit "not ok" "$id: not a kernel the VM suite boots (kernels/kernels.conf)"
		continue
		;;
	esac
	if [ -z "$(kernel_version "$id")" ] && ! kernel_source "$id"; then
		tap_skip "$id: boot" "the archive has no ABI of it with headers and an image"
		continue
	fi
	log=$vm/$id-$mode.log
	initrd=$vm/$id.cpio.gz
	rm -f "$log"
	bindir=$vm/bin
	arch_foreign "$arch" && bindir=$vm/bin-$arch
	if ! static_tools "$arch"; then
		emit "not ok" "$id: build static $arch test programs (make tools tests LDFLAGS=-static)"
		diag "$bindir.log"
		continue
	fi
	if ! kernels/build-modules.sh "$id" >"$vm/$id-modules.log" 2>&1; then
		emit "not ok" "$id: build modules"
		diag "$vm/$id-modules.log"
		continue
	fi
	kver=$(kernel_version "$id")
	if ! MEMLAB_VM_BINDIR=${MEMLAB_VM_BINDIR:-$top/$bindir} \
		tests/vm/mkinitramfs.sh "$id" "$initrd" >"$vm/$id-initramfs.log" 2>&1; then
		emit "not ok" "$id: build initramfs"
		diag "$vm/$id-initramfs.log"
		continue
	fi
	append="loglevel=4 memlab.mode=$mode memlab.levels=$levels memlab.timeout=$glimit"
	# Fewer levels than the kernel would use: x86's 5-level paging off; on
	# arm64, 52-bit VAs off (4K pages: 5 levels to 4; 16K: 4 to 3).
	case $arch:$flavour:$levels in
	amd64:*:4) append="$append no5lvl" ;;
	arm64:arm64:4 | arm64:arm64-16k:3) append="$append arm64.nolva" ;;
	esac
	echo "# $id: $kver, $mode, $levels-level paging"
	boot() {
		rc=0
		kernels/qemu.sh -a "$arch" -t "$timeout" ${mode_mem:+-m "$mode_mem"} \
			-k "$(kernel_vmlinuz "$id")" -i "$initrd" -l "$log" -- \
			$append $mode_append ${MEMLAB_VM_APPEND:-} 2>"$vm/$id-qemu.log" || rc=$?
	}
	boot
	# A boot that went wrong before the guest script began (and so before
	# any memlab module was loaded) is the host's stall, not memlab's: it
	# gets one more boot, and the log says so. Never after MEMLAB-BEGIN.
	if why=$(early_failure "$log"); then
		echo "# $id: the boot failed before memlab was loaded ($why); booting it once more"
		mv "$log" "$log.first"
		boot
	fi

	# One record per line: T<tab>status<tab>name, RC<tab>n, END<tab>1.
	tr -d '\r' <"$log" | awk '
		/MEMLAB-BEGIN$/ && !begun { begun = 1; inside = 1; next }
		/^MEMLAB-END$/ && inside { inside = 0; print "END\t1"; next }
		!inside { next }
		/^#  RUN / { run = $3 }
		/^MEMLAB-RC=/ { sub(/^[^=]*=/, ""); print "RC\t" $0; next }
		/^(not )?ok [0-9]+/ {
			st = ($1 == "not") ? "not ok" : "ok"
			d = $0
			sub(/^(not )?ok [0-9]+ ?(- )?/, "", d)
			# 6.1 harness: a skip reads "ok N # SKIP why", without a name.
			if (d ~ /^#/) d = run " " d
			print "T\t" st "\t" d
			# A failure carries the guest lines printed since the last result.
			for (i = 1; st != "ok" && i <= nb; i++) print "D\t" buf[i]
			nb = 0
			next
		}
		{ if (nb < 60) buf[++nb] = $0 }' >"$vm/$id-$mode.tap"

	# The guest's own output, as comments: its results are counted below.
	if [ "$mode" != suite ]; then
		echo "# ---- $id: $mode output ----"
		tr -d '\r' <"$log" | sed -n '/MEMLAB-BEGIN$/,/^MEMLAB-END$/p' | sed '1d;$d' | tap_diag
		echo "# ---- end of $id ----"
	fi

	notok=0
	while IFS='	' read -r kind a b; do
		case $kind in
		T)
			emit "$a" "$id: $b"
			[ "$a" = ok ] || notok=1
			;;
		D) echo "# $a${b:+	$b}" ;;
		esac
	done <"$vm/$id-$mode.tap"

	grc=$(sed -n 's/^RC\t//p' "$vm/$id-$mode.tap" | tail -n 1)
	if [ -n "$grc" ] && [ "$grc" != 0 ] && [ "$notok" -eq 0 ]; then
		emit "not ok" "$id: guest $mode script exit status $grc"
	fi
	if grep -q '^END' "$vm/$id-$mode.tap"; then
		emit ok "$id: VM ran to MEMLAB-END"
	else
		why="no MEMLAB-END"
		[ "$rc" -ne 124 ] || why="timed out after ${timeout}s"
		grep -aq 'Kernel panic' "$log" && why="kernel panic"
		emit "not ok" "$id: VM ran to MEMLAB-END ($why, qemu exit $rc)"
		diag "$vm/$id-qemu.log"
		tr -d '\r' <"$log" | tail -n 40 | diag
	fi
	if kernels/check-log.sh "$log" >"$vm/$id-$mode.splats" 2>&1; then
		emit ok "$id: kernel log clean"
	else
		emit "not ok" "$id: kernel log clean ($log)"
		diag "$vm/$id-$mode.splats"
	fi
done

finish
