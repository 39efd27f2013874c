#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# qemu.sh: the one QEMU launcher of memlab's tests (VM suite, bench, demo,
# package boots). Boots a kernel with an initramfs and/or a disk, console on
# the first serial port, no network, no reboot, and writes the console to
# LOG. Exits with QEMU's status; 124 means the time limit was hit.
#
#   qemu.sh -k KERNEL -l LOG [-i INITRD] [-d DISK] [-a ARCH] [-t SECONDS]
#           [-m MiB] [-- KERNEL ARGUMENTS...]
#
# ARCH is a Debian architecture (amd64, arm64; default amd64). The console=
# and panic= arguments are added here, so callers never name a serial
# device. DISK is a raw image on virtio (the guest's /dev/vda).
#
# Environment:
#   MEMLAB_KVM=1          use KVM instead of TCG (opt-in: nested KVM hangs
#                         on some hosts)
#   MEMLAB_VM_SMP=N       CPUs (default 2)
#   MEMLAB_VM_MEM=MiB     memory, when -m is not given (default 2048)
#   MEMLAB_VM_VERBOSE=1   also copy the console to stdout while it runs
set -eu

kernel=
log=
initrd=
disk=
arch=amd64
limit=1200
mem=${MEMLAB_VM_MEM:-2048}
usage() {
	echo "usage: $0 -k KERNEL -l LOG [-i INITRD] [-d DISK] [-a ARCH] [-t S] [-m MiB] [-- ARGS]" >&2
	exit 2
}
while getopts k:l:i:d:a:t:m: opt; do
	case $opt in
	k) kernel=$OPTARG ;;
	l) log=$OPTARG ;;
	i) initrd=$OPTARG ;;
	d) disk=$OPTARG ;;
	a) arch=$OPTARG ;;
	t) limit=$OPTARG ;;
	m) mem=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ -n "$kernel" ] && [ -n "$log" ] || usage
[ -f "$kernel" ] || { echo "qemu: $kernel missing" >&2; exit 1; }

case $arch in
amd64)
	qemu=qemu-system-x86_64
	tty=ttyS0
	machine=
	cpu=max
	# Under TCG on a loaded host the IO-APIC timer check can fail and
	# panic 6.12 ("IO-APIC + timer doesn't work").
	quirks=no_timer_check
	;;
arm64)
	qemu=qemu-system-aarch64
	tty=ttyAMA0
	machine="-M virt"
	# Pointer-authentication emulation makes TCG about 8 times slower.
	cpu=max,pauth=off
	quirks=
	;;
*)
	echo "qemu: no launcher for architecture $arch" >&2
	exit 2
	;;
esac
accel=tcg
# A TCG guest on a loaded host loses the CPU for seconds at a time: its
# watchdogs must not take the host's stalls for the guest's. Soft lockups
# at 120 s (2 x watchdog_thresh), RCU stalls at 120 s, workqueue stalls at
# 120 s, hung tasks at 600 s: each still far below a test's time limit.
watchdogs="watchdog_thresh=60 rcupdate.rcu_cpu_stall_timeout=120 workqueue.watchdog_thresh=120 sysctl.kernel.hung_task_timeout_secs=600"
if [ "${MEMLAB_KVM:-0}" = 1 ]; then
	accel=kvm
	cpu=host
	watchdogs=
fi

set -- timeout -k 10 "$limit" "$qemu" $machine -accel "$accel" -cpu "$cpu" \
	-smp "${MEMLAB_VM_SMP:-2}" -m "$mem" -display none -no-reboot -nic none \
	-monitor none -serial stdio -kernel "$kernel" \
	${initrd:+-initrd "$initrd"} \
	${disk:+-drive "file=$disk,format=raw,if=virtio,cache=unsafe"} \
	-append "console=$tty panic=-1 $quirks $watchdogs $*"

mkdir -p "$(dirname "$log")"
rc=0
if [ "${MEMLAB_VM_VERBOSE:-0}" = 1 ]; then
	{ "$@" </dev/null 2>&1 || echo "qemu: exit status $?"; } | tee "$log"
	rc=$(sed -n 's/^qemu: exit status \([0-9]*\)$/\1/p' "$log" | tail -n 1)
else
	"$@" </dev/null >"$log" 2>&1 || rc=$?
fi
rc=${rc:-0}
[ "$rc" -ne 124 ] || echo "qemu: time limit of ${limit}s hit ($log)" >&2
exit "$rc"
