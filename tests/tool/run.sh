#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# run.sh [ID...]: the "tool" tier. Runs tests/tool/guest-tool.sh in the VM
# of each kernel (tests/vm/run-suite.sh --mode tool; default the kernels
# whose "modes" column in kernels/kernels.conf names tool), then checks on the host what the
# guest printed: every JSON output with python3's JSON parser, every SVG
# rendered to PNG with rsvg-convert (tests/tool/check-files.py). Ends
# with "tool: N passed, N failed[, N skipped]".
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
. "$top/kernels/lib.sh"
[ $# -gt 0 ] || set -- $(kernels_for tool)

TAP_TIER=tool
. "$top/tests/lib/tap.sh"

echo "TAP version 13"
for id in "$@"; do
	out=build/tool/$id
	mkdir -p "$out"
	tests/vm/run-suite.sh --mode tool "$id" >"$out/vm.tap" 2>&1
	# The VM's results (run-suite.sh prefixes them with the kernel; the
	# guest's own copy of them, in its plain output, is not counted twice).
	while IFS= read -r line; do
		case $line in
		"ok "[0-9]*" - $id: "* | "not ok "[0-9]*" - $id: "*)
			st=${line%% [0-9]*}
			emit "$st" "$(echo "$line" | sed -E 's/^(not )?ok [0-9]+ (- )?//')"
			;;
		"# ---- "*) ;;
		"#"*) echo "$line" ;;
		esac
	done <"$out/vm.tap"
	log=build/vm/$id-tool.log
	if ! command -v rsvg-convert >/dev/null; then
		emit "not ok" "$id: rsvg-convert on the host (apt-get install librsvg2-bin)"
		continue
	fi
	python3 tests/tool/check-files.py "$log" "$out" >"$out/files.tap" 2>&1
	while IFS= read -r line; do
		case $line in
		"ok - "*) emit ok "$id: ${line#ok - }" ;;
		"not ok - "*) emit "not ok" "$id: ${line#not ok - }" ;;
		*) echo "$line" ;;
		esac
	done <"$out/files.tap"
done
tap_summary
