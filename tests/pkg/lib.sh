# SPDX-License-Identifier: GPL-2.0-only
#
# lib.sh: what every package tier (tests/pkg-*.sh) sources first, with $top
# set: the TAP writer, the kernels, the mirror, the host helpers, the
# cache helper and the boot helpers; and $ver, the version in the tree.

. "$top/tests/lib/tap.sh"
. "$top/kernels/lib.sh"
. "$top/kernels/mirror.sh"
. "$top/kernels/host.sh"
. "$top/kernels/cache.sh"
. "$top/tests/pkg/boot.sh"
ver=$(cat "$top/VERSION")
