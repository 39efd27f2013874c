#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# pkg-deb.sh (make pkg-deb) [RELEASE...]: prove the Debian packages the way a user meets
# them, on each RELEASE (default: $MEMLAB_RELEASES, or "bookworm trixie").
# TAP, closed by "deb: N passed, N failed".
#  1. build them from a clean copy (deb-build.sh), lintian, one version
#     everywhere, memlab-utils cross-built for arm64 (deb-build.sh arm64),
#     dkms.conf (DKMS's defaults, the kernel range, the architectures);
#     then make repo (packaging/repo.sh, a throwaway key), served over
#     HTTP on 127.0.0.1 with a copy whose Release another key signed;
#  2. per release, in a chroot in a copy of the cached image (image.sh: the
#     release's kernels of kernels/kernels.conf with their headers), offline:
#     - memlab.sources pointing at the other key's copy: apt update fails,
#       apt install memlab-dkms finds nothing, nothing changes; then at the
#       real one: apt install memlab-dkms by name installs both packages;
#     - autopkgtest's debian/tests/utils (selftest runs in the boots);
#     - a kernel memlab cannot build for (stub-headers.sh): present when
#       memlab is installed (the build fails), and installed when memlab is
#       there (outside dkms.conf's range): apt stays consistent, one line
#       names the kernel, the other kernels keep their modules;
#     - purge keeps a memlab group that existed before;
#     - Debian's own check, /usr/lib/dkms/dkms-autopkgtest;
#     - apt install builds and installs mtest and maptest for every kernel;
#  3. boot the image under QEMU (kernels/qemu.sh), systemd as PID 1, root
#     on virtio, the image's own initramfs; guest-check.sh reports in TAP on
#     the serial console. The newest kernel is removed before, so the boots
#     are: the oldest kernel without memlab (a live apt install by name from
#     the repository as a file: URI, then apt
#     install of the newest kernel and its headers, for which DKMS builds
#     memlab); the newest kernel (memlab loads, nobody acted); the oldest
#     again; the newest without its modules (the units skip), then apt remove
#     and apt purge.
# Work files: build/pkg/deb-test/RELEASE/ (console logs: console-N-KVER.log;
# the copy and the disk are deleted after a green run). MEMLAB_KVM=1 to use
# KVM (kernels/qemu.sh).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/pkg/lib.sh"
TAP_TIER=deb
work=$top/build/pkg/deb-test
releases=${*:-${MEMLAB_RELEASES:-bookworm trixie}}
# Releases whose boots start from a system without memlab and without the
# newest kernel: live install, then kernel upgrade (DKMS builds twice under
# TCG, several minutes). The others boot memlab as the chroot installed it.
upgrade_releases=${MEMLAB_DEB_UPGRADE-trixie}
t0=$(date +%s)

finish() {
	[ -z "${http_pid:-}" ] || kill "$http_pid" 2>/dev/null || :
	# The throwaway keys' agents.
	for h in "$work/gnupg" "$work/gnupg-other"; do
		[ ! -d "$h" ] || gpgconf --homedir "$h" --kill gpg-agent 2>/dev/null || :
	done
	unmount_all
	echo "# deb-test: $(($(date +%s) - t0)) s"
	tap_summary
	exit
}

# Never follow a mount under $work (a bind of /dev) when deleting.
unmount_all() { unmount_under "$work"; }
trap unmount_all EXIT
trap 'unmount_all; exit 130' INT TERM

echo "TAP version 13"

host_install qemu-system-x86 mmdebstrap e2fsprogs lintian dpkg-dev file
unmount_all
rm -rf --one-file-system "$work"
mkdir -p "$work"

# --- 1. build, lintian, one version, dkms.conf ------------------------------
if out=$("$top/packaging/deb-build.sh" 2>&1); then
	emit ok "dpkg-buildpackage -us -uc from a clean copy"
else
	emit "not ok" "dpkg-buildpackage -us -uc from a clean copy"
	printf '%s\n' "$out" | tail -n 20 | tap_diag
	finish
