# SPDX-License-Identifier: GPL-2.0-only
#
# tap.sh: the one TAP writer of memlab's shell tiers, on the host and in
# the test VM (busybox sh; shipped as /memlab/tap.sh). Source it, set
# TAP_TIER (and optionally TAP_PREFIX), then:
#
#   emit "ok"|"not ok" DESC   one result; "ok" with "# SKIP why" is a skip
#   tap RC DESC               ok when RC is 0
#   tap_skip DESC REASON      a skip that says why
#   tap_check DESC CMD...     run CMD; ok when it succeeds, else not ok with
#                             the end of its output as diagnostics
#   tap_diag [FILE]           "# "-prefixed lines from FILE or stdin
#   tap_relay NAME RC <TAP    a child's TAP as results of this stream,
#                             prefixed "NAME: " (nothing when NAME is
#                             empty); other lines as comments.
#                             A child that printed no result, or exited RC
#                             non-zero with none failed, is one failure
#   tap_summary               the plan and "TIER: N passed, N failed[, N
#                             skipped]"; fails if anything failed
#
# The VM harness renumbers the guest's lines, so numbering is per process.

n=0
pass=0
fail=0
skip=0

emit() {
	n=$((n + 1))
	case "$1 $2" in
	"ok "*"# SKIP"*) skip=$((skip + 1)) ;;
	"ok "*) pass=$((pass + 1)) ;;
	*) fail=$((fail + 1)) ;;
	esac
	echo "$1 $n - ${TAP_PREFIX:-}$2"
}

tap() {
	if [ "$1" -eq 0 ]; then emit ok "$2"; else emit "not ok" "$2"; fi
}

tap_skip() {
	emit ok "$1 # SKIP $2"
}

tap_diag() {
	sed 's/^/# /' "$@"
}

tap_check() {
	_desc=$1
	shift
	if _out=$("$@" 2>&1); then
		emit ok "$_desc"
	else
		emit "not ok" "$_desc"
		printf '%s\n' "$_out" | tail -n "${TAP_DIAG_LINES:-20}" | tap_diag
	fi
}

tap_relay() {
	_name=$1
	_rc=$2
	_got=0
	_failed=0
	_run=
	while IFS= read -r _line; do
		case $_line in
		"#  RUN "*)
			# 6.1's harness prints a skip as "ok N # SKIP why", nameless.
			_run=$(echo "$_line" | sed -E 's/^#  RUN +([^ ]+).*/\1/')
			echo "# $_line"
			;;
		"ok "[0-9-]* | "not ok "[0-9-]*)
			_st=ok
			case $_line in "not "*) _st="not ok" ;; esac
			_desc=$(echo "$_line" | sed -E 's/^(not )?ok ([0-9]+ ?)?(- )?//')
			case $_desc in "#"*) _desc="$_run $_desc" ;; esac
			emit "$_st" "${_name:+$_name: }$_desc"
			_got=$((_got + 1))
			[ "$_st" = ok ] || _failed=1
			;;
		*) echo "# $_line" ;;
		esac
	done
	if [ "$_got" -eq 0 ]; then
		emit "not ok" "$_name: no TAP results (exit $_rc)"
	elif [ "$_rc" -ne 0 ] && [ "$_failed" -eq 0 ]; then
		emit "not ok" "$_name: exit status $_rc"
	fi
}

tap_summary() {
	echo "1..$n"
	if [ "$skip" -gt 0 ]; then
		echo "${TAP_TIER:-tap}: $pass passed, $fail failed, $skip skipped"
	else
		echo "${TAP_TIER:-tap}: $pass passed, $fail failed"
	fi
	[ "$fail" -eq 0 ]
}
