#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# pkg-rpm.sh (make pkg-rpm): prove the memlab RPMs as far as a Debian host can.
#
#   1. the version agrees in VERSION, dkms.conf, debian/changelog,
#      CHANGELOG.md and rpm/memlab.spec;
#   2. "make rpm" (make dist, then rpmbuild -ba from that tarball) succeeds
#      in a clean clone of the committed tree;
#   3. rpmlint, with rpm/memlab.rpmlintrc, reports no error and no warning;
#   4. the packages hold exactly the expected files with the right modes,
#      require what Fedora, RHEL and openSUSE name, and carry the scriptlets;
#   5. rpm --root installs them into a copy of the cached Debian image of
#      tests/pkg/image.sh (dkms, two kernels with headers): the real %post
#      must leave mtest.ko and maptest.ko built by DKMS for both kernels
#      (and skip a kernel without headers), an upgrade to release 2 must keep
#      them, and rpm -e must remove them again.
#
# No Fedora system can be installed here (only Debian's packages are
# reachable), so the Fedora names among the Requires are checked against
# what the Debian image provides, and only they are waived with --nodeps.
#
# Output: TAP, closed by "rpm: N passed, N failed". Exit status 1 if any
# test failed.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
work=$top/build/rpm-test
version=$(cat "$top/VERSION")
root= # the image copy, once section 5 has made it

# --- TAP (tests/lib/tap.sh) ------------------------------------------------
. "$top/tests/lib/tap.sh"
. "$top/kernels/host.sh"
TAP_TIER=rpm
finish() {
	# The throwaway key's agent.
	[ ! -d "$work/gnupg" ] || gpgconf --homedir "$work/gnupg" --kill gpg-agent 2>/dev/null || :
	# The image copy (about 2 GB) is kept only when something failed.
	if [ "$fail" -eq 0 ] && [ -n "${root:-}" ]; then
		unmount_all
		rm -rf --one-file-system "$root"
	fi
	tap_summary
	exit
}

# run_log LOG CMD...: CMD's output into LOG, shown when it fails.
run_log() {
	_log=$1
	shift
	"$@" >"$_log" 2>&1 || { _rc=$?; cat "$_log"; return $_rc; }
}

# --- dependencies, idempotently ---------------------------------------------
host_install rpm rpm2cpio cpio rpmlint git make gcc libc6-dev

# The install test mounts /proc and /dev in the image copy under $work: undo
# them always, and before removing $work never follow a mount left by a run
# that was killed (rm -rf through a bind of /dev would empty the host's /dev).
mounted=
unmount_all() {
	for m in $mounted; do
		umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || :
	done
	unmount_under "$work"
	mounted=
}
trap unmount_all EXIT
trap 'unmount_all; exit 130' INT TERM
unmount_all
rm -rf --one-file-system "$work"
mkdir -p "$work"

# --- 1. one version everywhere (packaging/versions.sh) -----------------------
tap_check "one version: VERSION, debian/changelog, CHANGELOG.md, the spec, dkms.conf's kernel range" \
	sh "$top/packaging/versions.sh"

# --- 2. rpmbuild -ba from the tarball, in a clean tree ----------------------
# A clone holds only what is committed, as the tarball (git archive HEAD)
# does: a file the spec needs but nobody committed fails here.
git clone -q --no-local "$top" "$work/clean"
if make -C "$work/clean" -s rpm >"$work/build.out" 2>"$work/build.log"; then
	emit ok "make rpm: rpmbuild -ba from build/memlab-$version.tar.gz in a clean clone"
else
	emit "not ok" "make rpm: rpmbuild -ba from build/memlab-$version.tar.gz in a clean clone"
	tail -n 30 "$work/build.log" | tap_diag
	finish
