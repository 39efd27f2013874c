#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# bench.sh [--build] [ID...]: the "bench" tier (make bench), the memlab
# benchmark in one command (--build: the module build times only, step 2).
#
#   1. Builds tests/bench/memlab-bench.c, static, into build/bench/vm-bin,
#      the only program the bench guest needs (packed as /memlab/bin through
#      MEMLAB_VM_BINDIR; vm.sh rebuilds build/vm/bin from scratch).
#   2. Times the DKMS build of memlab for every kernel of kernels/kernels.conf
#      (tests/bench/build-time.sh: the release's dkms, gcc and headers in its
#      build root), MEMLAB_BENCH_BUILD_RUNS times each (default 3; 0 skips
#      this step and keeps bench/results/build-time.json).
#   3. Boots each kernel (default: those of kernels/kernels.conf that the VM
#      suite boots, of this machine's architecture) with
#      tests/vm.sh --bench: tests/vm/guest-bench.sh runs
#      memlab-bench in the guest, every measurement in the same guest.
#   4. Cuts the table and the JSON out of build/vm/ID-bench.log, writes
#      bench/results/KVER.json (and bench/results/build-time.json), prints
#      the tables.
#
# Ratios are reported, never asserted: the exit status says only whether
# every kernel produced its table. MEMLAB_BENCH_ARGS is not passed to the
# guest (its init does not forward the environment); edit guest-bench.sh or
# run memlab-bench by hand for other trial counts.
set -eu

. "$(dirname "$0")/lib/usage.sh"
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
work=build/bench
results=bench/results
mkdir -p "$work/vm-bin" "$results"

build_only=
if [ "${1:-}" = --build ]; then
	build_only=1
	shift
fi
. "$top/kernels/lib.sh"
# memlab-bench is built for this machine: its architecture's kernels.
[ $# -gt 0 ] || set -- $(kernels_each levels |
	awk -v a="$(dpkg --print-architecture)" '$2 == a { print $1 }')

echo "== building memlab-bench (static)"
${CC:-gcc} -O2 -g -Wall -Wextra -D_GNU_SOURCE -Isrc/include/uapi -static \
	-o "$work/vm-bin/memlab-bench" tests/bench/memlab-bench.c

[ "${MEMLAB_BENCH_BUILD_RUNS:-3}" -eq 0 ] || tests/bench/build-time.sh
[ -z "$build_only" ] || exit 0
status=0
for k in "$@"; do
	echo "== $k: booting the bench VM (tests/vm.sh --bench $k)"
	out=$work/$k-run-suite.out
	rc=0
	MEMLAB_VM_BINDIR=$top/$work/vm-bin tests/vm.sh --bench "$k" >"$out" 2>&1 || rc=$?
	grep -E '^(not ok|bench:)' "$out" | sed 's/^/   /' || true
	log=build/vm/$k-bench.log
	if [ ! -f "$log" ]; then
		echo "bench.sh: $k: no $log (vm.sh exit $rc, see $out)" >&2
		status=1
		continue
	fi
	tr -d '\r' <"$log" | sed -n '/^=== memlab bench: /,/^=== end of memlab bench ===$/p' \
		>"$work/$k-table.txt"
	tr -d '\r' <"$log" | sed -n 's/^MEMLAB-BENCH-JSON: //p' >"$work/$k.json"
	if [ ! -s "$work/$k-table.txt" ] || [ ! -s "$work/$k.json" ]; then
		echo "bench.sh: $k: no table in $log (vm.sh exit $rc, see $out)" >&2
		status=1
		continue
	fi
	if command -v python3 >/dev/null &&
	   ! python3 -m json.tool "$work/$k.json" >/dev/null 2>&1; then
		echo "bench.sh: $k: the JSON in $log does not parse" >&2
		status=1
		continue
	fi
	cp "$work/$k.json" "$results/$(kernel_version "$k").json"
	echo
	cat "$work/$k-table.txt"
	echo "   -> $results/$(kernel_version "$k").json"
done
exit "$status"
