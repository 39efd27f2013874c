#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# lint.sh: the "lint" tier, as TAP. For every test kernel, one W=1 build
# with sparse (C=2) in its own copy of src/: any diagnostic fails it. Then
# checkpatch.pl (from linux-source-6.1) on every .c and .h under src/ and
# tests/: anything but "0 errors, 0 warnings" fails.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
ksrc=build/linux-source-6.1
checkpatch=$ksrc/scripts/checkpatch.pl
logdir=build/lint
mkdir -p "$logdir"

# User-space test programs are not kernel code; these checks only make sense
# in the kernel and are waived for tests/ (src/ gets the plain command):
#   PREFER_DEFINED_ATTRIBUTE_MACRO: __printf() and friends come from the
#     kernel's compiler_attributes.h, which user space does not have.
#   VOLATILE: READ_ONCE()/WRITE_ONCE() do not exist in user space; a volatile
#     access is how a test makes sure a page is really touched.
TESTS_IGNORE=${MEMLAB_CHECKPATCH_TESTS_IGNORE-PREFER_DEFINED_ATTRIBUTE_MACRO,VOLATILE}

n=0
pass=0
fail=0
result() { # result OK|FAIL DESCRIPTION [LOGFILE]
	n=$((n + 1))
	if [ "$1" = OK ]; then
		pass=$((pass + 1))
		echo "ok $n - lint: $2"
	else
		fail=$((fail + 1))
		echo "not ok $n - lint: $2"
		[ -z "${3:-}" ] || sed 's/^/# /' "$3"
	fi
}

# Files to check: tracked and new files, minus generated ones .gitignore
# already names (e.g. *.mod.c from an in-tree build).
sources() {
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		git ls-files -co --exclude-standard -- "$1/*.c" "$1/*.h"
	else
		find "$1" \( -name '*.c' -o -name '*.h' \) ! -name '*.mod.c'
	fi | sort -u | while read -r f; do [ -f "$f" ] && echo "$f"; done
}

echo "TAP version 13"

for kver in $(tests/vm/kernels.sh | tr ' ' '_'); do
	case $kver in
	missing_*)
		echo "# no headers for kernel series ${kver#missing_}" >"$logdir/missing.log"
		result FAIL "build W=1 C=2 for ${kver#missing_}" "$logdir/missing.log"
		continue
		;;
	esac
	log=$logdir/build-$kver.log
	if tests/build-modules.sh -o "build/lint/$kver" "$kver" W=1 C=2 >"$log" 2>&1; then
		rc=0
	else
		rc=$?
	fi
	# Compiler, sparse and modpost complaints; kbuild's own chatter is fine.
	grep -Ei 'warning:|error:|^[^ ]+:[0-9]+(:[0-9]+)?: ' "$log" >"$log.hits" || true
	if [ "$rc" -eq 0 ] && [ ! -s "$log.hits" ]; then
		result OK "build W=1 C=2 for $kver"
	else
		[ -s "$log.hits" ] || tail -n 20 "$log" >"$log.hits"
		result FAIL "build W=1 C=2 for $kver (exit $rc)" "$log.hits"
	fi
done

if [ ! -f "$checkpatch" ]; then
	make -s "$top/$ksrc/.extracted" >"$logdir/extract.log" 2>&1 || true
fi
if [ ! -f "$checkpatch" ]; then
	result FAIL "checkpatch.pl available ($checkpatch)" "$logdir/extract.log"
else
	for f in $(sources src) $(sources tests); do
		set -- --no-tree --show-types -f
		case $f in
		tests/*) [ -z "$TESTS_IGNORE" ] || set -- "$@" --ignore "$TESTS_IGNORE" ;;
		esac
		log=$logdir/checkpatch-$(echo "$f" | tr / _).log
		if perl "$checkpatch" "$@" "$f" >"$log" 2>&1 &&
			grep -q '^total: 0 errors, 0 warnings' "$log"; then
			result OK "checkpatch $f"
		else
			result FAIL "checkpatch $f" "$log"
		fi
	done
fi

echo "1..$n"
echo "lint: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