fi
rpmdir=$work/clean/build/rpm
dkms_rpm=$(ls "$rpmdir"/RPMS/noarch/memlab-dkms-"$version"-*.noarch.rpm)
utils_rpm=$(ls "$rpmdir"/RPMS/*/memlab-utils-"$version"-*.rpm)
srpm=$(ls "$rpmdir"/SRPMS/memlab-"$version"-*.src.rpm)
tap_check "the build wrote memlab-dkms (noarch), memlab-utils and the source RPM" \
	test -f "$dkms_rpm" -a -f "$utils_rpm" -a -f "$srpm"
arch=$(rpm -qp --qf '%{ARCH}' "$utils_rpm" 2>/dev/null)
tap_check "memlab-utils is an arch package ($arch)" test "$arch" != noarch

# --- 3. rpmlint -------------------------------------------------------------
if rpmlint -r "$top/rpm/memlab.rpmlintrc" "$rpmdir/SPECS/memlab.spec" \
	"$dkms_rpm" "$utils_rpm" "$srpm" >"$work/rpmlint.log" 2>&1 &&
	grep -q ' 0 errors, 0 warnings' "$work/rpmlint.log"; then
	emit ok "rpmlint: no error, no warning beyond the justified filters"
else
	emit "not ok" "rpmlint: no error, no warning beyond the justified filters"
	tap_diag <"$work/rpmlint.log"
fi

# --- 4. contents, requires, scriptlets --------------------------------------
# "mode user group path" for every file, without the build-id links that
# rpmbuild adds on its own.
contents() {
	rpm -qp --qf '[%{FILEMODES:perms} %{FILEUSERNAME} %{FILEGROUPNAME} %{FILENAMES}\n]' "$1" |
		grep -v ' /usr/lib/\.build-id' | sort
}
# The expected lists are built from the tarball, not from the packages.
tarball=$work/clean/build/memlab-$version.tar.gz
mkdir -p "$work/tree"
tar -xzf "$tarball" -C "$work/tree"
tree=$work/tree/memlab-$version
usrsrc=/usr/src/memlab-$version
{
	echo "drwxr-xr-x root root $usrsrc"
	echo "-rw-r--r-- root root $usrsrc/dkms.conf"
	(cd "$tree/src" && find . -mindepth 1 -type d) | sed "s|^\.|drwxr-xr-x root root $usrsrc|"
	(cd "$tree/src" && find . -type f) | sed "s|^\.|-rw-r--r-- root root $usrsrc|"
	echo "-rw-r--r-- root root /usr/lib/udev/rules.d/60-memlab.rules"
	echo "-rw-r--r-- root root /usr/lib/sysusers.d/memlab.conf"
	echo "-rw-r--r-- root root /usr/lib/systemd/system/memlab-modules.service"
	echo "-rw-r--r-- root root /usr/lib/systemd/system/memlab-selftest.service"
	echo "drwxr-xr-x root root /usr/libexec/memlab"
	echo "-rwxr-xr-x root root /usr/libexec/memlab/modules-built"
	echo "-rw-r--r-- root root /usr/share/man/man8/memlab-modules.service.8.gz"
	echo "drwxr-xr-x root root /usr/share/doc/memlab-dkms-$version"
	echo "-rw-r--r-- root root /usr/share/doc/memlab-dkms-$version/CHANGELOG.md"
	echo "-rw-r--r-- root root /usr/share/doc/memlab-dkms-$version/README.md"
	echo "drwxr-xr-x root root /usr/share/licenses/memlab-dkms-$version"
	echo "-rw-r--r-- root root /usr/share/licenses/memlab-dkms-$version/COPYING"
} | sort >"$work/dkms.expected"
{
	for prog in memlab memlab-selftest mtest_test maptest_test; do
		echo "-rwxr-xr-x root root /usr/bin/$prog"
	done
	echo "-rw-r--r-- root root /usr/share/bash-completion/completions/memlab"
	echo "-rw-r--r-- root root /usr/share/man/man1/memlab.1.gz"
	echo "drwxr-xr-x root root /usr/share/doc/memlab-utils-$version"
	echo "-rw-r--r-- root root /usr/share/doc/memlab-utils-$version/README.md"
	echo "drwxr-xr-x root root /usr/share/licenses/memlab-utils-$version"
	echo "-rw-r--r-- root root /usr/share/licenses/memlab-utils-$version/COPYING"
	echo "-rw-r--r-- root root /usr/share/man/man1/memlab-selftest.1.gz"
	echo "-rw-r--r-- root root /usr/share/man/man1/mtest_test.1.gz"
	echo "lrwxrwxrwx root root /usr/share/man/man1/maptest_test.1.gz"
} | sort >"$work/utils.expected"
for pkg in dkms utils; do
	eval rpmfile=\$${pkg}_rpm
	contents "$rpmfile" >"$work/$pkg.files"
	if diff -u "$work/$pkg.expected" "$work/$pkg.files" >"$work/$pkg.diff"; then
		emit ok "memlab-$pkg holds exactly the expected files, modes and owners"
	else
		emit "not ok" "memlab-$pkg holds exactly the expected files, modes and owners"
		tap_diag <"$work/$pkg.diff"
	fi
done
tap_check "memlab-dkms is noarch" test "$(rpm -qp --qf '%{ARCH}' "$dkms_rpm")" = noarch
# The shipped dkms.conf names this version, whatever dkms.conf in git holds.
(cd "$work" && rpm2cpio "$dkms_rpm" | cpio -id --quiet "./usr/src/memlab-$version/dkms.conf")
tap_check "version: memlab-dkms ships dkms.conf with PACKAGE_VERSION=\"$version\"" \
	grep -qx "PACKAGE_VERSION=\"$version\"" "$work/usr/src/memlab-$version/dkms.conf"

rpm -qp --requires "$dkms_rpm" >"$work/dkms.requires"
for dep in dkms kernel-devel gcc make systemd udev; do
	tap_check "memlab-dkms requires $dep" grep -qx "$dep" "$work/dkms.requires"
done
# The kernel devel package is named per distribution: parse the spec as each
# would and look at what it requires.
spec_requires_has() {
	rpmspec -q --requires --define "$1" "$rpmdir/SPECS/memlab.spec" 2>/dev/null | grep -qxF "$2"
}
tap_check "on Fedora memlab-dkms requires (kernel-devel-matched if kernel-core)" \
	spec_requires_has "fedora 41" "(kernel-devel-matched if kernel-core)"
tap_check "on RHEL 9 memlab-dkms requires kernel-devel" spec_requires_has "rhel 9" kernel-devel
tap_check "on openSUSE memlab-dkms requires kernel-default-devel" \
	spec_requires_has "suse_version 1600" kernel-default-devel

# Where systemd-rpm-macros is installed (Fedora, RHEL, openSUSE) the spec
# must take its macros, not the plain commands that run here. Stand-ins named
# after them show which branch each scriptlet takes.
rpmspec -P "$rpmdir/SPECS/memlab.spec" \
	--define 'systemd_post() SYSTEMD_POST %*' --define 'systemd_preun() SYSTEMD_PREUN %*' \
	--define 'systemd_postun() SYSTEMD_POSTUN %*' --define 'udev_rules_update UDEV_RULES_UPDATE' \
	--define 'sysusers_create_compat() SYSUSERS_CREATE_COMPAT %*' \
	--define '_unitdir /usr/lib/systemd/system' --define '_udevrulesdir /usr/lib/udev/rules.d' \
	--define '_sysusersdir /usr/lib/sysusers.d' >"$work/spec-macros.txt" 2>&1 || :
macro_branch() {
	for m in SYSTEMD_POST SYSTEMD_PREUN SYSTEMD_POSTUN UDEV_RULES_UPDATE SYSUSERS_CREATE_COMPAT; do
		grep -q "^$m" "$work/spec-macros.txt" || return 1
	done
	! grep -q 'systemctl\|udevadm\|systemd-sysusers\|groupadd' "$work/spec-macros.txt"
}
tap_check "with systemd-rpm-macros the scriptlets use %systemd_*, %udev_rules_update, %sysusers_create_compat" \
	macro_branch

rpm -qp --scripts "$dkms_rpm" >"$work/dkms.scripts"
tap_diag <"$work/dkms.scripts"
for tag in PREIN POSTIN PREUN POSTUN; do
	rpm -qp --qf "%{$tag}" "$dkms_rpm" >"$work/$tag.sh"
done
tap_check "%post runs dkms add" grep -q '^dkms add -m memlab -v '"$version" "$work/dkms.scripts"
tap_check "%post runs dkms build and dkms install for each kernel with a devel tree" \
	sh -c 'grep -q "for build in /lib/modules/\*/build" "$0" &&
	       grep -q "dkms build -m memlab -v $1 -k" "$0" &&
	       grep -q "dkms install -m memlab -v $1 -k" "$0"' "$work/dkms.scripts" "$version"
tap_check "%preun runs dkms remove --all" \
	grep -q "^dkms remove -m memlab -v $version --all" "$work/PREUN.sh"
# Each scriptlet body must at least be valid POSIX sh (dash parses it here,
# as /bin/sh would on the target).
for tag in PREIN POSTIN PREUN POSTUN; do
	[ "$(cat "$work/$tag.sh")" = "(none)" ] && continue
	tap_check "the $tag scriptlet is valid sh" dash -n "$work/$tag.sh"
done
tap_check "memlab-utils has no scriptlets" test -z "$(rpm -qp --scripts "$utils_rpm")"

# --- 4b. the dnf repository (make repo's RPM part) ---------------------------
# Built N+1 now too (the same sources made release N+1, packaging/bump-version.sh)
# for the upgrade below; the repository holds both, signed by a throwaway key.
next=$(echo "$version" | awk -F. '{ print $1 "." $2 "." $3 + 1 }')
if RPM_TOPDIR=$work/rpm-next BUILD=$work/clean/build \
	"$work/clean/packaging/rpm-build.sh" --version "$next" >"$work/next.out" 2>"$work/next.log"; then
	emit ok "rpm-build.sh --version $next: release N+1 of the same sources"
else
	emit "not ok" "rpm-build.sh --version $next: release N+1 of the same sources"
	tail -n 20 "$work/next.log" | tap_diag
	finish
fi
export GNUPGHOME="$work/gnupg"
repo_key=$("$top/tests/pkg/throwaway-key.sh" "$GNUPGHOME")
if MEMLAB_SIGNING_KEY=$repo_key "$top/packaging/repo.sh" --out "$work/repo" "$dkms_rpm" "$utils_rpm" \
	$(grep -v '\.src\.rpm$' "$work/next.out") >"$work/repo.out" 2>"$work/repo.log"; then
	emit ok "make repo (packaging/repo.sh): dnf repository of N and N+1, RPMs signed with rpmsign"
else
	emit "not ok" "make repo (packaging/repo.sh): dnf repository of N and N+1, RPMs signed with rpmsign"
	tail -n 20 "$work/repo.log" | tap_diag
	finish
fi
tap_check "createrepo_c metadata lists memlab-dkms and memlab-utils, N and N+1" \
	sh -c 'zcat "$1"/repodata/*-primary.xml.gz | grep -c "<name>memlab-\(dkms\|utils\)</name>" | grep -qx 4' sh "$work/repo/rpm"
tap_check "repodata/repomd.xml.asc: signed by the key given" \
	gpg --batch --verify "$work/repo/rpm/repodata/repomd.xml.asc" "$work/repo/rpm/repodata/repomd.xml"
tap_check "memlab.repo: gpgcheck=1, repo_gpgcheck=1, gpgkey" \
	sh -c 'grep -qx gpgcheck=1 "$1" && grep -qx repo_gpgcheck=1 "$1" && grep -q "^gpgkey=.*/RPM-GPG-KEY-memlab$" "$1"' \
	sh "$work/repo/memlab.repo"
# From here on, the packages are the repository's, signed.
dkms_rpm=$(ls "$work"/repo/rpm/noarch/memlab-dkms-"$version"-*.rpm)
utils_rpm=$(ls "$work"/repo/rpm/"$arch"/memlab-utils-"$version"-*.rpm)
next_dkms=$(ls "$work"/repo/rpm/noarch/memlab-dkms-"$next"-*.rpm)
next_utils=$(ls "$work"/repo/rpm/"$arch"/memlab-utils-"$next"-*.rpm)
unsigned_db=$(mktemp -d)
tap_check "rpm -K: a signature the published key does not know is refused" \
	sh -c '! rpm --dbpath "$1" -K "$2" 2>&1 | grep -q "signatures OK"' sh "$unsigned_db" "$dkms_rpm"
rm -rf "$unsigned_db"

# --- 5. install into the Debian image with rpm --root -----------------------
# image.sh (Debian packaging) prints the pristine cached rootfs, which is
# never written to: as its header asks, the install goes into a copy.
if [ ! -x "$top/tests/pkg/image.sh" ]; then
	emit "not ok" "tests/pkg/image.sh (the cached Debian image) is there"
	finish
fi
if ! pristine=$("$top/tests/pkg/image.sh" 2>"$work/image.log" | tail -n 1) ||
	[ ! -d "$pristine/usr" ]; then
	emit "not ok" "tests/pkg/image.sh gives the cached Debian image"
	tail -n 20 "$work/image.log" | tap_diag
	finish
fi
kernels=$(cat "$(dirname "$pristine")/kernels")
root=$work/root
mkdir -p "$root"
# The lock image.sh takes: no rebuild of the image while it is copied.
(flock -s 9 && cp -a --reflink=auto "$pristine/." "$root/") 9>"$(dirname "$pristine")/.lock"
# dkms and make need /proc and /dev inside the chroot where %post runs.
mount -t proc proc "$root/proc"
mounted="$root/proc"
mount --bind /dev "$root/dev"
mounted="$root/dev $mounted"

# A kernel whose headers are not installed: %post must skip it, not fail.
noheaders=0.0.0-noheaders
mkdir -p "$root/lib/modules/$noheaders"
ln -s "/usr/src/linux-headers-$noheaders" "$root/lib/modules/$noheaders/build"

# Debian's rpm keeps its database in ~/.rpmdb; inside the image use the
# path every RPM distribution uses.
rpmroot() { rpm --root "$root" --dbpath /var/lib/rpm "$@"; }
in_image() { chroot "$root" "$@"; }
deb_installed() {
	dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${Status}' "$1" 2>/dev/null |
		grep -q 'ok installed'
}
headers_for_all() {
	for k in $kernels; do
		# Inside the image: the build link is absolute.
		chroot "$root" test -f "/lib/modules/$k/build/Makefile" || return 1
	done
}
rpmroot --initdb
# As dnf does with gpgkey=: the repository's key, then every package checked.
rpmroot --import "$work/repo/RPM-GPG-KEY-memlab"

# The image's packages are Debian's, so rpm sees none of them: list what rpm
# finds missing, and accept it only where the image has the Debian
# equivalent. That is all --nodeps then waives.
rpmroot -i --test "$dkms_rpm" "$utils_rpm" >"$work/deps.log" 2>&1 || :
sed -n 's/^[[:space:]]*\(.*\) is needed by .*/\1/p' "$work/deps.log" | sort -u >"$work/unmet"
deps_ok=1
while read -r dep; do
	case $dep in
	dkms | gcc | make | systemd | udev) have=$dep; deb_installed "$dep" ;;
	kernel-devel) have="linux-headers for $(echo $kernels)"; headers_for_all ;;
	/bin/sh) have=dash; test -x "$root/bin/sh" ;;
	libc.so.6* | rtld*) have=libc6; deb_installed libc6 ;;
	*) have="nothing (not a known Debian equivalent)"; false ;;
	esac && res=met || { res=MISSING; deps_ok=0; }
	echo "$dep -> $have: $res"
