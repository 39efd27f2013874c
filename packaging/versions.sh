#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# versions.sh [DIR]: the one check that memlab has one version. VERSION is
# the source; debian/changelog, the newest release of CHANGELOG.md and the
# spec's Version must say the same, and dkms.conf must take it from
# packaging (#MODULE_VERSION#). The kernel range of dkms.conf
# (BUILD_EXCLUSIVE_KERNEL_MIN/MAX) must be the series of kernels/kernels.conf:
# from the oldest to the one after the newest; the packages' messages read
# it from the installed dkms.conf. Prints what each file says; exits 1 on
# any disagreement. deb-build.sh and rpm-build.sh refuse to build then.
set -eu

dir=${1:-$(cd "$(dirname "$0")/.." && pwd)}
ver=$(cat "$dir/VERSION")
bad=0
say() { printf '%-18s %s\n' "$1" "$2"; }
same() {
	say "$1" "$2"
	[ "$2" = "$ver" ] || { echo "versions: $1 says '$2', VERSION says $ver" >&2; bad=1; }
}

say VERSION "$ver"
# "memlab (0.1.0-1) unstable; ...": the upstream part.
same debian/changelog "$(sed -n '1s/^[^ ]* (\([^)]*\)).*/\1/p' "$dir/debian/changelog" | sed 's/-[^-]*$//')"
# "## [0.1.0] - 2026-11-23": the first released heading, not Unreleased.
same CHANGELOG.md "$(sed -n 's/^## \[\([0-9][^]]*\)\].*/\1/p' "$dir/CHANGELOG.md" | head -n 1)"
same rpm/memlab.spec "$(sed -n 's/^Version:[[:space:]]*//p' "$dir/rpm/memlab.spec")"
v=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$dir/dkms.conf")
say dkms.conf "$v"
[ "$v" = "#MODULE_VERSION#" ] || { echo "versions: dkms.conf must say #MODULE_VERSION#" >&2; bad=1; }

# The range: every series of kernels.conf's test kernels (column 5; the
# linux-source rows are debug builds of a listed series).
series=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$dir/kernels/kernels.conf" |
	awk '$4 != "linux-source" { print $5 }' | sort -uV)
lo=$(echo "$series" | head -n 1)
hi=$(echo "$series" | tail -n 1)
above=${hi%%.*}.$((${hi#*.} + 1))
min=$(sed -n 's/^BUILD_EXCLUSIVE_KERNEL_MIN="\(.*\)"$/\1/p' "$dir/dkms.conf")
max=$(sed -n 's/^BUILD_EXCLUSIVE_KERNEL_MAX="\(.*\)"$/\1/p' "$dir/dkms.conf")
say "kernel range" "kernels.conf: $lo to $hi; dkms.conf: MIN=$min MAX=$max"
[ "$min" = "$lo" ] && [ "$max" = "$above" ] ||
	{ echo "versions: dkms.conf's range must be MIN=$lo MAX=$above (kernels/kernels.conf)" >&2; bad=1; }
! grep -q '^BUILD_EXCLUSIVE_KERNEL=' "$dir/dkms.conf" ||
	{ echo "versions: dkms.conf: use MIN/MAX, not BUILD_EXCLUSIVE_KERNEL" >&2; bad=1; }
# No hand-written range elsewhere in the packaging.
if grep -rnE '[0-9]+\.[0-9]+ (to|up to) [0-9]+\.[0-9]+' "$dir/debian" "$dir/rpm" "$dir/systemd" \
	"$dir/man/memlab-modules.service.8"; then
	echo "versions: a kernel range written by hand (above): read it from dkms.conf" >&2
	bad=1
fi
exit $bad
