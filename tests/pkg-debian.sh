#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# pkg-debian.sh (make pkg-debian): what the Debian archive would ask of memlab's source
# package. make pkgtest-debian; not in make check (the clean chroot takes a
# few minutes to make the first time, each build about two). TAP, closed by
# "debian: N passed, N failed".
#
#  1. dpkg-buildpackage -S: the source package, from a clean copy of the
#     tree (tracked and new files);
#  2. pbuilder builds it in a clean bookworm chroot that holds only
#     build-essential and installs the Build-Depends itself (the chroot is
#     made by mmdebstrap --variant=buildd, cached in
#     $(memlab_cache)/pkg/pbuilder-bookworm.tgz); lintian --pedantic on
#     that build;
#  3. reproducible: two builds of the source package that differ in time
#     (faketime, a year ahead), build path, locale, time zone, umask and
#     user give identical .debs (diffoscope shows any difference); the same
#     for the RPMs (rpm-build.sh: SOURCE_DATE_EPOCH from %changelog,
#     %clamp_mtime_to_source_date_epoch) varying time, locale and time zone;
#     built in another _topdir, they differ in SOURCEPKGID only (rpm keeps
#     the _topdir in the source RPM, which that tag digests).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/pkg/lib.sh"
TAP_TIER=debian
work=$top/build/pkg/debian-test
t0=$(date +%s)
finish() {
	echo "# debian-test: $(($(date +%s) - t0)) s"
	tap_summary
	exit
}

echo "TAP version 13"
host_install pbuilder mmdebstrap faketime locales-all diffoscope-minimal lintian dpkg-dev \
	debhelper fakeroot rpm git cpio
rm -rf "$work"
mkdir -p "$work"
run() {
	o=$1
	shift
	"$@" >"$o" 2>&1 || { rc=$?; tail -n 30 "$o"; return $rc; }
}

# --- 1. the source package ---------------------------------------------------
# A clean copy: the tracked and new files, as packaging/deb-build.sh takes
# them (never its output directory: other tiers read build/deb).
mkdir -p "$work/src/memlab-$ver"
(cd "$top" && git ls-files -z --cached --others --exclude-standard |
	xargs -0 sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh |
	cpio -0pdm --quiet "$work/src/memlab-$ver")
tar -C "$work/src" --exclude="memlab-$ver/debian" --sort=name --owner=0 --group=0 --numeric-owner \
	-czf "$work/src/memlab_$ver.orig.tar.gz" "memlab-$ver"
srcpkg() { cd "$work/src/memlab-$ver" && dpkg-buildpackage -S -us -uc -d; }
tap_check "dpkg-buildpackage -S: the source package memlab_$ver-1.dsc" run "$work/source.out" srcpkg
rm -rf "$work/src/memlab-$ver"

# --- 2. pbuilder, in a clean chroot ------------------------------------------
cache=$(memlab_cache)/pkg
base=$cache/pbuilder-bookworm.tgz
mkdir -p "$cache"
make_base() {
	exec 8>"$cache/pbuilder.lock"
	flock 8
	[ "${MEMLAB_REFRESH:-0}" != 1 ] && [ -s "$base" ] && return 0
	srcs=$(mktemp)
	mirror_sources bookworm >"$srcs"
	# buildd: essential packages and build-essential, nothing else.
	# The package lists stay: pbuilder installs the Build-Depends from them.
	mmdebstrap --mode=root --variant=buildd --aptopt='Acquire::Check-Valid-Until "false"' \
		--skip=cleanup/apt/lists \
		bookworm "$cache/pbuilder-bookworm.new.tgz" "$srcs" || { rm -f "$srcs"; return 1; }
	rm -f "$srcs"
	mv "$cache/pbuilder-bookworm.new.tgz" "$base"
}
tap_check "the clean chroot: mmdebstrap --variant=buildd bookworm (cached)" run "$work/base.out" make_base
mkdir -p "$work/pbuilder"
# A private pbuilderrc: nothing from the host's configuration.
cat >"$work/pbuilderrc" <<RC
BASETGZ=$base
BUILDRESULT=$work/pbuilder
APTCACHE=
USENETWORK=no
# apt resolves the Build-Depends (the chroot has no aptitude).
PBUILDERSATISFYDEPENDSCMD=/usr/lib/pbuilder/pbuilder-satisfydepends-apt
RC
pb() {
	env -u MAKEFLAGS pbuilder build --configfile "$work/pbuilderrc" --basetgz "$base" \
		--buildresult "$work/pbuilder" --buildplace "$work/place" "$work/src/memlab_$ver-1.dsc"
}
mkdir -p "$work/place"
if run "$work/pbuilder.out" pb; then
	emit ok "pbuilder build: memlab $ver-1 in the clean chroot, with only its Build-Depends"
	grep -E '^ -> (Considering|Finished)|^Setting up (debhelper|dh-)' "$work/pbuilder.out" | head -n 6 | tap_diag
else
	emit "not ok" "pbuilder build: memlab $ver-1 in the clean chroot, with only its Build-Depends"
fi
lint() {
	ls "$work"/pbuilder/memlab_"$ver"-1_*.changes || return 1
	out=$(lintian --pedantic "$work"/pbuilder/memlab_"$ver"-1_*.changes 2>&1 | grep -v 'root privileges' || :)
	printf '%s\n' "$out"
	! printf '%s\n' "$out" | grep -q '^[EWP]:'
}
tap_check "lintian --pedantic on the clean-chroot build: no error, warning or pedantic tag" lint

