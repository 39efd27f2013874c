#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# guest-yama3.sh: the permission matrix under Yama ptrace_scope 3 ("no
# attach"), which cannot be lowered again until reboot: its own boot,
# tests/vm.sh --mode yama3 ID. Run as /memlab/yama3.sh by the
# VM's init.
set -u

BIN=${MEMLAB_BIN:-/memlab/bin}
MOD=${MEMLAB_MODULES:-/memlab/modules}
yama=/proc/sys/kernel/yama/ptrace_scope

. "$(dirname "$0")/tap.sh"

insmod "$MOD/mtest.ko" mode=0666
tap $? "insmod mtest mode=0666"
if [ ! -w $yama ]; then
	tap_skip "permission matrix at ptrace_scope 3" "this kernel has no Yama"
	exit 0
fi
"$BIN/helpers/mtest_matrix" 3 >/tmp/matrix.out 2>&1
rc=$?
sed 's/^/# /' /tmp/matrix.out
tap $rc "permission matrix (ptrace_scope 3): mtest r/w agree with process_vm_readv/writev in every cell"
[ "$(cat $yama)" = 3 ]
tap $? "ptrace_scope stays 3"
rmmod mtest
tap $? "rmmod mtest"
