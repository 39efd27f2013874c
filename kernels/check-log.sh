#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# check-log.sh LOG: scan a VM serial log (console and the dmesg dump) for
# signs that the kernel went wrong: oopses, BUGs, WARNs, KASAN/UBSAN reports,
# lockdep splats, refcount and list corruption, lockups, hung tasks and RCU
# stalls. Prints the offending lines (with line numbers) and exits 1 on any
# hit, 0 on a clean log.
set -eu

[ $# -eq 1 ] || { echo "usage: $0 LOG" >&2; exit 2; }
[ -f "$1" ] || { echo "check-log: $1 missing" >&2; exit 2; }

patterns='BUG:|\bOops\b|WARNING:|KASAN|UBSAN:|KFENCE|possible circular locking|possible recursive locking|suspicious RCU usage|refcount_t:|list_del corruption|list_add corruption|general protection fault|kernel BUG at|soft lockup|hard LOCKUP|hung_task|blocked for more than|rcu.*stall|Kernel panic|Call Trace:'

# Loading our unsigned modules taints the kernel; that line is expected.
# The watchdog settings of kernels/qemu.sh, on the command line and as RCU
# reports them at boot, are no events.
hits=$(tr -d '\r' <"$1" | grep -naE "$patterns" |
	grep -vE 'module verification failed|[Cc]ommand line: |RCU CPU stall warnings timeout set to' || true)
[ -n "$hits" ] || exit 0
echo "$hits" | head -n "${MEMLAB_LOG_HITS_MAX:-80}"
exit 1