done <"$work/unmet" >"$work/deps.map"
tap_diag <"$work/deps.map"
tap_check "every Requires rpm cannot see in the image is met there by its Debian package" \
	test "$deps_ok" = 1 -a -s "$work/unmet"

if rpmroot -ivh --nodeps "$dkms_rpm" "$utils_rpm" >"$work/install.log" 2>&1; then
	emit ok "rpm --root -i --nodeps installs the signed memlab-dkms and memlab-utils (%post ran)"
else
	emit "not ok" "rpm --root -i --nodeps installs the signed memlab-dkms and memlab-utils (%post ran)"
fi
tap_diag <"$work/install.log"
tap_check "rpm's database in the image lists both packages" \
	rpmroot -q --quiet "memlab-dkms-$version" "memlab-utils-$version"

# modinfo of the installed module, as modprobe would find it.
module_built() {
	f=$(find "$root/lib/modules/$1/updates" -name "$2.ko*" 2>/dev/null | head -n 1)
	[ -n "$f" ] || return 1
	vermagic=$(in_image modinfo -F vermagic "${f#"$root"}")
	echo "$1: ${f#"$root"}: vermagic $vermagic" | tap_diag
	case $vermagic in "$1 "*) ;; *) return 1 ;; esac
	grep -q "/$2\.ko[^:]*:" "$root/lib/modules/$1/modules.dep"
}
for k in $kernels; do
	in_image dkms status -m memlab -v "$version" -k "$k" >"$work/status" 2>&1 || :
	tap_diag <"$work/status"
	tap_check "DKMS reports memlab/$version installed for $k" grep -q 'installed' "$work/status"
	for mod in mtest maptest; do
		tap_check "$mod.ko built by DKMS for $k, with its vermagic, in modules.dep" \
			module_built "$k" "$mod"
	done
