#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# init.sh: /init of the grading VM (busybox sh, PID 1).
#
# Runs the rules of /grade/plan, one line each: "RULE CHECK TIMEOUT", in
# order, each as mlg-check under its own time limit, between
#   @@MLG NONCE BEGIN RULE       and       @@MLG NONCE END RULE
# with the kernel log lines that rule caused after its result. mlg-check
# prints the verdict line itself. A check still running at its limit is
# the kernel's fault (a student's lock, most likely: it cannot be killed),
# so init says TIMEOUT and powers off; the host boots afresh for the rest
# (and takes the first result of a rule, should the check end just then).
# The host reads everything from the serial console; the nonce, new with
# every boot, is in /grade/nonce.
#
# No "set -e": PID 1 must reach the poweroff whatever fails.
set -u

PATH=/grade/bin:/bin:/sbin
export PATH
/bin/busybox --install -s /bin

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t tmpfs -o mode=1777 tmpfs /tmp
hostname grade
cat >/etc/passwd <<PW
root:x:0:0:root:/root:/bin/sh
student:x:1001:1001:another user:/tmp:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PW
printf 'root:x:0:\nstudent:x:1001:\nnogroup:x:65534:\n' >/etc/group
# Huge pages when asked for (madvise), as a distribution ships them.
thp=/sys/kernel/mm/transparent_hugepage
[ ! -f $thp/enabled ] || echo madvise >$thp/enabled
[ ! -f $thp/defrag ] || echo madvise >$thp/defrag

nonce=$(cat /grade/nonce)
rm -f /grade/nonce
say() { echo "@@MLG $nonce $*"; }

# The kernel log from here on belongs to the rules: each rule's lines are
# printed after it (dmesg -c empties the buffer); warnings and oopses reach
# the console at once.
dmesg -c >/dev/null
dmesg -n 5
say READY "$(uname -r)"

# timeout RULE LIMIT PID: after LIMIT seconds, RULE is a TIMEOUT and the VM
# ends. Its check cannot be waited for: a task blocked in the kernel on a
# lock the module never releases cannot be killed.
timeout_after() {
	sleep "$2"
	say RESULT "$1" TIMEOUT "still running after ${2}s"
	# Where the check waits in the kernel: the host decodes the module's frames.
	cat /proc/"$3"/stack 2>/dev/null | sed 's/^/stack: /'
	kill -KILL -"$3" "$3" 2>/dev/null
	dmesg -c | sed 's/^/kmsg: /'
	say END "$1"
	say HALT
	poweroff -f
}

while read -r rule check limit; do
	[ -n "$rule" ] || continue
	say BEGIN "$rule"
	setsid mlg-check "$nonce" "$rule" "$check" </dev/null 2>&1 &
	pid=$!
	timeout_after "$rule" "$limit" "$pid" &
	dog=$!
	wait "$pid"
	kill "$dog" 2>/dev/null
	dmesg -c | sed 's/^/kmsg: /'
	say END "$rule"
done </grade/plan

say DONE
sync
poweroff -f
# Should poweroff fail, exiting PID 1 panics, and panic=-1 with -no-reboot ends QEMU.
exit 1
