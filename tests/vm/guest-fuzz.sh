#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# guest-fuzz.sh: the fuzz and race tier, run as /memlab/fuzz.sh by the
# VM's init (tests/vm.sh --mode fuzz ID), meant for the debug
# kernel (KASAN, lockdep, DEBUG_VM), whose log the host scans for splats.
#   memlab.fuzz_seed=N     on the kernel command line fixes the seed
#                          (default: the boot time); it is printed
#   memlab.fuzz_seconds=S  time of each phase (default 60)
# Phases: mtest_fuzz (random and grammar-aware commands from 3 processes x
# 3 threads against targets that change shape), the race selftest, and
# maptest mappings that mremap, fork and unmap while maptest is unloaded
# and reloaded. Afterwards the commands must still answer correctly. With
# a GCOV kernel, mtest's coverage data is dumped for tests/debug/coverage.sh.
set -u

BIN=${MEMLAB_BIN:-/memlab/bin}
MOD=${MEMLAB_MODULES:-/memlab/modules}
HELP=$BIN/helpers

. "$(dirname "$0")/tap.sh"
note() { echo "# $*"; }
param() { tr ' ' '\n' </proc/cmdline | sed -n "s/^memlab\.$1=//p" | tail -n 1; }

seed=$(param fuzz_seed)
[ -n "$seed" ] || seed=$(date +%s)
secs=$(param fuzz_seconds)
[ -n "$secs" ] || secs=60
note "fuzz tier on $(uname -r): seed $seed, $secs s per phase"

insmod "$MOD/mtest.ko" mode=0666 && insmod "$MOD/maptest.ko" pages=4
tap $? "insmod mtest mode=0666 and maptest pages=4"

"$HELP/mtest_fuzz" "$secs" "$seed" 3 3 >/tmp/fuzz.out 2>&1
rc=$?
sed 's/^/# /' /tmp/fuzz.out
tap $rc "mtest_fuzz seed $seed: every answer is a documented one"

MEMLAB_RACE_SECONDS=$((secs / 2)) "$BIN/selftests/mtest_race" >/tmp/race.out 2>&1
rc=$?
sed 's/^/# /' /tmp/race.out
tap $rc "mtest_race: t and r against MADV_COLLAPSE, MADV_DONTNEED and munmap"

"$HELP/maptest_churn" "$secs" >/tmp/churn.out 2>&1 &
churn=$!
reloads=0
end=$(($(date +%s) + secs))
while [ "$(date +%s)" -lt "$end" ]; do
	rmmod maptest 2>/dev/null && insmod "$MOD/maptest.ko" pages=4 &&
		reloads=$((reloads + 1))
	grep -q '^maptest ' /proc/modules || insmod "$MOD/maptest.ko" pages=4
done
wait $churn
rc=$?
sed 's/^/# /' /tmp/churn.out
note "maptest reloaded $reloads times"
tap $rc "maptest: map, mremap, fork, unmap while the module is reloaded"

# Still right afterwards.
for t in mtest_read mtest_write mtest_xlate maptest; do
	"$BIN/selftests/$t" >/tmp/after.out 2>&1
	rc=$?
	[ $rc -eq 0 ] || sed 's/^/# /' /tmp/after.out
	tap $rc "after the fuzz: selftest $t"
done

gcov=/sys/kernel/debug/gcov
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
if [ -d $gcov ]; then
	for f in $(find $gcov -path '*mtest*' -name '*.gcda'); do
		echo "MEMLAB-GCDA-BEGIN ${f#"$gcov"}"
		base64 "$f"
		echo "MEMLAB-GCDA-END"
	done
fi

rmmod maptest && rmmod mtest
tap $? "rmmod both modules"
