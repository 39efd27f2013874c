#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# guest-check.sh PHASE [KVER]: runs inside the booted Debian image (installed
# by pkg-deb.sh as memlab-guest-check.service, with tests/lib/tap.sh as
# /usr/local/lib/memlab/tap.sh) once multi-user.target is reached. Prints TAP
# lines on the serial console for the host to count again, ends with
# "memlab-guest-check: done KVER", then the unit powers off.
#   install      the install a user does, on a running system without memlab:
#                with /etc/apt/sources.list.d/memlab.sources (a file: URI
#                to the repository make repo wrote, signed), apt update and
#                apt install memlab-dkms, by name, installs memlab-utils too,
#                builds and loads the modules at once and shows the
#                self-test's PASS;
#                then a kernel upgrade: apt install of the newer kernel and
#                its headers from /root/kernel-debs, for which DKMS must
#                build memlab during that install
#   boot [KVER]  memlab as a user meets it after a reboot; then, with KVER,
#                uninstall the modules for KVER as if DKMS had not built them
#                (no headers) for the next boot
#   nobuild      a boot on a kernel without modules: the units skip; then
#                reinstall them, and apt remove and apt purge
#   upgrade NEXT memlab's own upgrade (pkg-upgrade.sh): version N loaded,
#                a process with /proc/maptest mapped and one with /proc/mtest
#                open; the repository (/srv/memlab/current) gains NEXT; apt
#                upgrade, then apt install memlab-dkms=N back, then purge
set -u

TAP_TIER=guest
. /usr/local/lib/memlab/tap.sh

phase=${1:-boot}
arg=${2:-}
kver=$(uname -r)
TAP_PREFIX="$kver: "
ver=$(dpkg-query -W -f='${source:Upstream-Version}' memlab-dkms 2>/dev/null ||
	ls /root/memlab-debs | sed -n 's/^memlab-dkms_\([^-]*\)-.*/\1/p')

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

loaded() { [ -d /sys/module/mtest ] && [ -d /sys/module/maptest ]; }

