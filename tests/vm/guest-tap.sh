# SPDX-License-Identifier: GPL-2.0-only
#
# TAP for the guest scripts (busybox sh), shipped as /memlab/tap.sh. The
# numbering is local: the host renumbers every guest's lines.

n=0
tap() { # tap RC DESCRIPTION
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
	fi
}
skip() { # skip DESCRIPTION REASON
	n=$((n + 1))
	echo "ok $n - $1 # SKIP $2"
}