done
in_image dkms status >"$work/status-all" 2>&1 || :
tap_check "%post skipped the kernel without headers, silently" \
	sh -c '! grep -q "$2" "$1/install.log" "$1/status-all" && [ ! -e "$3/var/lib/dkms/memlab/$4/$2" ]' \
	sh "$work" "$noheaders" "$root" "$version"
tap_check "the memlab group exists (sysusers, or groupadd where it is missing)" \
	grep -q '^memlab:' "$root/etc/group"
tap_check "the udev rule is where udev reads it" test -f "$root/usr/lib/udev/rules.d/60-memlab.rules"
# Debian has no preset files, so its preset policy is "enable": the plain
# %systemd_post must have enabled both units (Fedora's policy would not).
wants=$root/etc/systemd/system/multi-user.target.wants
for unit in memlab-modules.service memlab-selftest.service; do
	tap_check "$unit enabled by the preset in %post" test -L "$wants/$unit"
done
for prog in memlab memlab-selftest mtest_test maptest_test; do
	tap_check "$prog is installed and runs in the image's libc" \
		sh -c 'test -x "$1/usr/bin/$2" && chroot "$1" ldd "/usr/bin/$2" >/dev/null' sh "$root" "$prog"
done

# memlab's own upgrade, N -> N+1 -> N: each way DKMS must drop the other
# version's modules and build this one's, for every kernel.
dkms_only() {
	st=$(chroot "$root" dkms status -m memlab 2>/dev/null)
	echo "$st"
	for k in $kernels; do
		echo "$st" | grep -q "^memlab/$1, $k.*: installed" || return 1
		[ -n "$(find "$root/lib/modules/$k/updates" -name "mtest.ko*")" ] &&
			[ -n "$(find "$root/lib/modules/$k/updates" -name "maptest.ko*")" ] || return 1
	done
	! echo "$st" | grep -v "^memlab/$1," | grep -q . && [ ! -e "$root/var/lib/dkms/memlab/$2" ] &&
		[ -d "$root/usr/src/memlab-$1" ] && [ ! -e "$root/usr/src/memlab-$2" ]
}
rpm_has() {
	got=$(rpmroot -q --qf '%{NAME}-%{VERSION}\n' memlab-dkms memlab-utils | sort | tr '\n' ' ')
	echo "$got"
	[ "$got" = "memlab-dkms-$1 memlab-utils-$1 " ]
}
tap_check "rpm --root -U: memlab $version -> $next" \
	run_log "$work/upgrade.log" rpmroot -Uvh --nodeps "$next_dkms" "$next_utils"
