#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# guest-demo.sh: "make demo" in the test VM (busybox sh), run by init as
# /memlab/demo.sh in "memlab.mode=demo". Loads the modules, runs the seed's
# programs (mtest_test, maptest_test), then draws "memlab walk" for one page
# of each kind that tests/tool/memlab-target makes: anonymous, THP,
# hugetlb, file, file not yet mapped, swapped, the zero page, and a hole
# (the error a student meets, with the nearest mappings). The host prints
# all of it.
#
# Environment (from the VM's init): MEMLAB_BIN, MEMLAB_MODULES.
set -u

BIN=${MEMLAB_BIN:-/memlab/bin}
MOD=${MEMLAB_MODULES:-/memlab/modules}

. "$(dirname "$0")/tap.sh"

rc=0
insmod "$MOD/mtest.ko" || rc=1
insmod "$MOD/maptest.ko" || rc=1
tap $rc "demo: insmod mtest and maptest"

for prog in mtest_test maptest_test; do
	echo "=== $prog ==="
	"$BIN/$prog"
	rc=$?
	# maptest's text ends without a newline.
	echo
	tap $rc "demo: $prog"
done

# One page of each kind, and the walk drawn for it.
out=/tmp/demo-target.out
rm -f "$out"
"$BIN/tool/memlab-target" "$out" &
target=$!
i=0
while ! grep -q '^ready' "$out" 2>/dev/null && [ $i -lt 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
grep -q '^ready' "$out"
tap $? "demo: memlab-target made its pages"
# Its lines are "KIND ADDRESS", then the sizes it used ("pagesize 0x1000",
# "thpsize", "hugetlbsize": not addresses) and "ready".
while read -r kind addr; do
	case $kind in ready | *size) continue ;; esac
	echo "=== memlab walk $target $addr: the $kind page ==="
	"$BIN/memlab" walk "$target" "$addr"
	rc=$?
	# A hole is not mapped: memlab says so and exits 6 (see memlab(1)).
	if [ "$kind" = hole ]; then
		[ $rc -eq 6 ]
		rc=$?
	fi
	tap $rc "demo: memlab walk of the $kind page"
done <"$out"
kill "$target"
wait "$target" 2>/dev/null

rc=0
rmmod maptest || rc=1
rmmod mtest || rc=1
tap $rc "demo: rmmod"
