# SPDX-License-Identifier: GPL-2.0-only
#
# boot.sh: what the package tiers that boot an image share. Source it after
# tests/lib/tap.sh, with $top set.
#
#   guest_setup ROOT        install guest-check.sh as memlab-guest-check.service
#                           (started by memlab-guest-check.target, then powers
#                           off), tests/lib/tap.sh, and mask the gettys
#   disk_from ROOT DISK     an ext4 image of ROOT (the tree is kept)
#   boot_phase NAME IMG DISK KVER PHASE LOG LIMIT
#                           boot KVER (its vmlinuz from the pristine image IMG,
#                           its initramfs from DISK) with memlab.phase=PHASE;
#                           the guest's TAP lines become this tier's results
#                           "NAME: ...", then one result for the boot itself

guest_setup() {
	install -D -m 0644 "$top/tests/lib/tap.sh" "$1/usr/local/lib/memlab/tap.sh"
	install -m 0755 "$top/tests/pkg/guest-check.sh" "$1/usr/local/sbin/memlab-guest-check"
	cat >"$1/etc/systemd/system/memlab-guest-check.service" <<'UNIT'
[Unit]
Description=memlab package test (tests/pkg/guest-check.sh)
After=multi-user.target memlab-selftest.service

[Service]
Type=oneshot
# The phase comes from the kernel command line: memlab.phase=PHASE[,ARG] (guest-check.sh)
ExecStart=/bin/sh -c 'exec /usr/local/sbin/memlab-guest-check $(sed -n "s/.*memlab.phase=\\([^ ]*\\).*/\\1/p" /proc/cmdline | tr , " ")'
ExecStartPost=/bin/systemctl poweroff --no-block
StandardOutput=tty
StandardError=tty
TTYPath=/dev/ttyS0
TimeoutStartSec=infinity
UNIT
	cat >"$1/etc/systemd/system/memlab-guest-check.target" <<'UNIT'
[Unit]
Description=memlab package test target
Requires=multi-user.target
After=multi-user.target
Wants=memlab-guest-check.service
AllowIsolate=yes
UNIT
	chroot "$1" systemctl mask serial-getty@ttyS0.service getty@tty1.service >/dev/null 2>&1
}

disk_from() {
	_size=$(($(du -sm "$1" | cut -f1) + 2048))
	mkfs.ext4 -q -F -L memlab -d "$1" "$2" "${_size}M"
}

boot_phase() {
	_name=$1 _img=$2 _disk=$3 _k=$4 _phase=$5 _log=$6 _limit=$7
	_dir=$(dirname "$_log")
	_vmlinuz=$_img/boot/vmlinuz-$_k
	[ -f "$_vmlinuz" ] || _vmlinuz=$_img/lib/modules/$_k/vmlinuz
	rm -f "$_dir/initrd"
	debugfs -R "dump /boot/initrd.img-$_k $_dir/initrd" "$_disk" >/dev/null 2>&1 || :
	if [ ! -s "$_dir/initrd" ]; then
		emit "not ok" "$_name ($_phase) $_k: no /boot/initrd.img-$_k on the disk"
		return 0
	fi
	_s=$(date +%s)
	"$top/kernels/qemu.sh" -k "$_vmlinuz" -i "$_dir/initrd" -d "$_disk" -l "$_log" -t "$_limit" -- \
		root=/dev/vda rw quiet loglevel=3 systemd.show_status=0 \
		systemd.unit=memlab-guest-check.target "memlab.phase=$_phase" || :
	_e=$(date +%s)
	# Without carriage returns and the terminal resets systemd sends when
	# the unit opens the console (ESC [ ! p, ESC ] 104 BEL, ...).
	_esc=$(printf '\033')
	_bel=$(printf '\007')
	tr -d '\r' <"$_log" | sed "s/$_esc][^$_bel]*$_bel//g; s/$_esc\[[?!0-9;]*[a-zA-Z]//g" >"$_log.results"
	while IFS= read -r _line; do
		case $_line in
		"ok "[0-9]*" - "*) emit ok "$_name: ${_line#* - }" ;;
		"not ok "[0-9]*" - "*) emit "not ok" "$_name: ${_line#* - }" ;;
		"# "*) echo "$_line" ;;
		esac
	done <"$_log.results"
	if grep -q "^memlab-guest-check: done $_k" "$_log.results"; then
		emit ok "$_name ($_phase) $_k: systemd booted the image and the checks completed ($((_e - _s)) s)"
	else
		emit "not ok" "$_name ($_phase) $_k: the checks did not complete (see $_log)"
		tail -n 25 "$_log.results" | tap_diag
	fi
}
