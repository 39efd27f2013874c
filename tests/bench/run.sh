#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# run.sh [KVER...]: the memlab benchmark, one command.
#
#   1. Builds tests/bench/memlab-bench.c, static, into build/bench/vm-bin,
#      the only program the bench guest needs (packed as /memlab/bin through
#      MEMLAB_VM_BINDIR; run-suite.sh rebuilds build/vm/bin from scratch).
#   2. Times the DKMS-style build of both modules for the first kernel:
#      "make -C /lib/modules/KVER/build M=<fresh copy of src> modules",
#      MEMLAB_BENCH_BUILD_RUNS times (default 3), outside the VM.
#   3. Boots each kernel (default: tests/vm/kernels.sh --boot) with
#      tests/vm/run-suite.sh --bench: tests/bench/guest-bench.sh runs
#      memlab-bench in the guest, every measurement in the same guest.
#   4. Cuts the table and the JSON out of build/vm/KVER-bench.log, writes
#      bench/results/KVER.json (and bench/results/build-time.json), prints
#      the tables.
#
# Ratios are reported, never asserted: the exit status says only whether
# every kernel produced its table. MEMLAB_BENCH_ARGS is not passed to the
# guest (its init does not forward the environment); edit guest-bench.sh or
# run memlab-bench by hand for other trial counts.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
work=build/bench
results=bench/results
mkdir -p "$work/vm-bin" "$results"

[ $# -gt 0 ] || set -- $(tests/vm/kernels.sh --boot)
for k in "$@"; do
	case $k in
	missing) echo "run.sh: a kernel series is missing (tests/vm/kernels.sh)" >&2; exit 1 ;;
	esac
done

echo "== building memlab-bench (static)"
${CC:-gcc} -O2 -g -Wall -Wextra -D_GNU_SOURCE -Isrc/include/uapi -static \
	-o "$work/vm-bin/memlab-bench" tests/bench/memlab-bench.c

now() { date +%s.%N; }

echo "== DKMS-style module build time, kernel $1"
runs=${MEMLAB_BENCH_BUILD_RUNS:-3}
jobs=$(nproc)
times=
i=0
while [ "$i" -lt "$runs" ]; do
	i=$((i + 1))
	rm -rf "$work/dkms"
	mkdir -p "$work/dkms"
	cp -a src "$work/dkms/src"
	find "$work/dkms/src" \( -name '*.o' -o -name '*.ko' -o -name '*.mod' \
		-o -name '*.mod.c' -o -name '.*.cmd' -o -name Module.symvers \
		-o -name modules.order \) -delete
	t0=$(now)
	make -C "/lib/modules/$1/build" M="$top/$work/dkms/src" -j"$jobs" modules \
		>"$work/dkms-build.log" 2>&1 ||
		{ echo "run.sh: module build failed, see $work/dkms-build.log" >&2; exit 1; }
	t1=$(now)
	t=$(echo "$t0 $t1" | awk '{ printf "%.2f", $2 - $1 }')
	echo "   run $i: ${t}s"
	times="$times $t"
done
echo "$times" | tr ' ' '\n' | sed '/^$/d' | sort -n | awk -v k="$1" -v j="$jobs" '
	{ v[NR] = $1 }
	END {
		med = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "{\n  \"kernel\": \"%s\",\n  \"command\": \"make -C /lib/modules/%s/build M=<copy of src> -j%s modules\",\n", k, k, j
		printf "  \"runs_s\": ["
		for (i = 1; i <= NR; i++) printf "%s%s", (i > 1 ? ", " : ""), v[i]
		printf "],\n  \"median_s\": %.2f, \"min_s\": %s, \"max_s\": %s\n}\n", med, v[1], v[NR]
	}' >"$results/build-time.json"
sed -n 's/.*"median_s": \([^,]*\), "min_s": \([^,]*\), "max_s": \(.*\)/   build time: median \1 s [\2 - \3 s], -j'"$jobs"'/p' \
	"$results/build-time.json"

status=0
for k in "$@"; do
	echo "== $k: booting the bench VM (tests/vm/run-suite.sh --bench $k)"
	out=$work/$k-run-suite.out
	rc=0
	MEMLAB_VM_BINDIR=$top/$work/vm-bin tests/vm/run-suite.sh --bench "$k" >"$out" 2>&1 || rc=$?
	grep -E '^(not ok|bench:)' "$out" | sed 's/^/   /' || true
	log=build/vm/$k-bench.log
	if [ ! -f "$log" ]; then
		echo "run.sh: $k: no $log (run-suite.sh exit $rc, see $out)" >&2
		status=1
		continue
	fi
	tr -d '\r' <"$log" | sed -n '/^=== memlab bench: /,/^=== end of memlab bench ===$/p' \
		>"$work/$k-table.txt"
	tr -d '\r' <"$log" | sed -n 's/^MEMLAB-BENCH-JSON: //p' >"$work/$k.json"
	if [ ! -s "$work/$k-table.txt" ] || [ ! -s "$work/$k.json" ]; then
		echo "run.sh: $k: no table in $log (run-suite.sh exit $rc, see $out)" >&2
		status=1
		continue
	fi
	if command -v python3 >/dev/null &&
	   ! python3 -m json.tool "$work/$k.json" >/dev/null 2>&1; then
		echo "run.sh: $k: the JSON in $log does not parse" >&2
		status=1
		continue
	fi
	cp "$work/$k.json" "$results/$k.json"
	echo
	cat "$work/$k-table.txt"
	echo "   -> $results/$k.json"
done
exit "$status"
