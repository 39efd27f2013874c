#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# run-vm.sh KVER MODE [INITRD]: boot /boot/vmlinuz-KVER under QEMU with the
# memlab initramfs (default build/vm/KVER.cpio.gz, see mkinitramfs.sh) in
# MODE (suite, demo or bench). The serial console goes to
# build/vm/KVER-MODE.log. Exits with QEMU's status (124: timed out).
#
# Environment:
#   MEMLAB_KVM=1           use KVM instead of TCG (nested KVM hangs here)
#   MEMLAB_VM_TIMEOUT=S    wall-clock limit in seconds (default 1200)
#   MEMLAB_VM_MEM=MiB      guest memory (default 2048)
#   MEMLAB_LEVELS=4|5      paging levels to boot with (default: 4 for 6.1, else 5)
#   MEMLAB_VM_VERBOSE=1    also copy the console to stdout while it runs
#   MEMLAB_VM_APPEND=...   extra kernel command line
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
[ $# -ge 2 ] || { echo "usage: $0 KVER suite|demo|bench [INITRD]" >&2; exit 2; }
kver=$1
mode=$2
initrd=${3:-$top/build/vm/$kver.cpio.gz}
kernel=/boot/vmlinuz-$kver
log=$top/build/vm/$kver-$mode.log

[ -f "$kernel" ] || { echo "run-vm: $kernel missing" >&2; exit 1; }
[ -f "$initrd" ] || { echo "run-vm: $initrd missing (tests/vm/mkinitramfs.sh)" >&2; exit 1; }
mkdir -p "$(dirname "$log")"

# 6.1 is tested with 4-level paging, newer kernels with 5-level (-cpu max has la57).
case $kver in
6.1.*) levels=${MEMLAB_LEVELS:-4} ;;
*) levels=${MEMLAB_LEVELS:-5} ;;
esac
if [ "${MEMLAB_KVM:-0}" = 1 ]; then
	accel=kvm
	# Under KVM "max" is the host CPU: it may lack la57.
	grep -qw la57 /proc/cpuinfo || levels=4
else
	accel=tcg
fi
timeout=${MEMLAB_VM_TIMEOUT:-1200}
# The guest stops its own scenario a minute earlier, so that the dmesg dump survives.
glimit=$((timeout > 120 ? timeout - 60 : timeout / 2))
append="console=ttyS0 panic=-1 loglevel=4 memlab.mode=$mode memlab.levels=$levels memlab.timeout=$glimit"
[ "$levels" = 5 ] || append="$append no5lvl"
append="$append ${MEMLAB_VM_APPEND:-}"

set -- timeout -k 10 "$timeout" \
	qemu-system-x86_64 -accel "$accel" -cpu max -smp 2 -m "${MEMLAB_VM_MEM:-2048}" \
	-nographic -no-reboot -nic none \
	-kernel "$kernel" -initrd "$initrd" -append "$append"

echo "run-vm: $kver $mode (accel $accel, $levels-level paging)" >&2
rc=0
if [ "${MEMLAB_VM_VERBOSE:-0}" = 1 ]; then
	{ "$@" </dev/null 2>&1 || echo "run-vm: exit status $?"; } | tee "$log"
	rc=$(sed -n 's/^run-vm: exit status \([0-9]*\)$/\1/p' "$log" | tail -n 1)
	rc=${rc:-0}
else
	"$@" </dev/null >"$log" 2>&1 || rc=$?
fi
[ "$rc" -ne 124 ] || echo "run-vm: $kver $mode timed out" >&2
exit "$rc"