fi
debs=$top/build/deb
dkms_deb=$debs/memlab-dkms_${ver}-1_all.deb
utils_deb=$(ls "$debs"/memlab-utils_"$ver"-1_*.deb)
dpkg-deb --fsys-tarfile "$dkms_deb" | tar -xOf - "./usr/src/memlab-$ver/dkms.conf" >"$work/dkms.conf"

# The one version check (packaging/versions.sh), and what the package ships.
versions() {
	sh "$top/packaging/versions.sh" || return 1
	grep -x "PACKAGE_VERSION=\"$ver\"" "$work/dkms.conf"
}
tap_check "one version: VERSION, debian/changelog, CHANGELOG.md, the spec, the packaged dkms.conf, its kernel range" versions

lint() {
	out=$(lintian --pedantic "$debs"/memlab_"$ver"-1_*.changes 2>&1 | grep -v 'root privileges' || :)
	printf '%s\n' "$out"
	! printf '%s\n' "$out" | grep -q '^[EWP]:'
}
tap_check "lintian --pedantic: no error, warning or pedantic tag on the source, memlab-dkms and memlab-utils" lint

# memlab-utils for arm64, cross-built (dpkg-buildpackage -aarm64) as
# Debian's buildds would: an arm64 package of aarch64 programs.
cross_arm64() {
	d=$("$top/packaging/deb-build.sh" arm64) || return 1
	deb=$(ls "$d"/memlab-utils_"$ver"-1_arm64.deb) || return 1
	dpkg-deb -f "$deb" Architecture Depends
	[ "$(dpkg-deb -f "$deb" Architecture)" = arm64 ] || return 1
	mkdir -p "$work/utils-arm64"
	dpkg-deb -x "$deb" "$work/utils-arm64"
	for b in memlab memlab-selftest mtest_test maptest_test; do
		f=$(file -b "$work/utils-arm64/usr/bin/$b")
		echo "$b: $f"
		case $f in *"ARM aarch64"*) ;; *) return 1 ;; esac
	done
}
tap_check "memlab-utils cross-built for arm64 (dpkg-buildpackage -aarm64): an arm64 package of aarch64 programs" \
	cross_arm64

tap_check "dkms.conf: BUILD_EXCLUSIVE_ARCH builds on x86_64 and aarch64 and on nothing else" \
	bash -c '. "$1" && for m in x86_64 aarch64; do [[ $m =~ $BUILD_EXCLUSIVE_ARCH ]] || exit 1; done &&
		for m in i686 armv7l riscv64 ppc64le s390x aarch64_be x86_64x; do
			! [[ $m =~ $BUILD_EXCLUSIVE_ARCH ]] || exit 1; done' bash "$work/dkms.conf"

tap_check "dkms.conf: no MAKE and no CLEAN (DKMS's defaults build and clean the same)" \
	sh -c '! grep -nE "^[[:space:]]*(MAKE|CLEAN)" "$1"' sh "$work/dkms.conf"

# --- the repositories: make repo's APT part, and one signed by another key --
# repo.sh with the packages just built (make repo builds them itself), signed
# by a throwaway key; "other" is the same repository whose Release another
# key signed: apt must refuse it. Both are served over HTTP on loopback,
# which the chroots below share with the host.
export GNUPGHOME="$work/gnupg"
repo_key=$("$top/tests/pkg/throwaway-key.sh" "$GNUPGHOME")
other_home=$work/gnupg-other
other_key=$("$top/tests/pkg/throwaway-key.sh" "$other_home" "someone else")
make_repo() {
	MEMLAB_SIGNING_KEY=$repo_key "$top/packaging/repo.sh" --out "$work/www/memlab" \
		"$dkms_deb" "$utils_deb" "$top"/build/deb-arm64/memlab-utils_"$ver"-1_arm64.deb || return 1
	for s in bookworm trixie; do
		d=$work/www/memlab/apt/dists/$s
		gpg --batch --verify "$d/InRelease" 2>&1 | grep -F 'Good signature' || return 1
		for a in amd64 arm64; do
			grep -x "Package: memlab-utils" "$d/main/binary-$a/Packages" >/dev/null || return 1
		done
		grep -x "Package: memlab-dkms" "$d/main/binary-amd64/Packages"
	done
}
tap_check "make repo (packaging/repo.sh): bookworm and trixie, amd64 and arm64, InRelease signed by the key given" \
	make_repo
