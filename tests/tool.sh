#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# tool.sh [ID...]: the tool tier (make tool). Runs tests/vm/guest-tool.sh in the VM
# of each kernel (tests/vm.sh --mode tool; default the kernels
# whose "modes" column in kernels/kernels.conf names tool), then checks on the host what the
# guest printed: every JSON output with python3's JSON parser, every SVG
# rendered to PNG with rsvg-convert (tests/tool/check-files.py). Ends
# with "tool: N passed, N failed[, N skipped]".
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. "$top/kernels/lib.sh"
[ $# -gt 0 ] || set -- $(kernels_for tool)

TAP_TIER=tool
. "$top/tests/lib/tap.sh"

echo "TAP version 13"
for id in "$@"; do
	out=build/tool/$id
	mkdir -p "$out"
	rc=0
	tests/vm.sh --mode tool "$id" >"$out/vm.tap" 2>&1 || rc=$?
	# The VM's results, already prefixed with the kernel by vm.sh.
	tap_relay "" "$rc" <"$out/vm.tap"
	log=build/vm/$id-tool.log
	if ! command -v rsvg-convert >/dev/null; then
		emit "not ok" "$id: rsvg-convert on the host (apt-get install librsvg2-bin)"
		continue
	fi
	rc=0
	python3 tests/tool/check-files.py "$log" "$out" >"$out/files.tap" 2>&1 || rc=$?
	tap_relay "$id" "$rc" <"$out/files.tap"
done
tap_summary