loaded_at_boot() {
	loaded || return 1
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

# trixie's dkms may ship dkms.service (autoinstall at boot): it must not
# fail, restart, or build memlab again at every boot.
dkms_service_quiet() {
	systemctl cat dkms.service >/dev/null 2>&1 || { echo "no dkms.service"; return 0; }
	[ "$(systemctl show -P Result dkms.service)" = success ] &&
		[ "$(systemctl show -P NRestarts dkms.service)" = 0 ] ||
		{ systemctl status --no-pager dkms.service; return 1; }
	! journalctl -b -u dkms.service --no-pager | grep -E 'memlab.*(Building|Autoinstall of)|Building module'
}

no_module_files() {
	left=$(find /lib/modules /var/lib/dkms /var/lib/memlab-dkms -name 'mtest.ko*' -o -name 'maptest.ko*' \
		-o -path '/var/lib/dkms/memlab*' -o -name 'build-*.log' 2>/dev/null)
	[ -z "$left" ] || { echo "$left"; return 1; }
}

only_ours_unloaded() {
	sort /run/memlab-lsmod.before | grep -vx 'mtest\|maptest' >/run/memlab-lsmod.want
	lsmod | awk 'NR > 1 { print $1 }' | sort >/run/memlab-lsmod.after
	loaded && { echo "still loaded"; return 1; }
	comm -23 /run/memlab-lsmod.want /run/memlab-lsmod.after | grep . && return 1
	return 0
}

apt_quiet() { DEBIAN_FRONTEND=noninteractive apt-get -y -q -o Dpkg::Use-Pty=0 "$@"; }

skipped() {
	loaded && { echo "loaded"; return 1; }
	for u in memlab-modules memlab-selftest; do
		[ "$(systemctl show -P ActiveState $u)" = inactive ] || { systemctl status --no-pager $u; return 1; }
		journalctl -b -u $u --no-pager | grep -q "no mtest maptest module for kernel $kver, skipping" ||
			{ journalctl -b -u $u --no-pager; return 1; }
	done
}

# The apt output of the live install, kept for the checks below.
live_install() {
	apt_quiet update >/run/memlab-install.out 2>&1 &&
		apt_quiet install memlab-dkms >>/run/memlab-install.out 2>&1
	rc=$?
	cat /run/memlab-install.out
	return $rc
}

status_ii() {
	for p in "$@"; do
		s=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p") || return 1
		[ "$s" = "ii " ] || { echo "$p: '$s'"; return 1; }
	done
}

kernel_upgrade() {
	apt_quiet install /root/kernel-debs/*.deb >/run/memlab-kernel.out 2>&1
	rc=$?
	cat /run/memlab-kernel.out
	return $rc
}

built_for() {
	dkms status -m memlab -v "$ver" -k "$1" | grep -q ': installed' || { dkms status; return 1; }
	for m in mtest maptest; do
		ls /lib/modules/"$1"/updates/dkms/$m.ko* >/dev/null || return 1
	done
}

# --- memlab's own upgrade ----------------------------------------------------
# Kernels with headers: DKMS builds for each of them.
with_headers() {
	for d in /lib/modules/*; do
		[ -e "$d/build/include" ] && echo "${d#/lib/modules/}"
	done
}

# only_version V: DKMS has memlab V installed for every kernel with headers,
# the module files are there, and no other memlab version is left.
only_version() {
	st=$(dkms status -m memlab)
	echo "$st"
	for k in $(with_headers); do
		echo "$st" | grep -q "^memlab/$1, $k.*: installed" || return 1
		for m in mtest maptest; do
			ls /lib/modules/"$k"/updates/dkms/$m.ko* >/dev/null || return 1
		done
	done
	! echo "$st" | grep -v "^memlab/$1," | grep -q . &&
		[ "$(ls -d /usr/src/memlab-* /var/lib/dkms/memlab/[0-9]* 2>/dev/null | grep -vc -- "-$1\$\|/$1\$")" = 0 ]
}

# pkg_version V PKG...: each PKG is at V-1.
pkg_version() {
	v=$1
	shift
	for p; do
		got=$(dpkg-query -W -f='${Version} ${db:Status-Abbrev}' "$p")
		echo "$p $got"
		[ "$got" = "$v-1 ii " ] || return 1
	done
}

# The users: maptest_hold maps the whole buffer and checks it on SIGUSR1; a
# shell keeps /proc/mtest open and reads it on a line from its fifo. Started
# here, not under tap_check (a subshell), so that their PIDs stay known.
start_users() {
	rm -f /run/hold.out /run/mtest-user.out /run/mtest-go
	/usr/local/libexec/memlab/maptest_hold >/run/hold.out 2>&1 &
	hold_pid=$!
	mkfifo /run/mtest-go
	sh -c 'exec 3</proc/mtest; echo ready; read -r x </run/mtest-go; cat <&3; echo "cat: $?"' \
		>/run/mtest-user.out 2>&1 &
	mtest_pid=$!
	for _ in $(seq 100); do
		grep -q ready /run/hold.out && grep -q ready /run/mtest-user.out && break
		sleep 0.2
	done
}
users_ready() {
	grep -q ready /run/hold.out && grep -q ready /run/mtest-user.out || { cat /run/hold.out /run/mtest-user.out; return 1; }
	grep '/proc/maptest' "/proc/$hold_pid/maps" && ls -l "/proc/$mtest_pid/fd/3" | grep ' -> /proc/mtest$'
}
# exited PID FILE: wait (up to 30 s) for our child PID to end, show FILE.
# An ended child stays a zombie, which kill -0 still finds, until waited for.
exited() {
	for _ in $(seq 150); do
		st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
		[ -n "$st" ] && [ "$st" != Z ] || break
		sleep 0.2
	done
	cat "$2"
	[ -z "$st" ] || [ "$st" = Z ] || return 1
	wait "$1" 2>/dev/null || :
}
mapping_intact() {
	kill -USR1 "$hold_pid" && exited "$hold_pid" /run/hold.out &&
		grep -q 'pages still read right' /run/hold.out
}
mtest_user_eio() {
	echo go >/run/mtest-go
	exited "$mtest_pid" /run/mtest-user.out && grep -q 'Input/output error' /run/mtest-user.out
}
apt_step() {
	out=$1
	shift
	apt_quiet "$@" >"$out" 2>&1
	rc=$?
	cat "$out"
	return $rc
}
# The loaded modules' identity: the inodes of their /sys/module directories,
# which sysfs numbers anew at each load (an address may be reused).
modules_id() { stat -c '%n %i' /sys/module/mtest /sys/module/maptest 2>/dev/null; }
module_replaced() {
	now=$(modules_id)
	echo "before: $1"
	echo "now: $now"
	[ "$(echo "$now" | wc -l)" = 2 ] && [ "$now" != "$1" ] &&
		[ "$(echo "$now" | cut -d' ' -f2 | sort)" != "$(echo "$1" | cut -d' ' -f2 | sort)" ]
}
users_named() {
	grep -F "memlab-dkms: process $hold_pid " "$1" && grep -F "memlab-dkms: process $mtest_pid " "$1"
}

# One change of version with the users in place: TO is what apt must end
# with, FROM what it leaves, PKGS the packages that must be at TO; apt's
# arguments follow.
change_version() {
	from=$1
	to=$2
	what=$3
	pkgs=$4
	shift 4
	start_users
	tap_check "$what: memlab $from loaded, a process maps /proc/maptest, one has /proc/mtest open" users_ready
	mods=$(modules_id)
	tap_check "$what: apt-get $*" apt_step "/run/memlab-$to.out" "$@"
	tap_check "$what: $pkgs at $to" pkg_version "$to" $pkgs
	tap_check "$what: DKMS removed $from and built $to for every kernel ($(with_headers | tr '\n' ' '))" \
		only_version "$to"
	tap_check "$what: the running modules were replaced" module_replaced "$mods"
	tap_check "$what: apt's output names both processes and what they must do" \
		users_named "/run/memlab-$to.out"
	tap_check "$what: apt's output shows the self-test's PASS" grep 'memlab-selftest: PASS' "/run/memlab-$to.out"
	tap_check "$what: memlab-selftest passes" memlab-selftest
	tap_check "$what: the mapping of /proc/maptest kept its content" mapping_intact
	tap_check "$what: the old /proc/mtest file gives EIO, no crash" mtest_user_eio
	tap_check "$what: no failed units" no_failed_units
	tap_check "$what: no BUG, Oops or WARNING in the kernel log" no_oops
}

upgrade_checks() {
	next=$1
	tap_check "memlab $ver loaded at boot, self-test passed" selftest_passed
	tap_check "memlab $ver installed for every kernel" only_version "$ver"
	ln -sfn next /srv/memlab/current
	tap_check "the repository now holds $ver and $next: apt update" apt_quiet update
	change_version "$ver" "$next" "upgrade" "memlab-dkms memlab-utils" upgrade
	change_version "$next" "$ver" "back" memlab-dkms install --allow-downgrades "memlab-dkms=$ver-1"
	tap_check "apt purge memlab-dkms memlab-utils" apt_quiet purge memlab-dkms memlab-utils
	tap_check "after purge: no module, DKMS tree, source or log left" \
		sh -c '[ ! -d /sys/module/mtest ] && [ ! -d /sys/module/maptest ] && [ ! -e /var/lib/memlab-dkms ] && [ -z "$(find /lib/modules /var/lib/dkms /usr/src -name "m*test.ko*" -o -path "*/memlab*")" ]'
	tap_check "after purge: no unit, rule or sysusers file, no package state, no group" \
		sh -c '[ -z "$(find /etc/systemd /usr/lib/systemd /lib/systemd /usr/lib/udev /lib/udev /usr/lib/sysusers.d -name "*memlab*" ! -name "memlab-guest-check*" 2>/dev/null)" ] &&
		       ! dpkg -l "memlab-*" 2>/dev/null | grep -q "^[ri]" && ! getent group memlab'
	tap_check "after purge: no failed units" no_failed_units
	tap_check "after purge: no BUG, Oops or WARNING in the kernel log" no_oops
}

