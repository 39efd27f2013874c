# SPDX-License-Identifier: GPL-2.0-only
#
# matrix.sh: the differential permission matrix, for the guest scripts
# that run it (suite, deputy). Source it after tap.sh, with $BIN set.
#
#   matrix   mtest's verdicts against process_vm_readv/writev for every
#            caller, opener and target, under Yama ptrace_scope 0, 1 and 2
#            (3 is one-way: its own boot, guest-yama3.sh); one TAP line

matrix() {
	yama=/proc/sys/kernel/yama/ptrace_scope
	if [ -w $yama ]; then
		scope0=$(cat $yama)
		"$BIN/helpers/mtest_matrix" 0 1 2 >/tmp/matrix.out 2>&1
		rc=$?
		echo "$scope0" >$yama
		what="ptrace_scope 0, 1, 2"
	else
		"$BIN/helpers/mtest_matrix" - >/tmp/matrix.out 2>&1
		rc=$?
		what="no Yama"
	fi
	sed 's/^/# /' /tmp/matrix.out
	tap $rc "permission matrix ($what): mtest r/w agree with process_vm_readv/writev in every cell"
}