cp -a "$work/www/memlab" "$work/www/other"
for s in bookworm trixie; do
	d=$work/www/other/apt/dists/$s
	GNUPGHOME=$other_home gpg --batch --yes --quiet --local-user "$other_key" \
		--clearsign -o "$d/InRelease" "$d/Release"
	GNUPGHOME=$other_home gpg --batch --yes --quiet --local-user "$other_key" \
		--armor --detach-sign -o "$d/Release.gpg" "$d/Release"
done
# A port the kernel chooses, read back from the server's first line.
(cd "$work/www" && exec python3 -u -m http.server --bind 127.0.0.1 0) >"$work/http.log" 2>&1 &
http_pid=$!
for _ in 1 2 3 4 5 6 7 8 9 10; do
	port=$(sed -n 's/.* port \([0-9]*\) .*/\1/p' "$work/http.log")
	[ -n "$port" ] && break
	sleep 1
done
tap_check "the repositories are served on http://127.0.0.1:${port:-?}/" test -n "$port"

# --- 2. and 3., per release ------------------------------------------------
in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C.UTF-8 "$@"; }
apt_in_root() { in_root env DEBIAN_FRONTEND=noninteractive apt-get -y -q -o Dpkg::Use-Pty=0 "$@"; }

modules_for() {
	for k in "$@"; do
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
	left=$(cd "$root" && find lib/modules/ var/lib/dkms/ var/lib/memlab-dkms \
		-name 'mtest.ko*' -o -name 'maptest.ko*' -o -path 'var/lib/dkms/memlab*' -o -name 'build-*' 2>/dev/null || :)
	[ -z "$left" ] || { echo "$left"; return 1; }
}
status_ii() {
	for p in "$@"; do
		s=$(in_root dpkg-query -W -f='${db:Status-Abbrev}' "$p") || return 1
		[ "$s" = "ii " ] || { echo "$p: '$s'"; return 1; }
	done
	in_root apt-get check -q
}
# run OUT CMD...: CMD's output into OUT (and shown on failure).
run() {
	o=$1
	shift
	"$@" >"$o" 2>&1 || { rc=$?; cat "$o"; return $rc; }
}

