#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# deb-test.sh: prove the Debian packages the way a user meets them (TAP).
#  1. build them from a clean copy (deb-build.sh), lintian, version agreement;
#  2. copy the cached bookworm image (image.sh: 6.1 and 6.12 with headers),
#     apt install the .debs into it offline in a chroot: DKMS must build and
#     install mtest and maptest for both kernels (and a purge must keep a
#     memlab group that existed before);
#  3. boot it under QEMU (TCG) with each kernel, systemd as PID 1, root on
#     virtio, the image's own initramfs; guest-check.sh reports on the serial
#     console; the second boot also does apt remove and apt purge.
# Work files: build/pkg/deb-test/ (console logs: console-KVER.log).
# MEMLAB_QEMU_ACCEL=kvm to opt in to KVM (nested KVM may hang at boot).
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
work=$top/build/pkg/deb-test
ver=$(cat "$top/VERSION")
pass=0
fail=0
num=0

ok() { num=$((num + 1)); pass=$((pass + 1)); echo "ok $num - $*"; }
not_ok() { num=$((num + 1)); fail=$((fail + 1)); echo "not ok $num - $*"; }
diag() { sed 's/^/# /'; }
finish() {
	echo "1..$num"
	echo "deb: $pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit
}
# check DESC CMD...: one TAP line; the output of a failure as diagnostics.
check() {
	desc=$1
	shift
	if out=$("$@" 2>&1); then
		ok "$desc"
	else
		not_ok "$desc"
		printf '%s\n' "$out" | tail -n 20 | diag
	fi
}

echo "TAP version 13"
t0=$(date +%s)

need() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }
missing=
for p in qemu-system-x86 mmdebstrap e2fsprogs lintian; do
	need "$p" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# --- 1. build, lintian, one version everywhere -----------------------------
if out=$("$top/tests/pkg/deb-build.sh" 2>&1); then
	ok "dpkg-buildpackage -us -uc from a clean copy"
else
	not_ok "dpkg-buildpackage -us -uc from a clean copy"
	printf '%s\n' "$out" | tail -n 20 | diag
	finish
fi
debs=$top/build/deb
dkms_deb=$debs/memlab-dkms_${ver}-1_all.deb
utils_deb=$(ls "$debs"/memlab-utils_"$ver"-1_*.deb)

versions() {
	v_dkms=$(dpkg-deb --fsys-tarfile "$dkms_deb" |
		tar -xOf - "./usr/src/memlab-$ver/dkms.conf" |
		sed -n 's/^PACKAGE_VERSION="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p')
	v_deb=$(dpkg-parsechangelog -l "$top/debian/changelog" -S Version | sed 's/-[^-]*$//')
	v_md=$(sed -n 's/^## \[\([0-9][^]]*\)\].*/\1/p' "$top/CHANGELOG.md" | head -n 1)
	echo "VERSION=$ver dkms.conf=$v_dkms debian/changelog=$v_deb CHANGELOG.md=$v_md"
	[ "$v_dkms" = "$ver" ] && [ "$v_deb" = "$ver" ] && [ "$v_md" = "$ver" ] || return 1
	if [ -f "$top/rpm/memlab.spec" ]; then
		v_rpm=$(sed -n 's/^Version:[[:space:]]*//p' "$top/rpm/memlab.spec")
		echo "rpm/memlab.spec=$v_rpm"
		[ "$v_rpm" = "$ver" ] || return 1
	fi
}
check "one version: VERSION, dkms.conf (as packaged), debian/changelog, CHANGELOG.md, rpm spec" versions

lint() {
	out=$(lintian --pedantic "$debs"/memlab_"$ver"-1_*.changes 2>&1 | grep -v 'root privileges')
	printf '%s\n' "$out"
	! printf '%s\n' "$out" | grep -q '^E:'
}
check "lintian: no errors on the source, memlab-dkms and memlab-utils" lint
lintian "$debs"/memlab_"$ver"-1_*.changes 2>/dev/null | grep '^W:' | diag || true