if [ "$phase" = install ]; then
	tap_check "apt update; apt install memlab-dkms (by name, from the signed repository) on the running system" \
		live_install
	tap_check "both packages configured (ii)" status_ii memlab-dkms memlab-utils
	tap_check "apt's output shows the self-test's PASS line" \
		grep 'memlab-selftest: PASS' /run/memlab-install.out
	tap_check "modules loaded at once, without a reboot" loaded
	tap_check "memlab-modules.service active" unit_ok memlab-modules.service
	tap_check "/proc/mtest and /proc/maptest are root:memlab 0660" perms
	tap_check "adduser alice memlab" usermod -a -G memlab alice
	tap_check "no failed units after the live install" no_failed_units
	if [ -n "$arg" ]; then
		tap_check "kernel upgrade: apt install linux-image-$arg and its headers (offline)" kernel_upgrade
		tap_check "kernel upgrade: every package configured, apt consistent" \
			sh -c '! dpkg -l | grep -v "^ii" | grep "^[a-z][A-Z]" && apt-get check -q'
		tap_check "kernel upgrade: DKMS built and installed memlab for $arg during the install" \
			built_for "$arg"
		tap_check "kernel upgrade: initramfs for $arg" test -s "/boot/initrd.img-$arg"
		tap_diag </run/memlab-kernel.out | grep -iE 'dkms|memlab|autoinstall' | head -n 12
	fi