# --- 3. reproducible ---------------------------------------------------------
# Build A as usual; build B a year ahead, deeper path, another locale and
# time zone, umask 002, as another user.
id builder >/dev/null 2>&1 || useradd --system --create-home builder
debbuild() {
	dir=$1
	shift
	rm -rf "$dir"
	mkdir -p "$dir"
	cp "$work"/src/memlab_"$ver"* "$dir/"
	chmod -R a+rwX "$dir"
	(cd "$dir" && dpkg-source -x "memlab_$ver-1.dsc" memlab-"$ver" >/dev/null)
	chmod -R a+rwX "$dir"
	(cd "$dir/memlab-$ver" && "$@" dpkg-buildpackage -b -us -uc) >"$dir.log" 2>&1 ||
		{ tail -n 30 "$dir.log"; return 1; }
}
tap_check "reproducible: build A (C.UTF-8, UTC, umask 022, root)" \
	debbuild "$work/a" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C.UTF-8 TZ=UTC \
	sh -c 'umask 022; exec "$@"' sh
tap_check "reproducible: build B (a longer path, fr_FR.UTF-8, UTC+13, umask 002, user builder, a year ahead)" \
	debbuild "$work/b/a/much/longer/path" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
	LC_ALL=fr_FR.UTF-8 TZ=Pacific/Auckland HOME=/home/builder \
	setpriv --reuid=builder --regid=builder --init-groups -- \
	faketime -f +365d sh -c 'umask 002; exec "$@"' sh
same_debs() {
	for a in "$work"/a/*.deb; do
		b=$work/b/a/much/longer/path/$(basename "$a")
		[ -f "$b" ] || { echo "no $(basename "$a") in B"; return 1; }
		if cmp -s "$a" "$b"; then
			echo "$(basename "$a"): identical ($(sha256sum <"$a" | cut -c1-16))"
		else
			diffoscope --text - "$a" "$b" | head -n 40
			return 1
		fi
	done
}
tap_check "reproducible: the .debs of A and B are identical (diffoscope on any difference)" same_debs

# The RPMs: rpmbuild from the same tarball, a year apart, in other locales,
# time zones and umasks. rpm 4.18 keeps the expanded spec, _topdir paths and
# all, in the source RPM's header, and each binary RPM names that header by
# its digest (SOURCEPKGID): so A and B build in the same _topdir and must be
# identical; C builds in another and must differ in SOURCEPKGID alone.
git clone -q --no-local "$top" "$work/rpmsrc"
make -C "$work/rpmsrc" -s dist >/dev/null
rpmbuild_in() {
	d=$1
	save=$2
	shift 2
	mkdir -p "$(dirname "$d")"
	"$@" env RPM_TOPDIR="$d" BUILD="$work/rpmsrc/build" "$work/rpmsrc/packaging/rpm-build.sh" \
		>"$save.out" 2>"$save.log" || { tail -n 30 "$save.log"; return 1; }
	rm -rf "$save"
	mkdir -p "$save"
	grep -v '\.src\.rpm$' "$save.out" | xargs -I{} cp {} "$save/"
}
tap_check "reproducible: rpmbuild A (C.UTF-8, UTC)" \
	rpmbuild_in "$work/rpmtop" "$work/rpm-a" env LC_ALL=C.UTF-8 TZ=UTC
tap_check "reproducible: rpmbuild B (the same _topdir, fr_FR.UTF-8, UTC+13, a year ahead)" \
	rpmbuild_in "$work/rpmtop" "$work/rpm-b" env LC_ALL=fr_FR.UTF-8 TZ=Pacific/Auckland faketime -f +365d
tap_check "reproducible: rpmbuild C (another _topdir)" \
	rpmbuild_in "$work/rpm/c/a/longer/path" "$work/rpm-c" env LC_ALL=C.UTF-8 TZ=UTC
same_rpms() {
	for a in "$work"/rpm-a/*.rpm; do
		b=$work/rpm-b/$(basename "$a")
		if cmp -s "$a" "$b"; then
			echo "$(basename "$a"): identical ($(sha256sum <"$a" | cut -c1-16))"
		else
			diffoscope --text - "$a" "$b" | head -n 40
			return 1
		fi
	done
}
tap_check "reproducible: the binary RPMs of A and B are identical" same_rpms
# What the files and the build say; the headers differ in SOURCEPKGID (and
# so in the header digests) only.
only_sourcepkgid() {
	for a in "$work"/rpm-a/*.rpm; do
		c=$work/rpm-c/$(basename "$a")
		for q in PAYLOADDIGEST FILEDIGESTS FILEMTIMES FILEMODES FILENAMES BUILDTIME BUILDHOST \
			REQUIRENAME PROVIDENAME POSTIN PREUN; do
			[ "$(rpm -qp --qf "[%{$q} ]" "$a")" = "$(rpm -qp --qf "[%{$q} ]" "$c")" ] ||
				{ echo "$(basename "$a"): $q differs"; return 1; }
		done
		echo "$(basename "$a"): the same payload ($(rpm -qp --qf '%{PAYLOADDIGEST}' "$a" | cut -c1-16)), times, modes and host"
	done
}
tap_check "reproducible: from another _topdir, the same payload, file digests, times, modes and build host" \
	only_sourcepkgid
finish
