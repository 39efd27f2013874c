#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# guest-bench.sh: the benchmark, run by the VM's init (busybox sh) as
# /memlab/bench.sh in "memlab.mode=bench". Loads mtest and maptest (the
# largest buffer, 1024 pages), runs memlab-bench once and unloads them.
# The table and its JSON go to the console, where tests/bench.sh picks
# them up. TAP lines say only whether each step ran: timings never fail.
#
# Environment (from the VM's init): MEMLAB_BIN, MEMLAB_MODULES, MEMLAB_KVER;
# MEMLAB_BENCH_ARGS, extra arguments for memlab-bench (not set by init).
set -eu

BIN=${MEMLAB_BIN:-/memlab/bin}
MOD=${MEMLAB_MODULES:-/memlab/modules}
KVER=${MEMLAB_KVER:-$(uname -r)}

. "$(dirname "$0")/tap.sh"

bench=
for f in "$BIN/memlab-bench" "$BIN/bench/memlab-bench"; do
	if [ -x "$f" ]; then
		bench=$f
		break
	fi
done
if [ -z "$bench" ]; then
	tap 1 "bench: memlab-bench in $BIN"
	exit 1
fi

# A module that fails to load leaves its rows "n/a"; the references still run.
rc=0
insmod "$MOD/mtest.ko" || rc=$?
tap "$rc" "bench: insmod mtest"
rc=0
insmod "$MOD/maptest.ko" pages=1024 || rc=$?
tap "$rc" "bench: insmod maptest pages=1024"

rc=0
# shellcheck disable=SC2086 # word splitting of the extra arguments is wanted
"$bench" -k "$KVER" ${MEMLAB_BENCH_ARGS:-} || rc=$?
tap "$rc" "bench: memlab-bench ran"

for m in maptest mtest; do
	if grep -q "^$m " /proc/modules; then
		rc=0
		rmmod "$m" || rc=$?
		tap "$rc" "bench: rmmod $m"
	fi
done
