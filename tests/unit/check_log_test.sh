#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# check_log_test.sh: the splat scanner (kernels/check-log.sh) fails a log on
# a real splat and passes one whose only matches are the boot's own
# settings (the watchdog thresholds on the command line) or the taint of
# loading an unsigned module.
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
TAP_TIER=check_log
. "$top/tests/lib/tap.sh"
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# scan DESC WANT LINE...: check-log on a log of those lines exits WANT.
scan() {
	_desc=$1
	_want=$2
	shift 2
	printf '%s\n' "$@" >"$log"
	"$top/kernels/check-log.sh" "$log" >/dev/null 2>&1
	tap "$([ $? -eq "$_want" ]; echo $?)" "$_desc"
}

echo "TAP version 13"
scan "the command line's watchdog settings are no splat" 0 \
	"[    0.000000] Command line: console=ttyS0 panic=-1 watchdog_thresh=60 rcupdate.rcu_cpu_stall_timeout=120 sysctl.kernel.hung_task_timeout_secs=600" \
	"[    0.010000] Kernel command line: console=ttyS0 sysctl.kernel.hung_task_timeout_secs=600" \
	"[    0.227520] 	RCU CPU stall warnings timeout set to 120 (rcu_cpu_stall_timeout)."
scan "an unsigned module's taint is no splat" 0 \
	"[   12.000000] mtest: module verification failed: signature and/or required key missing - tainting kernel"
scan "a hung task is" 1 "[  130.000000] INFO: task mtest_race:81 blocked for more than 120 seconds."
scan "a WARNING is" 1 "[    5.000000] WARNING: CPU: 1 PID: 80 at mm/gup.c:1234 __get_user_pages+0x1/0x2"
scan "an oops is" 1 "[    2.400000] Oops: int3: 0000 [#1] PREEMPT SMP NOPTI"
scan "a soft lockup is" 1 "[  150.000000] watchdog: BUG: soft lockup - CPU#0 stuck for 130s! [sh:1]"
scan "an RCU stall is" 1 "[  200.000000] rcu: INFO: rcu_preempt self-detected stall on CPU"
scan "a KASAN report is" 1 "[   40.000000] BUG: KASAN: slab-out-of-bounds in mtest_write+0x1c/0x80 [mtest]"
tap_summary
