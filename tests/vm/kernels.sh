#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# kernels.sh [--boot]: print the kernels memlab is tested on, one per line:
# the newest Debian amd64 kernel of each series in $MEMLAB_KERNEL_SERIES
# (default "6.1 6.12") whose headers are installed (and, with --boot, whose
# image is in /boot). Versions are discovered, never hard-coded, because CI
# installs whatever the mirror carries. A series with no kernel prints
# "missing SERIES" so callers can fail loudly instead of testing less.
set -eu

boot=
[ "${1:-}" = --boot ] && boot=1

for series in ${MEMLAB_KERNEL_SERIES:-6.1 6.12}; do
	best=
	for d in /lib/modules/"$series".*; do
		[ -d "$d/build" ] || continue
		v=${d#/lib/modules/}
		case $v in
		# Only the generic flavour: cloud/rt kernels lack drivers we boot with.
		*-cloud-amd64 | *-rt-amd64) continue ;;
		*-amd64) ;;
		*) continue ;;
		esac
		[ -z "$boot" ] || [ -f "/boot/vmlinuz-$v" ] || continue
		best=$(printf '%s\n%s\n' "$best" "$v" | sed '/^$/d' | sort -V | tail -n 1)
	done
	if [ -n "$best" ]; then
		echo "$best"
	else
		echo "missing $series"
	fi
done
