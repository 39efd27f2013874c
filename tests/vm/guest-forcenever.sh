#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# guest-forcenever.sh: mtest follows proc_mem.force_override= as
# /proc/PID/mem does, spelled as the kernel accepts it: dashes for
# underscores, the value quoted (the header line below tells
# tests/vm.sh; a later one in MEMLAB_VM_APPEND wins; an option
# after "--" belongs to init and is not applied):
# tests/vm.sh --mode forcenever ID, on a kernel that has the
# option (6.1 of Debian and later). Run as /memlab/forcenever.sh by the
# VM's init.
# memlab-vm-append: proc-mem.force-override="never"
set -u

BIN=${MEMLAB_BIN:-/memlab/bin}
MOD=${MEMLAB_MODULES:-/memlab/modules}

. "$(dirname "$0")/tap.sh"

insmod "$MOD/mtest.ko" mode=0666
tap $? "insmod mtest mode=0666"
# The last one before "--", any spelling, unquoted.
opt=$(tr ' ' '\n' </proc/cmdline | sed '/^--$/q' |
	grep -E '^proc[-_]mem\.force[-_]override=' | tail -n 1 |
	sed 's/^[^=]*=/proc_mem.force_override=/; s/"//g')
if [ -z "$opt" ]; then
	tap_skip "mtest follows proc_mem.force_override" "not on the kernel command line"
else
	"$BIN/helpers/mtest_force" >/tmp/force.out 2>&1
	rc=$?
	sed 's/^/# /' /tmp/force.out
	tap $rc "$opt: mtest's FOLL_FORCE verdicts equal /proc/PID/mem's"
	if [ "$opt" = proc_mem.force_override=never ]; then
		grep -q '^write read-only private: /proc/PID/mem ok' /tmp/force.out
		[ $? -ne 0 ]
		tap $? "$opt: /proc/PID/mem itself refuses the forced write"
	fi
fi
rmmod mtest
tap $? "rmmod mtest"
