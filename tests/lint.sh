#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# lint.sh: the "lint" tier, as TAP. For every kernel of kernels/kernels.conf
# (MEMLAB_KERNELS selects some), one W=1 build with sparse (C=2) in its own
# copy of src/, in the kernel's own release's build root with that
# release's gcc and sparse: any diagnostic fails it. Then
# checkpatch.pl (from linux-source-6.1) on every .c and .h under src/,
# tools/ and tests/: anything but "0 errors, 0 warnings" fails.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
ksrc=build/linux-source-6.1
checkpatch=$ksrc/scripts/checkpatch.pl
logdir=build/lint
mkdir -p "$logdir"

# User-space programs (tools/, tests/) are not kernel code; these checks only
# make sense in the kernel and are waived there (src/ gets the plain command):
#   PREFER_DEFINED_ATTRIBUTE_MACRO: __printf() and friends come from the
#     kernel's compiler_attributes.h, which user space does not have.
#   VOLATILE: READ_ONCE()/WRITE_ONCE() do not exist in user space; a volatile
#     access is how a test makes sure a page is really touched.
TESTS_IGNORE=${MEMLAB_CHECKPATCH_TESTS_IGNORE-PREFER_DEFINED_ATTRIBUTE_MACRO,VOLATILE}

TAP_TIER=lint
TAP_PREFIX="lint: "
. "$top/tests/lib/tap.sh"
. "$top/kernels/lib.sh"

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

# Every kernel of the list, in its own release's build root with its gcc;
# once only a kernel that several ids boot with other paging levels
# (6.12-arm64 and 6.12-arm64-4l build the same objects).
kernels_each | while read -r id flavour rel suite series gcc levels; do
	echo "$id $rel $gcc $(kernel_version "$id")"
done | awk '$4 == "" || !seen[$4]++ { print $1, $2, $3 }' >"$logdir/kernels"
# sparse_check ID: the CHECK command for kernel ID. 7.x headers use
# __typeof_unqual__, which no sparse Debian packages (0.6.4, sid's
# 0.6.5~rc1) can parse; the kernel's own test (scripts/checker-valid.sh)
# would then drop C= altogether. Where the headers use it and the build
# root's sparse fails that test, sparse reads __typeof_unqual__ as
# __typeof__, which parses and keeps every check of memlab's own code.
sparse_check() {
	flavour=$(kernel_field "$1" 2)
	kver=$(kernel_version "$1")
	root=$(kernels/buildroot.sh "$(kernel_field "$1" 3)" "$(kernel_arch "$flavour")")
	common=$root/usr/src/linux-headers-${kver%-"$flavour"}-common
	if grep -qs __typeof_unqual__ "$common/include/linux/compiler_types.h" &&
		chroot "$root" sh -c "printf '%s\\n' \
		'int f(const int *q) { return (__typeof_unqual__(*q))*q; }' >/tmp/cv.c &&
		sparse /tmp/cv.c" 2>&1 | grep -q error; then
		echo "sparse -D__typeof_unqual__=__typeof__"
	else
		echo sparse
	fi
}

# known_sparse_limit: drop, from the hits on stdin, what that sparse cannot
# evaluate in 7.x's own macros: the static_assert of __builtin_strlen()
# behind MODULE_*() and module_param*() ("bad constant expression" at those
# lines only); and kbuild's note that it thinks sparse unusable, which
# KBUILD_CHECKSRC overrides.
known_sparse_limit() {
	while IFS= read -r hit; do
		case $hit in
		*"C=2 specified, but "*" is not available or not up to date") continue ;;
		esac
		f=$(echo "$hit" | sed -n 's|^\(/mnt/src/\)\{0,1\}\([^:]*\):\([0-9]*\):[0-9]*: error: bad constant expression$|\2:\3|p')
		if [ -n "$f" ] && sed -n "${f#*:}p" "src/${f%%:*}" |
			grep -Eq '^(MODULE_[A-Z_]+|module_param[a-z_]*)\('; then
			continue
		fi
		echo "$hit"
	done
}

while read -r id rel gcc; do
	if [ -z "$(kernel_version "$id")" ]; then
		tap_skip "build W=1 C=2 for $id" "the archive has no ABI of it with headers and an image"
		continue
	fi
	log=$logdir/build-$id.log
	rc=0
	check=$(sparse_check "$id")
	# KBUILD_CHECKSRC: Debian's headers lack scripts/checker-valid.sh, with
	# which 7.x decides whether sparse works; without it C=2 is dropped
	# silently. Forced here, a sparse that cannot parse the headers fails
	# the build loudly instead, and every object must show its CHECK line.
	kernels/build-modules.sh -o "build/lint/$id" "$id" W=1 C=2 KBUILD_CHECKSRC=2 \
		CHECK="$check" >"$log" 2>&1 || rc=$?
	kver=$(kernel_version "$id")
	# Compiler, sparse and modpost complaints; kbuild's own chatter is fine.
	grep -Ei 'warning:|error:|^[^ ]+:[0-9]+(:[0-9]+)?: ' "$log" |
		known_sparse_limit >"$log.hits" || true
	[ "$check" = sparse ] || echo "# $id: $check (no packaged sparse parses __typeof_unqual__)"
	nsrc=$(find src -name '*.c' | wc -l)
	nchk=$(grep -c '^ *CHECK ' "$log" || true)
	[ "$nchk" -ge "$nsrc" ] || echo "sparse checked $nchk of $nsrc files" >>"$log.hits"
	if [ "$rc" -eq 0 ] && [ ! -s "$log.hits" ]; then
		emit ok "build W=1 C=2 for $id (${kver:-?}, $rel, gcc-$gcc)"
	else
		[ -s "$log.hits" ] || tail -n 20 "$log" >"$log.hits"
		emit "not ok" "build W=1 C=2 for $id (${kver:-?}, $rel, gcc-$gcc): exit $rc"
		tap_diag "$log.hits"
	fi
done <"$logdir/kernels"

if [ ! -f "$checkpatch" ]; then
	make -s "$top/$ksrc/.extracted" >"$logdir/extract.log" 2>&1 || true
fi
if [ ! -f "$checkpatch" ]; then
	emit "not ok" "checkpatch.pl available ($checkpatch)"
	tap_diag "$logdir/extract.log"
else
	for f in $(sources src) $(sources lib) $(sources tools) $(sources grader) $(sources tests); do
		set -- --no-tree --show-types -f
		case $f in
		# Student-style solutions and their mutants, wrong on purpose.
		tests/grader/mutants/*) continue ;;
		tests/* | tools/* | lib/* | grader/*) [ -z "$TESTS_IGNORE" ] || set -- "$@" --ignore "$TESTS_IGNORE" ;;
		esac
		log=$logdir/checkpatch-$(echo "$f" | tr / _).log
		if perl "$checkpatch" "$@" "$f" >"$log" 2>&1 &&
			grep -q '^total: 0 errors, 0 warnings' "$log"; then
			emit ok "checkpatch $f"
		else
			emit "not ok" "checkpatch $f"
			tap_diag "$log"
		fi
	done
fi

tap_summary
