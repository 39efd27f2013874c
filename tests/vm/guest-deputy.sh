#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# guest-deputy.sh: whose verdict a /proc/mtest command gets, alone: the
# deputy selftest as root and as nobody, and the permission matrix with
# its "who opened, who writes" dimension at ptrace_scope 0, 1 and 2. The
# suite runs the same; this mode is the quick check of that rule:
# tests/vm.sh --mode deputy ID. Run as /memlab/deputy.sh by the
# VM's init.
set -u

BIN=${MEMLAB_BIN:-/memlab/bin}
MOD=${MEMLAB_MODULES:-/memlab/modules}
NOBODY=65534
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/matrix.sh"

insmod "$MOD/mtest.ko" mode=0666
tap $? "insmod mtest mode=0666"
"$BIN/selftests/mtest_deputy"
tap $? "selftest mtest_deputy as root"
"$BIN/helpers/runas" $NOBODY $NOBODY "$BIN/selftests/mtest_deputy"
tap $? "selftest mtest_deputy as nobody"
matrix
rmmod mtest
tap $? "rmmod mtest"
