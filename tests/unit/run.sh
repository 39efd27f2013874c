#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# run.sh: the "unit" tier. Builds every tests/unit/NAME.c as a host program
# (kselftest harness from linux-source-6.1, the uapi header) and runs it,
# merging the programs' TAP into one stream. An optional tests/unit/NAME.flags
# holds extra compiler arguments (more sources, -I, -D) for NAME.c. No module
# is ever loaded here: the host kernel cannot load modules.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
ksft=build/linux-source-6.1/tools/testing/selftests
out=build/unit
mkdir -p "$out"

TAP_TIER=unit
TAP_PREFIX="unit: "
. "$top/tests/lib/tap.sh"

echo "TAP version 13"
tests=$(ls tests/unit/*.c 2>/dev/null || true)
if [ -n "$tests" ] && [ ! -f "$ksft/kselftest_harness.h" ]; then
	make -s "$top/build/linux-source-6.1/.extracted"
fi

for src in $tests; do
	name=$(basename "$src" .c)
	bin=$out/$name
	extra=
	[ ! -f "tests/unit/$name.flags" ] || extra=$(cat "tests/unit/$name.flags")
	# shellcheck disable=SC2086 # $extra is a list of arguments
	if ! ${CC:-gcc} -O2 -g -Wall -Wextra -D_GNU_SOURCE -pthread \
		-Isrc/include/uapi -isystem "$ksft" -Itests/lib \
		-o "$bin" "$src" $extra >"$bin.cc.log" 2>&1; then
		emit "not ok" "$name: compile"
		sed 's/^/# /' "$bin.cc.log"
		continue
	fi
	sed 's/^/# /' "$bin.cc.log"
	rc=0
	timeout "${MEMLAB_UNIT_TIMEOUT:-120}" "$bin" >"$bin.log" 2>&1 || rc=$?
	got=0
	failed=0
	run=
	while IFS= read -r line; do
		case $line in
		"#  RUN "*)
			# 6.1's harness prints a skip as "ok N # SKIP why", nameless.
			run=$(echo "$line" | sed -E 's/^#  RUN +([^ ]+).*/\1/')
			echo "# $line"
			;;
		"ok "[0-9]* | "not ok "[0-9]*)
			st=${line%% [0-9]*}
			desc=$(echo "$line" | sed -E 's/^(not )?ok [0-9]+ (- )?//')
			case $desc in "#"*) desc="$run $desc" ;; esac
			emit "$st" "$name: $desc"
			got=$((got + 1))
			[ "$st" = ok ] || failed=1
			;;
		*) echo "# $line" ;;
		esac
	done <"$bin.log"
	if [ "$got" -eq 0 ]; then
		emit "not ok" "$name: no TAP results (exit $rc)"
	elif [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
		emit "not ok" "$name: exit status $rc"
	fi
done

tap_summary