release_test() {
	rel=$1
	rw=$work/$rel
	mkdir -p "$rw"
	s=$(date +%s)
	if ! img=$("$top/tests/pkg/image.sh" "$rel" 2>"$rw/image.log"); then
		emit "not ok" "$rel: image (see $rw/image.log)"
		tail -n 20 "$rw/image.log" | tap_diag
		return 0
	fi
	cache=$(dirname "$img")
	kernels=$(cat "$cache/kernels")
	k1=$(echo "$kernels" | head -n 1)
	k2=$(echo "$kernels" | tail -n 1)
	emit ok "$rel: image with $(echo $kernels) and their headers ($(($(date +%s) - s)) s)"

	root=$rw/rootfs
	(flock -s 9 && cp -a --reflink=auto "$img" "$root") 9>"$cache/.lock"
	# 7.x's objtool needs /proc in the chroot; apt and dkms need /dev.
	mount -t proc proc "$root/proc"
	mount --bind /sys "$root/sys"
	mount --bind /dev "$root/dev"
	mkdir -p "$root/root/memlab-debs"
	cp "$dkms_deb" "$utils_deb" "$root/root/memlab-debs/"
	memlab_debs="/root/memlab-debs/$(basename "$dkms_deb") /root/memlab-debs/$(basename "$utils_deb")"

	# A kernel whose build fails (in dkms.conf's range) is there when memlab
	# is installed; one outside the range is installed while memlab is there.
	bad=6.99.0-1-amd64
	out_of_range=7.99.0-1-amd64
	for k in $bad $out_of_range; do
		"$top/tests/pkg/stub-headers.sh" "$k" "$root/root/stubs" >/dev/null
	done
	in_root groupadd --system memlab
	tap_check "$rel: chroot: headers of kernel $bad, whose build fails" \
		apt_in_root install "/root/stubs/linux-headers-${bad}_1_all.deb"
	tap_check "$rel: chroot: install memlab with $bad present: apt succeeds (memlab group already there)" \
		run "$rw/install-bad.out" apt_in_root install $memlab_debs
	tap_check "$rel: chroot: memlab-dkms and memlab-utils configured (ii), apt consistent" \
		status_ii memlab-dkms memlab-utils
	tap_check "$rel: chroot: one line says $bad was skipped and why" \
		sh -c '[ "$(grep -c "$1" "$2")" = 1 ] && grep "$1" "$2"' sh \
		"memlab-dkms: kernel $bad skipped: the DKMS build failed" "$rw/install-bad.out"
	tap_check "$rel: chroot: every other kernel has its modules" modules_for $kernels
	dkms_ver=$(in_root dpkg-query -W -f='${Version}' dkms)
	if dpkg --compare-versions "$dkms_ver" lt 3.0.11; then
		# It ignores BUILD_EXCLUSIVE_KERNEL_MIN/MAX, tries the build, and
		# fails the kernel's configuration when a module fails or skips.
		tap_skip "$rel: chroot: with memlab installed, install headers of $out_of_range (outside dkms.conf's range)" \
			"dkms $dkms_ver fails every kernel a module cannot build for (Debian #1031561, fixed in 3.0.11)"
	else
		tap_check "$rel: chroot: with memlab installed, install headers of $out_of_range (outside dkms.conf's range): apt succeeds" \
			run "$rw/install-new.out" apt_in_root install "/root/stubs/linux-headers-${out_of_range}_1_all.deb"
		tap_check "$rel: chroot: ... linux-headers-$out_of_range configured (ii), apt consistent" \
			status_ii "linux-headers-$out_of_range"
		tap_check "$rel: chroot: ... DKMS says in one line that it skipped memlab for $out_of_range" \
			grep -F "Autoinstall on $out_of_range was skipped for module(s) memlab." "$rw/install-new.out"
		tap_check "$rel: chroot: ... every other kernel still has its modules" modules_for $kernels
		tap_diag <"$rw/install-new.out" | grep -iE 'dkms|memlab|autoinstall|exclusive' | head -n 8
	fi
	tap_check "$rel: chroot: purge the stub headers" \
		in_root dpkg --purge "linux-headers-$bad" "linux-headers-$out_of_range"
	purge_keeps_group() {
		apt_in_root purge memlab-dkms memlab-utils && in_root getent group memlab
	}
	tap_check "$rel: chroot: purge memlab keeps the memlab group that was there before" purge_keeps_group
	tap_check "$rel: chroot: purge leaves no built module, DKMS tree or build log" no_modules_left
	in_root groupdel memlab

	# Debian's own check (autopkgtest-pkg-dkms) wants the package from an
	# apt source: a local one, read through its own apt configuration.
	mkdir -p "$root/root/repo" "$root/root/repo.d"
	cp "$dkms_deb" "$utils_deb" "$root/root/repo/"
	(cd "$root/root/repo" && dpkg-scanpackages -m . /dev/null 2>/dev/null >Packages)
	echo "deb [trusted=yes] file:/root/repo ./" >"$root/root/repo.list"
	printf 'Dir::Etc::SourceList "/root/repo.list";\nDir::Etc::SourceParts "/root/repo.d";\n' \
		>"$root/root/apt-repo.conf"
	autopkgtest() {
		in_root env APT_CONFIG=/root/apt-repo.conf apt-get update -q &&
			in_root env APT_CONFIG=/root/apt-repo.conf AUTOPKGTEST_ARTIFACTS=/root \
				/usr/lib/dkms/dkms-autopkgtest memlab-dkms
	}
	if run "$rw/autopkgtest.out" autopkgtest; then
		emit ok "$rel: /usr/lib/dkms/dkms-autopkgtest memlab-dkms"
	else
		emit "not ok" "$rel: /usr/lib/dkms/dkms-autopkgtest memlab-dkms"
		tail -n 30 "$rw/autopkgtest.out" | tap_diag
	fi
	for k in $kernels; do
		# dkms 3.0: "I: PASS KVER"; 3.2: "I: PASS memlab/VERSION KVER"
		tap_check "$rel: dkms-autopkgtest: PASS for $k" \
			grep -xF -e "I: PASS $k" -e "I: PASS memlab/$ver $k" "$rw/autopkgtest.out"
	done
	tap_check "$rel: chroot: purge after dkms-autopkgtest" apt_in_root purge memlab-dkms
	rm -f "$root/root/repo.list" "$root/var/lib/apt/lists/"*root_repo*

	# The repository as a user adds it: one .sources file (make repo's, for
	# this release), apt update, apt install by name. The image's Debian
	# sources go: it is offline, and apt update then reads only memlab's.
	mkdir -p "$rw/debian-sources"
	mv "$root"/etc/apt/sources.list.d/* "$rw/debian-sources/" 2>/dev/null || :
	[ ! -f "$root/etc/apt/sources.list" ] || mv "$root/etc/apt/sources.list" "$rw/debian-sources/"
	in_root dpkg-query -W >"$rw/dpkg-before"
	sed "s|^URIs: .*|URIs: http://127.0.0.1:$port/other/apt|" "$work/www/other/memlab-$rel.sources" \
		>"$root/etc/apt/sources.list.d/memlab.sources"
	tap_check "$rel: chroot: a Release signed by another key: apt update refuses it" \
		sh -c '! "$@" >"$0" 2>&1 && cat "$0" && grep -E "NO_PUBKEY|not signed|signatures were invalid|is not signed" "$0"' \
		"$rw/update-other.out" chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C.UTF-8 apt-get update
	tap_check "$rel: chroot: ... and apt install memlab-dkms finds nothing to install" \
		sh -c '! "$@" >"$0" 2>&1 && cat "$0"' "$rw/install-other.out" \
		chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q memlab-dkms
	unchanged() {
		in_root dpkg-query -W | diff "$rw/dpkg-before" - || return 1
		left=$(ls "$root/var/lib/apt/lists/" | grep -v '^lock$\|^partial$\|^auxfiles$' || :)
		[ -z "$left" ] || { echo "apt lists: $left"; return 1; }
	}
	tap_check "$rel: chroot: ... nothing changed: the same packages, no list kept" unchanged
	sed "s|^URIs: .*|URIs: http://127.0.0.1:$port/memlab/apt|" "$work/www/memlab/memlab-$rel.sources" \
		>"$root/etc/apt/sources.list.d/memlab.sources"
	tap_check "$rel: chroot: memlab.sources (Signed-By, the key inline): apt update" \
		run "$rw/update.out" in_root apt-get update
	if run "$rw/install.out" apt_in_root install memlab-dkms; then
		emit ok "$rel: chroot: apt install memlab-dkms, by name, from the repository"
		grep '^memlab-dkms:' "$rw/install.out" | tap_diag
	else
		emit "not ok" "$rel: chroot: apt install memlab-dkms, by name, from the repository"
		tail -n 30 "$rw/install.out" | tap_diag
	fi
	tap_check "$rel: chroot: ... memlab-utils came with it (Recommends): both configured (ii)" \
		status_ii memlab-dkms memlab-utils
	# debian/tests (autopkgtest) of memlab-utils: "utils" here, "selftest"
	# needs the modules loaded: in the booted image (guest-check.sh).
	mkdir -p "$root/root/autopkgtest/tmp"
	cp "$top"/debian/tests/utils "$top"/debian/tests/selftest "$root/root/autopkgtest/"
	tap_check "$rel: chroot: autopkgtest debian/tests/utils (memlab-utils without the modules)" \
		in_root env AUTOPKGTEST_TMP=/root/autopkgtest/tmp /root/autopkgtest/utils
	tap_check "$rel: chroot: DKMS built and installed mtest.ko and maptest.ko for $(echo $kernels)" \
		modules_for $kernels
	tap_check "$rel: chroot: the package created the memlab group" in_root getent group memlab
	tap_check "$rel: chroot: memlab-modules and memlab-selftest enabled at boot" \
		in_root systemctl is-enabled memlab-modules.service memlab-selftest.service
	# How long DKMS takes to build both modules for one kernel (native).
	for k in $kernels; do
		s=$(date +%s.%N)
		in_root dkms build -m memlab -v "$ver" -k "$k" --force >/dev/null 2>&1 || :
		e=$(date +%s.%N)
		echo "# $rel: dkms build of mtest+maptest for $k: $(awk "BEGIN { printf \"%.1f\", $e - $s }") s"
	done
	# --- 3. the boots ---------------------------------------------------
	case " $upgrade_releases " in
	*" $rel "*)
		# The system a user has before: the oldest kernel only, no memlab.
		# The newest kernel's packages wait in /root/kernel-debs (image.sh's
		# stash).
		tap_check "$rel: chroot: purge memlab again, for the boots" \
			apt_in_root purge memlab-dkms memlab-utils
		newest_pkgs=$(in_root dpkg-query -W -f='${Package}\n' | grep -F -- "$k2" | tr '\n' ' ')
		tap_check "$rel: chroot: remove $k2 ($newest_pkgs) for the upgrade test" \
			apt_in_root purge --autoremove $newest_pkgs
		mkdir -p "$root/root/kernel-debs"
		cp "$cache"/stash/*.deb "$root/root/kernel-debs/"
		# The guest makes the newest kernel's initramfs under TCG: only
		# the modules this machine needs.
		printf 'MODULES=dep\n' >"$root/etc/initramfs-tools/conf.d/memlab-test.conf"
		# The guest installs memlab by name from the same repository, as a
		# file: URI (the guest has no network); its lists are made there.
		mkdir -p "$root/srv/memlab"
		cp -a "$work/www/memlab/apt" "$root/srv/memlab/"
		sed "s|^URIs: .*|URIs: file:/srv/memlab/apt|" "$work/www/memlab/memlab-$rel.sources" \
			>"$root/etc/apt/sources.list.d/memlab.sources"
		rm -rf "$root"/var/lib/apt/lists/*_memlab_*
		in_root useradd --create-home alice
		boots="$k1:install,$k2 $k2:boot $k1:boot,$k2 $k2:nobuild"
		;;
	*)
		# memlab as installed in the chroot; each kernel boots once with the
		# full checks, the last one then uninstalls the first kernel's
		# modules, which boots again without them (the units must skip) and
		# does apt remove and apt purge.
		in_root useradd --create-home --groups memlab alice
		boots="$k1:boot $k2:boot,$k1 $k1:nobuild"
		;;
	esac
	in_root useradd --create-home bob
	guest_setup "$root"
	unmount_all

	disk=$rw/disk.img
	if ! out=$(disk_from "$root" "$disk" 2>&1); then
		emit "not ok" "$rel: ext4 disk image from the prepared tree"
		printf '%s\n' "$out" | tap_diag
		return 0
	fi
	rm -rf --one-file-system "$root"

	nb=0
	for b in $boots; do
		nb=$((nb + 1))
		k=${b%%:*}
		phase=${b#*:}
		limit=600
		[ "$nb" -eq 1 ] && limit=1800
		# The initramfs is the guest's own (the kernel upgrade made the newest).
		boot_phase "$rel: boot $nb" "$img" "$disk" "$k" "$phase" "$rw/console-$nb-$k.log" "$limit"
	done
	echo "# $rel: $(($(date +%s) - t_rel)) s"
}

for rel in $releases; do
	t_rel=$(date +%s)
	failed_before=$fail
	release_test "$rel"
	# A green release leaves no multi-gigabyte copy behind.
	[ "$fail" -ne "$failed_before" ] || rm -rf --one-file-system "$work/$rel/rootfs" "$work/$rel/disk.img"
done

finish
