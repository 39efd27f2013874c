#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# rpm-build.sh: build the memlab RPMs (memlab-dkms, memlab-utils and the
# source RPM) from the release tarball, the way a distribution would.
#
# "make rpm" runs "make dist" first; run by hand, this script makes the
# tarball itself. rpmbuild gets a private _topdir under build/rpm/ so that
# nothing in ~/rpmbuild, nor a previous build, leaks into the result.
# The spec is taken from the tarball, not from the work tree: what is built
# is exactly what was released (git archive HEAD, committed files only).
#
# Usage: rpm-build.sh [--release N] [--version V]
#   --release N   build release N instead of the spec's
#   --version V   build version V of the same sources: the tarball is
#                 unpacked, made release V (bump-version.sh) and packed
#                 again as memlab-V.tar.gz (the upgrade test's N+1)
# RPM_TOPDIR overrides the _topdir (default build/rpm).
# Output: the paths of the built packages, one a line, on stdout.
set -eu

release=
bump=
while [ $# -gt 0 ]; do
	case $1 in
	--release) release=$2 ;;
	--version) bump=$2 ;;
	*) echo "usage: rpm-build.sh [--release N] [--version V]" >&2; exit 2 ;;
	esac
	shift 2
done

top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
version=$(cat "$top/VERSION")
tarball=$build/memlab-$version.tar.gz
topdir=${RPM_TOPDIR:-$build/rpm}

command -v rpmbuild >/dev/null 2>&1 || {
	echo "rpm-build: rpmbuild missing (apt-get install rpm)" >&2
	exit 1
}
[ -f "$tarball" ] || make -C "$top" -s BUILD="$build" dist >&2

# The sources in the source RPM get ordinary modes, whatever the caller's
# umask (git archive itself writes 0664 files).
umask 022
rm -rf "$topdir"
mkdir -p "$topdir/SOURCES" "$topdir/SPECS"
if [ -n "$bump" ]; then
	mkdir -p "$topdir/bump"
	tar -xzf "$tarball" -C "$topdir/bump"
	mv "$topdir/bump/memlab-$version" "$topdir/bump/memlab-$bump"
	sh "$top/packaging/bump-version.sh" "$topdir/bump/memlab-$bump" "$bump"
	version=$bump
	tarball=$topdir/SOURCES/memlab-$version.tar.gz
	tar -C "$topdir/bump" --sort=name --owner=0 --group=0 --numeric-owner \
		-czf "$tarball" "memlab-$version"
	rm -rf "$topdir/bump"
else
	cp "$tarball" "$topdir/SOURCES/"
fi
sh "$top/packaging/versions.sh" >/dev/null
tar -xzOf "$tarball" "memlab-$version/rpm/memlab.spec" >"$topdir/SPECS/memlab.spec"
[ -z "$release" ] ||
	sed -i "s/^\(Release:[[:space:]]*\)[0-9]*/\1$release/" "$topdir/SPECS/memlab.spec"
# Source1: the sysusers.d file that the Debian package uses too.
tar -xzOf "$tarball" "memlab-$version/systemd/memlab.sysusers" \
	>"$topdir/SOURCES/memlab.sysusers"

# On Debian, rpm knows none of the build host's packages, so rpmbuild's own
# BuildRequires check (gcc, make, systemd-rpm-macros) can only fail: check the
# tools instead and pass --nodeps.
for tool in gcc make; do
	command -v "$tool" >/dev/null 2>&1 || { echo "rpm-build: $tool missing" >&2; exit 1; }
done
# Debian has no systemd-rpm-macros: define the paths it would, so that the
# spec stays exactly the one Fedora builds. Scriptlet macros (%udev_rules_update,
# %sysusers_create_compat) stay undefined: the spec's plain branch is then
# the one that runs in the install test.
set --
for def in "_udevrulesdir /usr/lib/udev/rules.d" \
	   "_sysusersdir /usr/lib/sysusers.d" \
	   "_modulesloaddir /usr/lib/modules-load.d" \
	   "_unitdir /usr/lib/systemd/system"; do
	[ -n "$(rpm --eval "%{?${def%% *}}")" ] || set -- "$@" --define "$def"
done

# Debian's rpm runs brp-compress, a bash script (read -d ''), with dash:
# no manual page gets compressed. Run it with bash, as Fedora's /bin/sh is.
case $(rpm --eval '%{?__brp_compress}') in
/*) set -- "$@" --define "__brp_compress bash $(rpm --eval '%{__brp_compress}')" ;;
esac

# Reproducible, as far as rpm allows: timestamps from SOURCE_DATE_EPOCH (the
# newest %changelog entry unless the caller sets it), file times clamped to
# it, and no build host name.
set -- "$@" --define "source_date_epoch_from_changelog 1" \
	--define "use_source_date_epoch_as_buildtime 1" \
	--define "clamp_mtime_to_source_date_epoch 1" \
	--define "_buildhost reproducible"

# _dbpath: Debian's rpm points it at ~/.rpmdb; rpmbuild needs no database,
# and a throw-away one keeps the home directory untouched.
rpmbuild -ba --nodeps \
	--define "_topdir $topdir" \
	--define "_dbpath $topdir/db" \
	"$@" "$topdir/SPECS/memlab.spec" >&2

find "$topdir/RPMS" "$topdir/SRPMS" -name '*.rpm' | sort
