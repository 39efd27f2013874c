#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# guest-suite.sh: the memlab scenario, run by the VM's init (busybox sh) as
# /memlab/suite.sh. Loads the modules, runs every selftest as root and as
# nobody, then the scenarios that need module reloads or several
# processes: rmmod while mapped, default file mode, maptest sizes, load
# cycles and the leak check. One TAP line per check, through tap() only;
# the host renumbers everything.
#
# Environment (from the VM's init): MEMLAB_BIN, MEMLAB_MODULES,
# MEMLAB_LEVELS, MEMLAB_KVER.
set -u

BIN=${MEMLAB_BIN:-/memlab/bin}
MOD=${MEMLAB_MODULES:-/memlab/modules}
HELP=$BIN/helpers
NOBODY=65534
OTHER=1001
# MemAvailable the leak check may lose, in kB.
LEAK_LIMIT_KB=${MEMLAB_LEAK_LIMIT_KB:-3072}
LEAK_COMMANDS=${MEMLAB_LEAK_COMMANDS:-100000}
kasan=0
grep -q ' __asan_load8$' /proc/kallsyms && kasan=1

. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/matrix.sh"
note() { echo "# $*"; }

loaded() { grep -q "^$1 " /proc/modules; }
load() { # load NAME [PARAM...]
	m=$1
	shift
	insmod "$MOD/$m.ko" "$@"
}
unload() { ! loaded "$1" || rmmod "$1"; }
meminfo() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }
# The kernel's page size in kB (4, 16 or 64).
page_kb=$(awk '$1 == "KernelPageSize:" { print $2; exit }' /proc/self/smaps)
# MemAvailable plus the free pages parked on per-cpu lists (zoneinfo
# "count:", in pages), which MemAvailable misses and which vary by
# megabytes.
avail_kb() {
	pcp=$(awk '$1 == "count:" { s += $2 } END { print s + 0 }' /proc/zoneinfo)
	echo $(($(meminfo MemAvailable) + pcp * ${page_kb:-4}))
}

note "memlab guest suite on $(uname -r), $(nproc) cpus, levels ${MEMLAB_LEVELS:-?}, ${page_kb:-?} kB pages"

# --- the modules as the selftests want them --------------------------------
rc=0
load mtest mode=0666 || rc=1
load maptest pages=4 || rc=1
tap $rc "insmod mtest mode=0666 and maptest pages=4"
if [ $rc -ne 0 ]; then
	note "cannot load the modules: nothing else can run"
	exit 1
fi

# --- the seed's demonstrations ---------------------------------------------
out=$("$BIN/mtest_test" 2>&1)
rc=$?
echo "$out" | sed 's/^/# /'
echo "$out" | grep -q 'PASS: 42 -> 137' || rc=1
tap $rc "mtest_test: r reads 42, w 137, r reads 137"
out=$("$BIN/maptest_test" 2>&1)
rc=$?
echo "$out" | head -n 3 | sed 's/^/# /'
[ "$(echo "$out" | head -n 1)" = "memlab maptest: this text was written by the kernel" ] || rc=1
echo "$out" | grep -q 'page 0000' || rc=1
tap $rc "maptest_test: prints the banner and page 0's text"

# --- every selftest, as root and as nobody ---------------------------------
# nobody's permission test wants a live process of another non-root uid.
"$HELP/runas" $OTHER $OTHER sleep 3600 &
other=$!
for t in "$BIN"/selftests/*; do
	name=${t##*/}
	"$t"
	tap $? "selftest $name as root"
done
for t in "$BIN"/selftests/*; do
	name=${t##*/}
	"$HELP/runas" $NOBODY $NOBODY "$t"
	tap $? "selftest $name as nobody"
done
kill "$other" 2>/dev/null
wait "$other" 2>/dev/null

# --- the differential permission matrix (tests/vm/matrix.sh) --------------
matrix

# --- maptest: a mapping outlives rmmod -------------------------------------
rm -f /tmp/hold.out
"$HELP/maptest_hold" >/tmp/hold.out 2>&1 &
hold=$!
i=0
while ! grep -q '^ready' /tmp/hold.out 2>/dev/null && [ $i -lt 600 ]; do
	sleep 0.1
	i=$((i + 1))
done
grep -q '^ready' /tmp/hold.out
tap $? "maptest_hold maps the whole buffer"
rmmod maptest
tap $? "rmmod maptest while a process has it mapped"
[ ! -e /proc/maptest ]
tap $? "/proc/maptest is gone after rmmod"
kill -USR1 "$hold"
wait "$hold"
rc=$?
sed 's/^/# /' /tmp/hold.out
tap $rc "the mapping still reads the buffer after rmmod"
load maptest pages=4 && "$BIN/maptest_test" >/dev/null
tap $? "maptest reloads and works after that"

# --- mtest: the default mode 0600 ------------------------------------------
rc=0
unload mtest && load mtest || rc=1
tap $rc "reload mtest without mode="
ls -l /proc/mtest | sed 's/^/# /'
ls -l /proc/mtest | grep -q '^-rw------- '
tap $? "/proc/mtest mode is 0600 by default"
out=$("$HELP/runas" $NOBODY $NOBODY sh -c "echo r \$\$ 0 >/proc/mtest" 2>&1)
rc=$?
note "$out"
[ $rc -ne 0 ] && echo "$out" | grep -q 'Permission denied'
tap $? "nobody cannot open /proc/mtest with mode 0600 (EACCES)"
"$BIN/mtest_test" >/dev/null
tap $? "root still can (mtest_test)"
unload mtest && load mtest mode=0666
tap $? "reload mtest mode=0666"

