#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# unit.sh: the unit tier (make unit). Builds every tests/unit/NAME.c as a host program
# (kselftest harness from linux-source-6.1, the uapi header) and runs it,
# and runs every tests/unit/NAME_test.sh (shell libraries over recorded
# fixtures), merging their TAP into one stream. An optional tests/unit/NAME.flags
# holds extra compiler arguments (more sources, -I, -D) for NAME.c. No module
# is ever loaded here: the host kernel cannot load modules.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
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
	if ! ${CC:-gcc} -O2 -g -Wall -Wextra -Werror -D_GNU_SOURCE -pthread \
		-Isrc/include/uapi -isystem "$ksft" -Itests/lib \
		-o "$bin" "$src" $extra >"$bin.cc.log" 2>&1; then
		emit "not ok" "$name: compile"
		sed 's/^/# /' "$bin.cc.log"
		continue
	fi
	sed 's/^/# /' "$bin.cc.log"
	rc=0
	timeout "${MEMLAB_UNIT_TIMEOUT:-120}" "$bin" >"$bin.log" 2>&1 || rc=$?
	tap_relay "$name" "$rc" <"$bin.log"
done

# Shell tests: tests/unit/NAME_test.sh, TAP on stdout.
for t in tests/unit/*_test.sh; do
	[ -f "$t" ] || continue
	name=$(basename "$t" .sh)
	rc=0
	timeout "${MEMLAB_UNIT_TIMEOUT:-120}" sh "$t" >"$out/$name.log" 2>&1 || rc=$?
	tap_relay "$name" "$rc" <"$out/$name.log"
done

tap_summary
