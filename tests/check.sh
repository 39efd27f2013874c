#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# check.sh: the whole suite, what "make check" runs. Installs the
# dependencies, then runs the tiers unit, lint, vm and the vm modes
# (vm-yama3, vm-forcenever, vm-gigantic), tool, and the package tests
# tests/pkg-deb.sh and tests/pkg-rpm.sh when they are present and
# executable. Every tier's output is shown as it runs; each ends with a line
# "TIER: N passed, N failed[, N skipped]". The last line printed is the grand
# total "N passed, N failed[, N skipped]"; the exit status is non-zero if
# anything failed (a tier that fails without a summary counts as one failure).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
logs=build/check
mkdir -p "$logs"

total_pass=0
total_fail=0
total_skip=0
tiers=""
: >"$logs/recap"

add() { # add PASS FAIL SKIP
	total_pass=$((total_pass + $1))
	total_fail=$((total_fail + $2))
	total_skip=$((total_skip + $3))
}

# tier NAME CMD...: run CMD, show its output, add its summary line to the total.
tier() {
	name=$1
	shift
	echo "==== $name: $* ===="
	rc=0
	t0=$(date +%s)
	# Keep the status of CMD, not of tee.
	{ "$@" 2>&1 || echo "check: $name exit status $?"; } | tee "$logs/$name.log"
	echo "==== $name: $(($(date +%s) - t0)) s ===="
	rc=$(sed -n "s/^check: $name exit status \([0-9]*\)$/\1/p" "$logs/$name.log")
	rc=${rc:-0}
	sum=$(grep -E '^([A-Za-z0-9_-]+: )?[0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$' \
		"$logs/$name.log" | tail -n 1 || true)
	tiers="$tiers $name"
	printf '%-16s %s\n' "$name" "${sum:-no summary line, exit status $rc}" >>"$logs/recap"
	if [ -z "$sum" ]; then
		# No summary line: the exit status is the only result.
		if [ "$rc" -eq 0 ]; then add 1 0 0; else add 0 1 0; fi
		return
	fi
	p=$(echo "$sum" | sed -E 's/.*\b([0-9]+) passed.*/\1/')
	f=$(echo "$sum" | sed -E 's/.*\b([0-9]+) failed.*/\1/')
	s=0
	case $sum in *skipped) s=$(echo "$sum" | sed -E 's/.*\b([0-9]+) skipped$/\1/') ;; esac
	# A tier that failed but counted no failure still failed.
	[ "$rc" -eq 0 ] || [ "$f" -gt 0 ] || f=1
	add "$p" "$f" "$s"
}

# recap: each tier's summary and every failed test, so that the end of
# the log (all a CI page may show) says what failed without scrolling.
recap() {
	echo "==== recap ===="
	cat "$logs/recap"
	for name in $tiers; do
		grep -E '^[# ]*not ok ' "$logs/$name.log" | grep -v '# TODO' |
			sed "s/^/$name: /" | head -n 40 || true
		sed -n "s/^check: $name exit status /$name: exit status /p" "$logs/$name.log"
	done
}

# vm_mode MODE: the tier vm-MODE, tests/vm.sh --mode MODE on the
# kernels whose "modes" column in kernels/kernels.conf names it.
vm_mode() {
	ids=$(. kernels/lib.sh && kernels_for "$1")
	[ -z "$ids" ] || tier "vm-$1" env MEMLAB_SKIP_DEPS=1 tests/vm.sh --mode "$1" $ids
}

t_check=$(date +%s)
echo "==== deps: tests/deps.sh ===="
if tests/deps.sh; then
	echo "==== deps: $(($(date +%s) - t_check)) s ===="
	make -s "$top/build/linux-source-6.1/.extracted" || add 0 1 0
	# What this run tests, first in every log.
	echo "==== kernels ===="
	(. kernels/lib.sh && kernels_report)
else
	echo "check: deps.sh failed"
	add 0 1 0
fi

tier unit tests/unit.sh
tier lint tests/lint.sh
tier vm env MEMLAB_SKIP_DEPS=1 tests/vm.sh
# The boots that need their own command line or a one-way setting
# (tests/vm/guest-MODE.sh), and make demo's, on the kernels that show what
# they test (the "modes" column of kernels/kernels.conf).
for m in yama3 forcenever gigantic demo; do
	vm_mode "$m"
done
tier tool env MEMLAB_SKIP_DEPS=1 tests/tool.sh
# The grader on the reference and three mutants (make check-grade: all).
tier grade tests/check-grade.sh --quick
for t in deb rpm; do
	if [ -x "tests/pkg-$t.sh" ]; then
		tier "pkg-$t" "tests/pkg-$t.sh"
	fi
done

recap
echo "==== check: $(($(date +%s) - t_check)) s ===="
if [ "$total_skip" -gt 0 ]; then
	echo "$total_pass passed, $total_fail failed, $total_skip skipped"
else
	echo "$total_pass passed, $total_fail failed"
fi
[ "$total_fail" -eq 0 ]