# --- 2. install into a copy of the cached image, in a chroot ---------------
mkdir -p "$top/build/pkg"
if ! img=$("$top/tests/pkg/image.sh" 2>"$top/build/pkg/image.log"); then
	not_ok "bookworm image with 6.1 and 6.12 (see build/pkg/image.log)"
	tail -n 20 "$top/build/pkg/image.log" | diag
	finish
fi
ok "bookworm image with 6.1 and 6.12 kernels: $img"
kernels=$(cat "$(dirname "$img")/kernels")

root=$work/rootfs
mounted=
umount_all() {
	for m in $mounted; do umount -l "$root/$m" 2>/dev/null || true; done
	mounted=
}
trap 'umount_all' EXIT
trap 'umount_all; exit 130' INT TERM
rm -rf "$work"
mkdir -p "$work"
cp -a --reflink=auto "$img" "$root"
for m in proc sys dev; do
	mount --bind "/$m" "$root/$m"
	mounted="$m $mounted"
done
mkdir -p "$root/tmp/debs"
cp "$dkms_deb" "$utils_deb" "$root/tmp/debs/"
in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C.UTF-8 "$@"; }
apt_in_root() { in_root env DEBIAN_FRONTEND=noninteractive apt-get -y -q -o Dpkg::Use-Pty=0 "$@"; }
debs_in_root="/tmp/debs/$(basename "$dkms_deb") /tmp/debs/$(basename "$utils_deb")"

modules_for_all() {
	for k in $kernels; do
		for m in mtest maptest; do
			ls "$root/lib/modules/$k/updates/dkms/$m.ko"* >/dev/null 2>&1 ||
				{ echo "no $m.ko* for $k"; return 1; }
		done
		in_root dkms status -m memlab -v "$ver" -k "$k" | grep -q ': installed' ||
			{ in_root dkms status; return 1; }
	done
	in_root dkms status -m memlab
}
no_modules_left() {
	left=$(cd "$root" && find lib/modules var/lib/dkms -name 'mtest.ko*' -o -name 'maptest.ko*' -o -path 'var/lib/dkms/memlab*')
	[ -z "$left" ] || { echo "$left"; return 1; }
}

# A memlab group that was there before the package must survive the purge.
in_root groupadd --system memlab
check "chroot: install with a memlab group already present" apt_in_root install $debs_in_root
purge_keeps_group() {
	apt_in_root purge memlab-dkms memlab-utils && in_root getent group memlab
}
check "chroot: purge keeps the pre-existing memlab group" purge_keeps_group
check "chroot: purge leaves no built modules" no_modules_left
in_root groupdel memlab

if out=$(apt_in_root install $debs_in_root 2>&1); then
	ok "chroot: apt install memlab-dkms memlab-utils (offline)"
	printf '%s\n' "$out" | grep -E '^memlab-dkms:|^Building for|^It is likely' | diag
else
	not_ok "chroot: apt install memlab-dkms memlab-utils (offline)"
	printf '%s\n' "$out" | tail -n 30 | diag
	finish
fi
check "chroot: DKMS built and installed mtest.ko and maptest.ko for $(echo $kernels)" modules_for_all
check "chroot: the package created the memlab group" in_root getent group memlab
check "chroot: memlab-modules and memlab-selftest enabled at boot" \
	in_root systemctl is-enabled memlab-modules.service memlab-selftest.service

# How long DKMS takes to build both modules for one kernel.
for k in $kernels; do
	s=$(date +%s.%N)
	in_root dkms build -m memlab -v "$ver" -k "$k" --force >/dev/null 2>&1 || true
	e=$(date +%s.%N)
	echo "# dkms build of mtest+maptest for $k: $(awk "BEGIN { printf \"%.1f\", $e - $s }") s"
done