tap_check "after the upgrade rpm lists $next only" rpm_has "$next"
tap_check "after the upgrade DKMS has memlab $next for $(echo $kernels), and nothing of $version" \
	dkms_only "$next" "$version"
tap_check "rpm --root -U --oldpackage: back to memlab $version" \
	run_log "$work/downgrade.log" rpmroot -Uvh --oldpackage --nodeps "$dkms_rpm" "$utils_rpm"
tap_check "after the downgrade rpm lists $version only" rpm_has "$version"
tap_check "after the downgrade DKMS has memlab $version for $(echo $kernels), and nothing of $next" \
	dkms_only "$version" "$next"

if rpmroot -e memlab-utils memlab-dkms >"$work/erase.log" 2>&1; then
	emit ok "rpm --root -e removes both packages (%preun ran)"
else
	emit "not ok" "rpm --root -e removes both packages (%preun ran)"
fi
tap_diag <"$work/erase.log"
for k in $kernels; do
	tap_check "no memlab module left for $k, nor in its modules.dep" \
		sh -c '[ -z "$(find "$1/lib/modules/$2" -name "mtest.ko*" -o -name "maptest.ko*")" ] &&
		       ! grep -q "/m\(ap\)\{0,1\}test\.ko" "$1/lib/modules/$2/modules.dep"' sh "$root" "$k"
done
tap_check "DKMS no longer knows memlab" \
	sh -c '! chroot "$1" dkms status -m memlab 2>/dev/null | grep -q . && [ ! -e "$1/var/lib/dkms/memlab" ]' \
	sh "$root"
tap_check "the sources are gone from /usr/src" test ! -e "$root/usr/src/memlab-$version"
tap_check "both units disabled again by %preun" \
	test ! -e "$wants/memlab-modules.service" -a ! -e "$wants/memlab-selftest.service"
tap_check "rpm's database in the image holds no package again (the imported key only)" test -z "$(rpmroot -qa | grep -v '^gpg-pubkey-')"

finish
