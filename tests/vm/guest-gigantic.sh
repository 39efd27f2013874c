#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# guest-gigantic.sh: the translate tests with a 1 GiB hugetlb page, which
# a test VM can only reserve at boot, and only with 4 GiB (the header lines
# below tell tests/vm.sh): tests/vm.sh --mode gigantic
# ID. Run as /memlab/gigantic.sh by the VM's init.
# memlab-vm-mem: 4096
# memlab-vm-append: hugepagesz=1G hugepages=1
set -u

BIN=${MEMLAB_BIN:-/memlab/bin}
MOD=${MEMLAB_MODULES:-/memlab/modules}

. "$(dirname "$0")/tap.sh"

insmod "$MOD/mtest.ko" mode=0666
tap $? "insmod mtest mode=0666"
grep -i 'hugepages\|Hugetlb' /proc/meminfo | sed 's/^/# /'
"$BIN/selftests/mtest_xlate" >/tmp/g.out 2>&1
rc=$?
sed 's/^/# /' /tmp/g.out
tap $rc "selftest mtest_xlate with a 1 GiB page reserved"
grep -q '^ok [0-9]* xlate.hugetlb_1g_prot_none$' /tmp/g.out
tap $? "xlate.hugetlb_1g_prot_none ran (not skipped) and passed"
rmmod mtest
tap $? "rmmod mtest"
