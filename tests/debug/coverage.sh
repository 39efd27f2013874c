#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# coverage.sh ID LOG: mtest's line coverage from the fuzz boot. The guest
# (tests/vm/guest-fuzz.sh) prints each .gcda file of a module built for
# a GCOV_KERNEL kernel (src/Kbuild) in base64 between MEMLAB-GCDA markers;
# they are put beside the .gcno files of build/kernels/ID and read with
# the gcov of the compiler that built them. Prints "file: N% of M lines".
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/kernels/lib.sh"
id=$1
log=$2
obj=$top/build/kernels/$id/src/mtest
gcov=gcov-$(kernel_field "$id" 6)

if ! grep -q '^MEMLAB-GCDA-BEGIN' "$log" 2>/dev/null; then
	echo "coverage: no coverage data in $log (not a GCOV kernel?)"
	exit 0
fi
command -v "$gcov" >/dev/null || { echo "coverage: $gcov not installed"; exit 0; }
awk -v dir="$obj" '
	{ sub(/\r$/, "") }
	/^MEMLAB-GCDA-BEGIN / { n = split($2, p, "/"); out = dir "/" p[n] ".b64"; next }
	/^MEMLAB-GCDA-END/ { close(out); out = ""; next }
	out != "" { print > out }' "$log"
for b in "$obj"/*.gcda.b64; do
	base64 -d "$b" >"${b%.b64}" && rm -f "$b"
done
cd "$obj"
for c in *.c; do
	[ -f "${c%.c}.gcda" ] || continue
	"$gcov" -n -o . "$c" 2>/dev/null |
		awk -v f="mtest/$c" '/^Lines executed:/ { sub(/Lines executed:/, ""); print "coverage: " f ": " $0; exit }'
done