fi

if [ "$phase" = boot ]; then
	tap_check "modules loaded at boot by memlab-modules.service" loaded_at_boot
	tap_check "/proc/mtest and /proc/maptest are root:memlab 0660" perms
	tap_check "memlab-selftest.service passed" selftest_passed
	tap_check "a memlab member runs mtest_test, maptest_test, memlab-selftest" member_demos
	tap_check "a user outside memlab gets EACCES" outsider_eacces
	if [ -x /root/autopkgtest/selftest ]; then
		tap_check "autopkgtest debian/tests/selftest (memlab-utils with the modules)" \
			env AUTOPKGTEST_TMP=/root/autopkgtest/tmp /root/autopkgtest/selftest
	fi
	tap_check "dkms.service (if any) did not fail nor rebuild memlab" dkms_service_quiet
	tap_check "no failed units after boot" no_failed_units
	tap_check "no BUG, Oops or WARNING in the kernel log" no_oops
	[ -z "$arg" ] || tap_check "dkms uninstall for $arg (as if it had no headers)" \
		dkms uninstall -m memlab -v "$ver" -k "$arg"
fi

if [ "$phase" = nobuild ]; then
	tap_check "no modules for this kernel: both units skip, saying why" skipped
	tap_check "no modules for this kernel: no failed units" no_failed_units
	tap_check "dkms install for this kernel and start memlab-modules.service" \
		sh -c "dkms install -m memlab -v $ver -k $kver && systemctl start memlab-modules.service"
	tap_check "/proc/mtest and /proc/maptest are root:memlab 0660" perms
	tap_check "loaded again: memlab-selftest passes" memlab-selftest
	lsmod | awk 'NR > 1 { print $1 }' >/run/memlab-lsmod.before
	tap_check "apt remove memlab-dkms memlab-utils" apt_quiet remove memlab-dkms memlab-utils
	tap_check "after remove: no module files, no DKMS tree" no_module_files
	tap_check "after remove: mtest and maptest unloaded, no other module" only_ours_unloaded
	tap_check "after remove: the memlab group stays" getent group memlab
	tap_check "after remove: no failed units" no_failed_units
	tap_check "apt purge memlab-dkms memlab-utils" apt_quiet purge memlab-dkms memlab-utils
	tap_check "after purge: the group the package created is gone" sh -c '! getent group memlab'
	tap_check "after purge: no package state left" sh -c '! dpkg -l "memlab-*" 2>/dev/null | grep -q "^[ri]"'
	tap_check "after purge: nothing left in /var/lib/memlab-dkms, /var/lib/dkms, /lib/modules" \
		sh -c '[ ! -e /var/lib/memlab-dkms ] && [ -z "$(find /lib/modules /var/lib/dkms -name "m*test.ko*" -o -path "*/memlab*")" ]'
	tap_check "after purge: no unit, rule or sysusers file left" \
		sh -c '[ -z "$(find /etc/systemd /usr/lib/systemd /lib/systemd /usr/lib/udev /lib/udev /usr/lib/sysusers.d -name "*memlab*" ! -name "memlab-guest-check*" 2>/dev/null)" ]'
	tap_check "after purge: no failed units" no_failed_units
fi
if [ "$phase" = upgrade ]; then
	upgrade_checks "$arg"
fi
echo "memlab-guest-check: done $kver"