# --- maptest: the pages parameter ------------------------------------------
rc=0
unload maptest && load maptest pages=1024 || rc=1
tap $rc "insmod maptest pages=1024"
"$HELP/maptest_map" 1024 | sed 's/^/# /'
"$HELP/maptest_map" 1024 >/dev/null 2>&1
tap $? "map and check the whole 1024-page buffer"
unload maptest
for p in 0 1025; do
	if load maptest pages=$p 2>/dev/null; then
		rmmod maptest
		tap 1 "insmod maptest pages=$p is refused"
	else
		tap 0 "insmod maptest pages=$p is refused"
	fi
done
[ ! -e /proc/maptest ]
tap $? "no /proc/maptest after the refused loads"
load maptest pages=1 && "$HELP/maptest_map" 1 >/dev/null
tap $? "insmod maptest pages=1: a one-page buffer"

# --- mtest: the result table limit ----------------------------------------
rc=0
unload mtest && load mtest mode=0666 max_results=4 || rc=1
tap $rc "reload mtest max_results=4"
"$HELP/mtest_enospc" 4 >/tmp/enospc.out 2>&1
rc=$?
sed 's/^/# /' /tmp/enospc.out
tap $rc "max_results=4: a fifth process gets ENOSPC, room again after one exits"
rc=0
unload mtest && load mtest mode=0666 max_results=16 max_results_per_uid=3 || rc=1
tap $rc "reload mtest max_results=16 max_results_per_uid=3"
"$HELP/mtest_quota" 3 >/tmp/quota.out 2>&1
rc=$?
sed 's/^/# /' /tmp/quota.out
tap $rc "max_results_per_uid=3: a fourth process of one uid gets ENOSPC, another uid does not"
unload mtest && load mtest mode=0666
tap $? "reload mtest mode=0666 (default max_results)"

# --- mtest: FOLL_FORCE as /proc/PID/mem decides ------------------------------
"$HELP/mtest_force" >/tmp/force.out 2>&1
rc=$?
sed 's/^/# /' /tmp/force.out
tap $rc "mtest_force: forced write and PROT_NONE read follow /proc/PID/mem's rule"

# --- load/unload cycles ----------------------------------------------------
unload maptest
unload mtest
i=0
rc=0
while [ $i -lt 50 ]; do
	load mtest mode=0666 && load maptest pages=2 &&
		"$BIN/mtest_test" >/dev/null && "$BIN/maptest_test" >/dev/null &&
		rmmod maptest && rmmod mtest || { rc=1; break; }
	i=$((i + 1))
done
[ $rc -eq 0 ] || note "cycle $i failed"
unload maptest
unload mtest
tap $rc "50 load/unload cycles of both modules, each with a real command"

# --- leak check ------------------------------------------------------------
settle() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	sleep 1
}
# Warm up first, so that one-time allocations are not counted.
load mtest mode=0666 && "$HELP/mtest_leak" 2000 >/dev/null && rmmod mtest
settle
avail0=$(avail_kb)
slab0=$(meminfo Slab)
# Results of exited processes are freed by the sweep, not by rmmod: measure
# while the module is still loaded. One uid may hold all 1024 here, so that
# the per-uid quota (which frees exited processes' results when it is hit)
# cannot do the sweep's work.
load mtest mode=0666 max_results_per_uid=1024
settle
slab_loaded=$(meminfo Slab)
"$HELP/mtest_churn" 1000 >/tmp/churn.out 2>&1
rc=$?
sed 's/^/# /' /tmp/churn.out
sleep 5
settle
grown=$(($(meminfo Slab) - slab_loaded))
# 1000 results left unswept hold over 16 MB. KASAN's quarantine keeps
# freed objects for a while, so the debug kernel gets half of that here
# and in the leak checks below.
[ "$kasan" = 0 ] || LEAK_LIMIT_KB=8192
[ $rc -eq 0 ] && [ "$grown" -le "$LEAK_LIMIT_KB" ]
tap $? "sweep: 1000 exited processes' results freed while loaded (Slab grew ${grown} kB, limit $LEAK_LIMIT_KB)"
"$HELP/mtest_leak" "$LEAK_COMMANDS" >/tmp/leak.out 2>&1
rc=$?
sed 's/^/# /' /tmp/leak.out
note "Slab while loaded: $(meminfo Slab) kB (before: $slab0 kB)"
rmmod mtest
[ $rc -eq 0 ] && [ -n "$avail0" ]
tap $? "mtest_leak: $LEAK_COMMANDS commands against a target that then exits"
settle
avail1=$(avail_kb)
slab1=$(meminfo Slab)
lost=$((avail0 - avail1))
grown=$((slab1 - slab0))
note "MemAvailable+pcp $avail0 -> $avail1 kB (lost $lost), Slab $slab0 -> $slab1 kB (grew $grown)"
[ "$lost" -le "$LEAK_LIMIT_KB" ]
tap $? "leak: MemAvailable (with per-cpu free pages) lost ${lost} kB after rmmod (limit $LEAK_LIMIT_KB)"
[ "$grown" -le "$LEAK_LIMIT_KB" ]
tap $? "leak: Slab grew ${grown} kB after rmmod (limit $LEAK_LIMIT_KB)"

unload maptest
unload mtest
! loaded mtest && ! loaded maptest
tap $? "both modules unloaded at the end"
