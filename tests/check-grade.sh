#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# check-grade.sh [--quick] [--from-deb] [ID...]: the grader's tier (make check-grade; --quick in
# make check).
#
# Grades, with memlab-grade --class, memlab's own modules (src/, the
# reference), the seed-style solution of mutants/base, and each mutant
# (base with mutants/NAME.patch applied: one bug class each) on each kernel
# (default the kernels whose modes column in kernels/kernels.conf says
# "mutants": 6.1 and the newest 7.x), then checks every report with
# check-reports.py: each rule's verdict is what expected/NAME says, and the
# JSON, Gradescope, JUnit and KTAP reports parse and agree. --quick grades
# the reference and three mutants (a FAIL, a CRASH, a BUILD-FAIL) on the
# first of them only: a few minutes.
#
# --from-deb grades with the memlab-grader package instead of the tree:
# packaging/deb-build.sh builds the .debs from the tree, and
# the package's files are unpacked into build/grade/pkg, so what is graded
# with is exactly what apt would install: its memlab-grade, rubric, guest
# program and kernels/ machinery under /usr/share/memlab.
#
# MEMLAB_GRADE_JOBS=N VMs at once (default 2); the work is kept in
# build/grade/ID (the class directory, the reports, the time it took).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
here=$top/tests/grader
quick=0
grader=$top/grader/memlab-grade
while [ $# -gt 0 ]; do
	case $1 in
	--quick) quick=1 ;;
	--from-deb) grader=deb ;;
	*) break ;;
	esac
	shift
done
. "$top/kernels/lib.sh"
. "$top/kernels/host.sh"
# What memlab-grader depends on, and the JUnit parser the reports are
# checked with.
host_install bubblewrap python3-junitparser patch qemu-system-x86 mmdebstrap
[ $# -gt 0 ] || set -- $(kernels_for mutants)
if [ $quick = 1 ]; then
	names="reference noperm badpid nobuild"
	set -- "$1"
else
	names="reference base $(cd "$here/mutants" && ls *.patch | sed 's/\.patch$//' | tr '\n' ' ')"
fi

TAP_TIER=grade
. "$top/tests/lib/tap.sh"
echo "TAP version 13"
if [ "$grader" = deb ]; then
	mkdir -p "$top/build/grade"
	"$top/packaging/deb-build.sh" >"$top/build/grade/deb-build.log" 2>&1 ||
		{ tail -n 30 "$top/build/grade/deb-build.log"; exit 1; }
	pkg=$top/build/grade/pkg
	rm -rf "$pkg"
	mkdir -p "$pkg"
	deb=$(ls "$top"/build/deb/memlab-grader_*_all.deb | tail -n 1)
	dpkg-deb -x "$deb" "$pkg"
	# The command apt puts on the PATH, resolved inside the unpacked tree.
	link=$(readlink "$pkg/usr/bin/memlab-grade" || true)
	case $link in
	/*) grader=$pkg$link ;;
	*) grader=$pkg/usr/bin/$link ;;
	esac
	[ -n "$link" ] && [ -x "$grader" ]
	tap $? "grading with ${deb##*/}: /usr/bin/memlab-grade -> $link"
fi
for id in "$@"; do
	out=$top/build/grade/$id
	rm -rf "$out"
	mkdir -p "$out/class"
	for sub in $names; do
		case $sub in
		reference) cp -a "$top/src" "$out/class/reference" ;;
		base) cp -a "$here/mutants/base" "$out/class/base" ;;
		*)
			cp -a "$here/mutants/base" "$out/class/$sub"
			patch -s -d "$out/class/$sub" -p1 <"$here/mutants/$sub.patch"
			;;
		esac
	done
	start=$(date +%s)
	echo "# grader $id: $(echo $names | wc -w) submissions"
	if ! nice -n 10 "$grader" --class "$out/class" --output "$out/reports" \
		--kernel "$id" --jobs "${MEMLAB_GRADE_JOBS:-2}" 2>"$out/grade.log"; then
		emit "not ok" "$id: memlab-grade --class"
		tail -n 30 "$out/grade.log" | tap_diag
		continue
	fi
	echo "# grader $id: graded in $(($(date +%s) - start)) s"
	sed -n 's/^memlab-grade: \[/# [/p' "$out/grade.log"
	rc=0
	"$here/check-reports.py" "$out/reports" "$here/expected" "$id" $names >"$out/check.tap" 2>&1 || rc=$?
	tap_relay "$id" "$rc" <"$out/check.tap"
done
tap_summary
