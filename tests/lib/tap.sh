# SPDX-License-Identifier: GPL-2.0-only
#
# TAP for the host-side tier scripts: source it, set TAP_TIER, call
# emit for each result and tap_summary at the end.

n=0
pass=0
fail=0
skip=0

emit() { # emit "ok"|"not ok" DESCRIPTION
	n=$((n + 1))
	case "$1 $2" in
	"ok "*"# SKIP"*) skip=$((skip + 1)) ;;
	"ok "*) pass=$((pass + 1)) ;;
	*) fail=$((fail + 1)) ;;
	esac
	echo "$1 $n - ${TAP_PREFIX:-}$2"
}

# The plan and the "TIER: N passed, N failed[, N skipped]" line; fails if
# anything failed.
tap_summary() {
	echo "1..$n"
	if [ "$skip" -gt 0 ]; then
		echo "$TAP_TIER: $pass passed, $fail failed, $skip skipped"
	else
		echo "$TAP_TIER: $pass passed, $fail failed"
	fi
	[ "$fail" -eq 0 ]
}
