#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# guest-init.sh: /init of the memlab test VM (busybox sh, PID 1).
#
# Sets up the machine the tests expect (proc, sysfs, devtmpfs, tmpfs /tmp,
# debugfs, users root/nobody/memlab2, swap on a brd ram disk, hugetlb pages,
# THP usable with madvise), runs the mode named by memlab.mode= on the kernel
# command line (the script /memlab/MODE.sh: suite, demo, bench, ...)
# between MEMLAB-BEGIN and MEMLAB-END, dumps dmesg between
# MEMLAB-DMESG-BEGIN/END and powers off. The host reads all of it from the
# serial console.
#
# No "set -e": PID 1 must reach the dmesg dump and poweroff whatever fails.
set -u

PATH=/memlab/bin:/bin:/sbin:/usr/bin:/usr/sbin
HOME=/root
export PATH HOME

say() { echo "memlab-init: $*"; }
problems=

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /dev/pts /dev/shm /dev/hugepages /tmp /root
mount -t devpts devpts /dev/pts
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
mount -t tmpfs -o mode=1777 tmpfs /tmp
[ ! -d /sys/kernel/debug ] || mount -t debugfs debugfs /sys/kernel/debug ||
	problems="$problems debugfs"
mount -t hugetlbfs hugetlbfs /dev/hugepages || problems="$problems hugetlbfs"
hostname memlab

cat >/etc/passwd <<PW
root:x:0:0:root:/root:/bin/sh
memlab2:x:1001:1001:memlab second user:/tmp:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PW
cat >/etc/group <<GR
root:x:0:
memlab2:x:1001:
nogroup:x:65534:
GR

mode=suite
levels=
limit=1000
for w in $(cat /proc/cmdline); do
	case $w in
	memlab.mode=*) mode=${w#*=} ;;
	memlab.levels=*) levels=${w#*=} ;;
	memlab.timeout=*) limit=${w#*=} ;;
	esac
done
kver=$(uname -r)

# Swap on a 256 MiB ram disk, so tests can push pages out (MADV_PAGEOUT).
# It is the kernel's second swap area (the first is switched off again):
# swap type 1, which a caller who may not see pfns must not be shown.
if insmod "/lib/modules/$kver/brd.ko" rd_nr=2 rd_size=262144; then
	i=0
	while [ ! -b /dev/ram1 ] && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	{ mkswap /dev/ram0 >/dev/null && mkswap /dev/ram1 >/dev/null &&
		swapon /dev/ram0 && swapon /dev/ram1 && swapoff /dev/ram0; } || problems="$problems swap"
else
	problems="$problems brd"
fi

# Reserved huge pages for the hugetlb tests: 32 MiB of them, and at least
# two (16 of 2 MiB with 4 KiB pages; 2 of 32 MiB with 16 KiB).
hpkb=$(awk '$1 == "Hugepagesize:" { print $2 }' /proc/meminfo)
if [ -n "$hpkb" ]; then
	nhp=$((32768 / hpkb))
	[ $nhp -ge 2 ] || nhp=2
	echo $nhp >/proc/sys/vm/nr_hugepages
	[ "$(cat /proc/sys/vm/nr_hugepages)" = $nhp ] || problems="$problems hugetlb"
else
	problems="$problems hugetlb"
fi
# And four of each other size up to 32 MiB (arm64's contiguous ones) for
# the hugetlb race test, which maps two.
for d in /sys/kernel/mm/hugepages/hugepages-*kB; do
	kb=${d##*-}
	kb=${kb%kB}
	[ -n "$hpkb" ] && [ "$kb" != "$hpkb" ] && [ "$kb" -le 32768 ] || continue
	echo 4 >"$d/nr_hugepages"
	[ "$(cat "$d/nr_hugepages")" = 4 ] || problems="$problems hugetlb-${kb}kB"
done

# THP as the kernel ships it, unless that is "never": then madvise would not work.
thp=/sys/kernel/mm/transparent_hugepage/enabled
if [ -f $thp ]; then
	grep -q '\[never\]' $thp && echo madvise >$thp
	grep -q '\[never\]' $thp && problems="$problems thp"
fi

# Paging levels in use, where the machine says: on x86 the la57 flag is
# cleared when 5-level paging is off. arm64 does not tell user space; the
# selftests then compare what mtest reports with the expected levels.
case $(uname -m) in
x86_64)
	actual=4
	grep -qw la57 /proc/cpuinfo && actual=5
	;;
*) actual=${levels:-unknown} ;;
esac
[ -n "$levels" ] || levels=$actual

MEMLAB_KVER=$kver
MEMLAB_BIN=/memlab/bin
MEMLAB_MODULES=/memlab/modules
MEMLAB_LEVELS=$levels
MEMLAB_MODE=$mode
export MEMLAB_KVER MEMLAB_BIN MEMLAB_MODULES MEMLAB_LEVELS MEMLAB_MODE

say "kernel $kver, mode $mode, paging levels $actual (expected $levels)"
say "$(grep -E 'MemTotal|SwapTotal|HugePages_Total' /proc/meminfo | tr -s ' \n' ' ')"
[ ! -f $thp ] || say "thp $(cat $thp)"

# run_limited CMD...: run CMD in its own session, killed with all its
# children after $limit seconds, so that a hung test still leaves us the
# dmesg dump (the host's timeout would lose it).
run_limited() {
	rm -f /.memlab-timeout
	(cd /tmp && exec setsid "$@" </dev/null) &
	pid=$!
	(sleep "$limit" && touch /.memlab-timeout && kill -KILL -"$pid" "$pid") 2>/dev/null &
	dog=$!
	wait "$pid"
	rc=$?
	kill "$dog" 2>/dev/null
	if [ -e /.memlab-timeout ]; then
		check 1 "timeout ($* still running after ${limit}s)"
	fi
	return $rc
}

n=0
check() { # check RC NAME: one TAP line from init itself
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n memlab_init.$2"; else echo "not ok $n memlab_init.$2"; fi
}

run_mode() {
	# Every mode is a script: suite, demo, bench, fuzz...
	if [ ! -f "/memlab/$mode.sh" ]; then
		echo "# unknown memlab.mode=$mode: no /memlab/$mode.sh"
		check 1 mode
		return
	fi
	[ -z "$problems" ] || echo "# setup problems:$problems"
	check "$([ -z "$problems" ]; echo $?)" setup
	check "$([ "$actual" = "$levels" ]; echo $?)" paging_levels
	run_limited sh "/memlab/$mode.sh"
	echo "MEMLAB-RC=$?"
}

# Boot is quiet (loglevel=4); from here on warnings reach the console at
# once, so a WARN before a hang is still in the serial log.
dmesg -n 5
# The same mark in the kernel log: the host tells a splat of the boot from
# one of the tests (tests/vm.sh, early_failure).
echo "memlab-init: MEMLAB-BEGIN" >/dev/kmsg
echo MEMLAB-BEGIN
run_mode
echo MEMLAB-END
echo MEMLAB-DMESG-BEGIN
dmesg
echo MEMLAB-DMESG-END
sync
poweroff -f
# Should poweroff fail, exiting PID 1 panics, and panic=-1 with -no-reboot ends QEMU.
exit 1
