#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# check-debug.sh (make check-debug): the debug-kernel tier. Builds (once,
# cached) the 6.12-debug kernel of kernels/kernels.conf with KASAN, lockdep
# and DEBUG_VM (tests/debug/build-kernel.sh), runs the whole VM suite on it,
# then the fuzz and race tier (tests/vm/guest-fuzz.sh); any splat in
# either log fails. MEMLAB_FUZZ_SEED and MEMLAB_FUZZ_SECONDS fix the fuzz
# seed and time per phase. Prints mtest's line coverage when the fuzz boot
# dumped it (tests/debug/coverage.sh). Not part of make check: about 25
# minutes to build the kernel, then about 30 to run.
set -eu

. "$(dirname "$0")/lib/usage.sh"
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. "$top/kernels/lib.sh"
id=$(MEMLAB_KERNELS= kernels_for debug | head -n 1)
export MEMLAB_KERNELS=$id
# KASAN and lockdep under TCG are several times slower than the suite's
# usual minute.
export MEMLAB_VM_TIMEOUT=${MEMLAB_VM_TIMEOUT:-5400}
# The TCG watchdog thresholds come from kernels/qemu.sh: on a loaded host
# the boot's W+X check under KASAN alone outlasted the default 20 s.

tests/debug/build-kernel.sh "$id"
rc=0
tests/vm.sh "$id" || rc=1
append="${MEMLAB_VM_APPEND:-}"
[ -z "${MEMLAB_FUZZ_SEED:-}" ] || append="$append memlab.fuzz_seed=$MEMLAB_FUZZ_SEED"
[ -z "${MEMLAB_FUZZ_SECONDS:-}" ] || append="$append memlab.fuzz_seconds=$MEMLAB_FUZZ_SECONDS"
MEMLAB_VM_APPEND=$append tests/vm.sh --mode fuzz "$id" || rc=1
tests/debug/coverage.sh "$id" "build/vm/$id-fuzz.log" || true
exit $rc