# Test users, the check service, and a quiet console for the boots.
in_root useradd --create-home --groups memlab alice
in_root useradd --create-home bob
install -m 0755 "$top/tests/pkg/guest-check.sh" "$root/usr/local/sbin/memlab-guest-check"
cat >"$root/etc/systemd/system/memlab-guest-check.service" <<'UNIT'
[Unit]
Description=memlab package test (deb-test.sh)
After=multi-user.target memlab-selftest.service

[Service]
Type=oneshot
# The phase comes from the kernel command line: memlab.phase=boot[,KVER] or nobuild (guest-check.sh)
ExecStart=/bin/sh -c 'exec /usr/local/sbin/memlab-guest-check $(sed -n "s/.*memlab.phase=\\([^ ]*\\).*/\\1/p" /proc/cmdline | tr , " ")'
ExecStartPost=/bin/systemctl poweroff --no-block
StandardOutput=tty
StandardError=tty
TTYPath=/dev/ttyS0
UNIT
cat >"$root/etc/systemd/system/memlab-guest-check.target" <<'UNIT'
[Unit]
Description=memlab package test target
Requires=multi-user.target
After=multi-user.target
Wants=memlab-guest-check.service
AllowIsolate=yes
UNIT
in_root systemctl mask serial-getty@ttyS0.service getty@tty1.service >/dev/null 2>&1
umount_all

disk=$work/disk.img
if ! out=$(mkfs.ext4 -q -F -L memlab -d "$root" "$disk" 4G 2>&1); then
	not_ok "ext4 disk image from the installed tree"
	printf '%s\n' "$out" | diag
	finish
fi

# --- 3. boot each kernel ---------------------------------------------------
accel="-accel tcg -cpu max"
[ "${MEMLAB_QEMU_ACCEL:-tcg}" = kvm ] && accel="-accel kvm -cpu host"
# Each kernel boots once with the full checks; the last one then uninstalls
# the first kernel's modules, which boots again without them (the units must
# skip) and does apt remove and apt purge.
first=$(echo "$kernels" | head -n 1)
last=$(echo "$kernels" | tail -n 1)
boots=
for k in $kernels; do
	args=boot
	[ "$k" = "$last" ] && args="boot $first"
	boots="$boots $k:$(echo "$args" | tr ' ' ,)"
done
boots="$boots $first:nobuild"
n=0
for b in $boots; do
	n=$((n + 1))
	k=${b%%:*}
	args=$(echo "${b#*:}" | tr , ' ')
	log=$work/console-$n-$k.log
	s=$(date +%s)
	# shellcheck disable=SC2086
	timeout 900 qemu-system-x86_64 $accel -smp 2 -m 2048 -nographic -no-reboot \
		-kernel "$root/boot/vmlinuz-$k" -initrd "$root/boot/initrd.img-$k" \
		-append "root=/dev/vda rw console=ttyS0 quiet loglevel=3 systemd.show_status=0 panic=-1 systemd.unit=memlab-guest-check.target memlab.phase=${b#*:}" \
		-drive "file=$disk,format=raw,if=virtio,cache=unsafe" \
		-nic none -serial "file:$log" -monitor none -display none \
		</dev/null >"$work/qemu-$n-$k.out" 2>&1 || true
	e=$(date +%s)
	tr -d '\r' <"$log" | sed -n 's/.*MEMLAB: //p' >"$work/results-$n"
	while IFS= read -r line; do
		case $line in
		"ok - "*) ok "boot: ${line#ok - }" ;;
		"not ok - "*) not_ok "boot: ${line#not ok - }" ;;
		"# "*) echo "$line" ;;
		esac
	done <"$work/results-$n"
	if grep -aq "MEMLAB: done $k" "$log"; then
		ok "boot $n ($args) $k: systemd booted the image and the checks completed ($((e - s)) s)"
	else
		not_ok "boot $n ($args) $k: the checks did not complete (see $log)"
		tr -d '\r' <"$log" | tail -n 25 | diag
	fi
done

echo "# deb-test: $(($(date +%s) - t0)) s"
finish
