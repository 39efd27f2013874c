#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# guest-check.sh PHASE: runs inside the booted Debian image (installed by
# deb-test.sh as memlab-guest-check.service) once multi-user.target is
# reached. Prints "MEMLAB: ok - ..." / "MEMLAB: not ok - ..." lines on the
# serial console for the host to turn into TAP, then powers off.
#   boot [KVER]  the install as a user meets it after a reboot; then, with
#                KVER, uninstall the modules for KVER as if DKMS had not
#                built them (no headers) for the next boot
#   nobuild      a boot on a kernel without modules: the units skip; then
#                reinstall them, and apt remove and apt purge
set -u

phase=${1:-boot}
drop=${2:-}
kver=$(uname -r)
ver=$(dpkg-query -W -f='${Version}' memlab-dkms | sed 's/-[^-]*$//')

say() { echo "MEMLAB: $*"; }
check() {
	desc=$1
	shift
	if out=$("$@" 2>&1); then
		say "ok - $kver: $desc"
	else
		say "not ok - $kver: $desc"
		echo "$out" | tail -n 15 | sed 's/^/MEMLAB: # /'
	fi
}

as_user() {
	u=$1
	shift
	setpriv --reuid="$u" --regid="$u" --init-groups -- "$@"
}

unit_ok() {
	[ "$(systemctl show -P ActiveState "$1")/$(systemctl show -P Result "$1")" = active/success ] ||
		{ systemctl status --no-pager "$1"; return 1; }
}

no_failed_units() {
	failed=$(systemctl list-units --failed --no-legend --plain)
	[ -z "$failed" ] || { echo "$failed"; return 1; }
}

perms() {
	for f in /proc/mtest /proc/maptest; do
		got=$(stat -c '%U:%G %a' "$f") || return 1
		[ "$got" = "root:memlab 660" ] || { echo "$f is $got"; return 1; }
	done
}

loaded_at_boot() {
	[ -d /sys/module/mtest ] && [ -d /sys/module/maptest ] || return 1
	unit_ok memlab-modules.service
}

selftest_passed() {
	unit_ok memlab-selftest.service &&
		journalctl -b -u memlab-selftest --no-pager | grep 'memlab-selftest: PASS'
}

member_demos() {
	out=$(as_user alice mtest_test) || { echo "$out"; return 1; }
	echo "$out" | grep -qx 'mtest_test: PASS: 42 -> 137' || { echo "$out"; return 1; }
	out=$(as_user alice maptest_test) || { echo "$out"; return 1; }
	echo "$out" | head -n 1 | grep -qx 'memlab maptest: this text was written by the kernel' &&
		echo "$out" | grep -q 'page 0000' || { echo "$out" | head -n 3; return 1; }
	as_user alice memlab-selftest
}

outsider_eacces() {
	for f in /proc/mtest /proc/maptest; do
		out=$(as_user bob sh -c "exec 3<$f" 2>&1) && { echo "bob opened $f"; return 1; }
		echo "$out" | grep -q 'Permission denied' || { echo "$out"; return 1; }
	done
	out=$(as_user bob mtest_test 2>&1) && { echo "$out"; return 1; }
	echo "$out" | grep -q 'Permission denied'
}

no_oops() {
	! dmesg | grep -E 'BUG:|Oops|WARNING:|Call Trace' | grep -v 'Secure boot'
}

no_module_files() {
	left=$(find /lib/modules /var/lib/dkms -name 'mtest.ko*' -o -name 'maptest.ko*' -o -path '/var/lib/dkms/memlab*' 2>/dev/null)
	[ -z "$left" ] || { echo "$left"; return 1; }
}

only_ours_unloaded() {
	sort /run/memlab-lsmod.before | grep -vx 'mtest\|maptest' >/run/memlab-lsmod.want
	lsmod | awk 'NR > 1 { print $1 }' | sort >/run/memlab-lsmod.after
	[ ! -d /sys/module/mtest ] && [ ! -d /sys/module/maptest ] || { echo "still loaded"; return 1; }
	comm -23 /run/memlab-lsmod.want /run/memlab-lsmod.after | grep . && return 1
	return 0
}

apt_quiet() { DEBIAN_FRONTEND=noninteractive apt-get -y -q "$@"; }

skipped() {
	[ ! -d /sys/module/mtest ] && [ ! -d /sys/module/maptest ] || { echo "loaded"; return 1; }
	for u in memlab-modules memlab-selftest; do
		[ "$(systemctl show -P ActiveState $u)" = inactive ] || { systemctl status --no-pager $u; return 1; }
		journalctl -b -u $u --no-pager | grep -q "no mtest maptest module for kernel $kver, skipping" ||
			{ journalctl -b -u $u --no-pager; return 1; }
	done
}

if [ "$phase" = boot ]; then
	check "modules loaded at boot by memlab-modules.service" loaded_at_boot
	check "/proc/mtest and /proc/maptest are root:memlab 0660" perms
	check "memlab-selftest.service passed" selftest_passed
	check "a memlab member runs mtest_test, maptest_test, memlab-selftest" member_demos
	check "a user outside memlab gets EACCES" outsider_eacces
	check "no failed units after boot" no_failed_units
	check "no BUG, Oops or WARNING in the kernel log" no_oops
	[ -z "$drop" ] || check "dkms uninstall for $drop (as if it had no headers)" \
		dkms uninstall -m memlab -v "$ver" -k "$drop"
fi

if [ "$phase" = nobuild ]; then
	check "no modules for this kernel: both units skip, saying why" skipped
	check "no modules for this kernel: no failed units" no_failed_units
	check "dkms install for this kernel and start memlab-modules.service" \
		sh -c "dkms install -m memlab -v $ver -k $kver && systemctl start memlab-modules.service"
	check "/proc/mtest and /proc/maptest are root:memlab 0660" perms
	check "loaded again: memlab-selftest passes" memlab-selftest
	lsmod | awk 'NR > 1 { print $1 }' >/run/memlab-lsmod.before
	check "apt remove memlab-dkms memlab-utils" apt_quiet remove memlab-dkms memlab-utils
	check "after remove: no module files, no DKMS tree" no_module_files
	check "after remove: mtest and maptest unloaded, no other module" only_ours_unloaded
	check "after remove: the memlab group stays" getent group memlab
	check "after remove: no failed units" no_failed_units
	check "apt purge memlab-dkms memlab-utils" apt_quiet purge memlab-dkms memlab-utils
	check "after purge: the group the package created is gone" sh -c '! getent group memlab'
	check "after purge: no package state left" sh -c '! dpkg -l "memlab-*" 2>/dev/null | grep -q "^[ri]"'
	check "after purge: no module files" no_module_files
	check "after purge: no failed units" no_failed_units
fi
say "done $kver"
