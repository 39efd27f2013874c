#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# pkg-upgrade.sh (make pkg-upgrade) [RELEASE...]: memlab's own upgrade, N -> N+1 -> N, as a
# user meets it, in the booted Debian images of the package tier (default:
# $MEMLAB_RELEASES, or "bookworm trixie"). make pkgtest-upgrade; not in make
# check: the guest builds memlab four times and removes it twice under TCG
# (on a 2-core host at load 20, one build of both modules for one kernel
# took 17 minutes, and dkms remove of N for two kernels 20). TAP, closed by
# "upgrade: N passed, N failed".
#
#  1. N is this tree (VERSION), N+1 the same sources made the next patch
#     release (packaging/deb-build.sh --version); make repo
#     (packaging/repo.sh, a throwaway key) publishes N alone, and N with N+1;
#  2. in a copy of the image (tests/pkg/image.sh), offline: memlab.sources
#     (file: URI, Signed-By) and apt install memlab-dkms by name;
#  3. one boot of the newest kernel (guest-check.sh upgrade): N loaded, a
#     process with /proc/maptest mapped, one with /proc/mtest open; the
#     repository gains N+1; apt upgrade: DKMS removes N and builds N+1 for
#     every kernel, the loaded modules are replaced and apt's output names
#     both processes, the self-test passes, the mapping keeps its content,
#     no unit fails, no kernel warning; then apt install memlab-dkms=N the
#     same way back; then apt purge leaves nothing.
# Work files: build/pkg/upgrade-test/RELEASE/ (console.log; the copy and the
# disk are deleted after a green run).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/pkg/lib.sh"
TAP_TIER=upgrade
work=$top/build/pkg/upgrade-test
next=$(echo "$ver" | awk -F. '{ print $1 "." $2 "." $3 + 1 }')
releases=${*:-${MEMLAB_RELEASES:-bookworm trixie}}
t0=$(date +%s)

unmount_all() { unmount_under "$work"; }
finish() {
	unmount_all
	# The throwaway key's agent.
	[ ! -d "$work/gnupg" ] || gpgconf --homedir "$work/gnupg" --kill gpg-agent 2>/dev/null || :
	echo "# upgrade-test: $(($(date +%s) - t0)) s"
	tap_summary
	exit
}
trap unmount_all EXIT
trap 'unmount_all; exit 130' INT TERM

echo "TAP version 13"
host_install qemu-system-x86 mmdebstrap e2fsprogs dpkg-dev gcc make
unmount_all
rm -rf --one-file-system "$work"
mkdir -p "$work"

# --- 1. N, N+1, the repositories ----------------------------------------------
tap_check "N = $ver: packaging/deb-build.sh" "$top/packaging/deb-build.sh"
tap_check "N+1 = $next: packaging/deb-build.sh --version $next" "$top/packaging/deb-build.sh" --version "$next"
n_debs="$top/build/deb/memlab-dkms_${ver}-1_all.deb $(ls "$top"/build/deb/memlab-utils_"$ver"-1_amd64.deb)"
next_debs="$top/build/deb-$next/memlab-dkms_${next}-1_all.deb $(ls "$top"/build/deb-"$next"/memlab-utils_"$next"-1_amd64.deb)"
export GNUPGHOME="$work/gnupg"
key=$("$top/tests/pkg/throwaway-key.sh" "$GNUPGHOME")
tap_check "make repo: N alone" env MEMLAB_SIGNING_KEY="$key" MEMLAB_REPO_URL=file:/srv/memlab/current \
	"$top/packaging/repo.sh" --out "$work/repo-n" $n_debs
tap_check "make repo: N and N+1" env MEMLAB_SIGNING_KEY="$key" MEMLAB_REPO_URL=file:/srv/memlab/current \
	"$top/packaging/repo.sh" --out "$work/repo-next" $n_debs $next_debs
# The process that keeps /proc/maptest mapped (the VM suite's helper).
tap_check "maptest_hold built" make -s -C "$top" BUILD="$work/build" "$work/build/bin/helpers/maptest_hold"
[ "$fail" -eq 0 ] || finish

in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C.UTF-8 "$@"; }
run() {
	o=$1
	shift
	"$@" >"$o" 2>&1 || { rc=$?; cat "$o"; return $rc; }
}

release_test() {
	rel=$1
	rw=$work/$rel
	mkdir -p "$rw"
	if ! img=$("$top/tests/pkg/image.sh" "$rel" 2>"$rw/image.log"); then
		emit "not ok" "$rel: image (see $rw/image.log)"
		tail -n 20 "$rw/image.log" | tap_diag
		return 0
	fi
	cache=$(dirname "$img")
	kernels=$(cat "$cache/kernels")
	k2=$(echo "$kernels" | tail -n 1)
	root=$rw/rootfs
	(flock -s 9 && cp -a --reflink=auto "$img" "$root") 9>"$cache/.lock"
	mount -t proc proc "$root/proc"
	mount --bind /sys "$root/sys"
	mount --bind /dev "$root/dev"

	# --- 2. the user's install, by name ----------------------------------
	mkdir -p "$root/srv/memlab"
	cp -a "$work/repo-n" "$root/srv/memlab/n"
	cp -a "$work/repo-next" "$root/srv/memlab/next"
	ln -s n "$root/srv/memlab/current"
	rm -f "$root"/etc/apt/sources.list.d/* "$root/etc/apt/sources.list"
	cp "$work/repo-n/memlab-$rel.sources" "$root/etc/apt/sources.list.d/memlab.sources"
	tap_check "$rel: chroot: apt update (memlab.sources, file: URI, Signed-By)" run "$rw/update.out" in_root apt-get update
	tap_check "$rel: chroot: apt install memlab-dkms ($ver) by name: DKMS builds for $(echo $kernels)" \
		run "$rw/install.out" in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q memlab-dkms
	install -D -m 0755 "$work/build/bin/helpers/maptest_hold" "$root/usr/local/libexec/memlab/maptest_hold"
	guest_setup "$root"
	unmount_all
	disk=$rw/disk.img
	if ! out=$(disk_from "$root" "$disk" 2>&1); then
		emit "not ok" "$rel: ext4 disk image from the prepared tree"
		printf '%s\n' "$out" | tap_diag
		return 0
	fi
	rm -rf --one-file-system "$root"

	# --- 3. the upgrade and back, in one boot --------------------------------
	# Four DKMS builds and two removals under TCG: over two hours on a busy host.
	boot_phase "$rel" "$img" "$disk" "$k2" "upgrade,$next" "$rw/console.log" "${MEMLAB_UPGRADE_LIMIT:-9000}"
}

for rel in $releases; do
	t_rel=$(date +%s)
	failed_before=$fail
	release_test "$rel"
	echo "# $rel: $(($(date +%s) - t_rel)) s"
	[ "$fail" -ne "$failed_before" ] || rm -rf --one-file-system "$work/$rel/rootfs" "$work/$rel/disk.img"
done
finish
