#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# repo.sh [--out DIR] [PACKAGE...]: the signed repositories users install
# memlab from (make repo; docs/packaging.md, docs/install.md).
#
#   DIR/apt/   an APT repository for bookworm and trixie, component main:
#              memlab-dkms (all), memlab-utils (amd64, and arm64
#              cross-built); dists/SUITE/InRelease and Release.gpg signed
#   DIR/rpm/   a dnf repository: the RPMs signed with rpmsign, createrepo_c
#              metadata, repodata/repomd.xml.asc
#   DIR/memlab.sources      the deb822 file a user puts in
#                           /etc/apt/sources.list.d/, the key inline
#                           (Signed-By)
#   DIR/memlab.repo         the file for /etc/yum.repos.d/ (gpgcheck=1,
#                           repo_gpgcheck=1)
#   DIR/memlab-archive-keyring.gpg, DIR/RPM-GPG-KEY-memlab   the public key
#
# Without PACKAGE arguments it builds the packages first (deb-build.sh for
# amd64 and arm64, rpm-build.sh); with them (.deb and .rpm files) it
# publishes exactly those, every version given: a repository that holds
# N and N+1 lets users go back with apt install memlab-dkms=N.
#
# The signing key is a parameter: MEMLAB_SIGNING_KEY, the fingerprint of a
# secret key in gpg's keyring (GNUPGHOME, default ~/.gnupg). MEMLAB_REPO_URL
# is the address the repository will be served from (default: file://DIR),
# written into memlab.sources and memlab.repo. Default DIR: build/repo.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/kernels/host.sh"
out=$top/build/repo
if [ "${1:-}" = --out ]; then
	out=$2
	shift 2
fi
suites="bookworm trixie"
arches="amd64 arm64"

key=${MEMLAB_SIGNING_KEY:-}
if [ -z "$key" ]; then
	echo "repo: set MEMLAB_SIGNING_KEY to the fingerprint of the signing key (a secret key in" >&2
	echo "repo: GNUPGHOME's keyring); docs/packaging.md says how to make one" >&2
	exit 2
fi
gpg --batch --list-secret-keys "$key" >/dev/null 2>&1 ||
	{ echo "repo: no secret key $key in ${GNUPGHOME:-~/.gnupg}" >&2; exit 2; }
host_install apt-utils createrepo-c rpm gnupg dpkg-dev
sign() { gpg --batch --yes --quiet --local-user "$key" "$@"; }

mkdir -p "$out"
out=$(cd "$out" && pwd)
url=${MEMLAB_REPO_URL:-file://$out}

# --- the packages ------------------------------------------------------------
files=
if [ $# -eq 0 ]; then
	d=$("$top/packaging/deb-build.sh")
	a=$("$top/packaging/deb-build.sh" arm64)
	files="$(ls "$d"/memlab-dkms_*_all.deb "$d"/memlab-utils_*_amd64.deb "$a"/memlab-utils_*_arm64.deb)"
	files="$files $(make -C "$top" -s dist >/dev/null && "$top/packaging/rpm-build.sh" | grep -v '\.src\.rpm$')"
else
	for f; do
		files="$files $(cd "$(dirname "$f")" && pwd)/$(basename "$f")"
	done
fi

# --- APT: apt-ftparchive over one pool --------------------------------------
# One pool for both suites: the packages are the same, built once.
rm -rf "$out/apt"
pool=$out/apt/pool/main/m/memlab
mkdir -p "$pool"
for f in $files; do
	case $f in *.deb) cp "$f" "$pool/" ;; esac
done
[ -n "$(ls "$pool")" ] || { rm -rf "$out/apt"; suites=; }
for s in $suites; do
	for a in $arches; do
		d=$out/apt/dists/$s/main/binary-$a
		mkdir -p "$d"
		# Paths relative to the repository's root, as apt wants them.
		(cd "$out/apt" && apt-ftparchive --arch "$a" packages pool) >"$d/Packages"
		gzip -9nk "$d/Packages"
		xz -k "$d/Packages"
	done
	(cd "$out/apt/dists/$s" && apt-ftparchive \
		-o APT::FTPArchive::Release::Origin=memlab \
		-o APT::FTPArchive::Release::Label=memlab \
		-o APT::FTPArchive::Release::Suite="$s" \
		-o APT::FTPArchive::Release::Codename="$s" \
		-o APT::FTPArchive::Release::Architectures="$arches" \
		-o APT::FTPArchive::Release::Components=main \
		-o APT::FTPArchive::Release::Description="memlab for Debian $s" \
		release .) >"$out/release.tmp"
	mv "$out/release.tmp" "$out/apt/dists/$s/Release"
	sign --clearsign -o "$out/apt/dists/$s/InRelease" "$out/apt/dists/$s/Release"
	sign --armor --detach-sign -o "$out/apt/dists/$s/Release.gpg" "$out/apt/dists/$s/Release"
done
gpg --batch --export "$key" >"$out/memlab-archive-keyring.gpg"
[ -z "$suites" ] || cp "$out/memlab-archive-keyring.gpg" "$out/apt/"

# One file for the user: deb822, with the key inline in Signed-By (apt 2.3.10
# and later; bookworm has 2.6). The suite is the user's own release.
{
	echo "# memlab: /etc/apt/sources.list.d/memlab.sources"
	echo "Types: deb"
	echo "URIs: $url/apt"
	echo "Suites: SUITE"
	echo "Components: main"
	echo "Signed-By:"
	gpg --batch --armor --export "$key" | sed 's/^$/./; s/^/ /'
} >"$out/memlab.sources.in"
for s in $suites; do
	sed "s/^Suites: SUITE/Suites: $s/" "$out/memlab.sources.in" >"$out/memlab-$s.sources"
done
# The generic file reads the suite from the system (deb822 has no
# variables): docs/install.md writes it with the user's codename.
mv "$out/memlab.sources.in" "$out/memlab.sources.template"

# --- dnf: rpmsign and createrepo_c -------------------------------------------
rm -rf "$out/rpm"
mkdir -p "$out/rpm"
for f in $files; do
	case $f in
	*.src.rpm) ;;
	*.rpm)
		a=$(rpm -qp --qf '%{ARCH}' "$f" 2>/dev/null)
		mkdir -p "$out/rpm/$a"
		cp "$f" "$out/rpm/$a/"
		;;
	esac
done
gpg --batch --armor --export "$key" >"$out/RPM-GPG-KEY-memlab"
cp "$out/RPM-GPG-KEY-memlab" "$out/rpm/"
rpms=$(find "$out/rpm" -name '*.rpm' | sort)
if [ -n "$rpms" ]; then
	# rpmsign drives gpg itself; --addsign replaces any signature.
	# shellcheck disable=SC2086
	# __gpg: Debian's rpm names /usr/bin/gpg2, which Debian does not ship.
	rpmsign --addsign --define "_gpg_name $key" --define "__gpg $(command -v gpg)" \
		--define "_gpg_sign_cmd_extra_args --batch" \
		$rpms >"$out/rpmsign.log" 2>&1 || { cat "$out/rpmsign.log" >&2; exit 1; }
	rm -f "$out/rpmsign.log"
	# Every package must verify with the published key, nothing else.
	db=$(mktemp -d)
	rpm --dbpath "$db" --import "$out/RPM-GPG-KEY-memlab"
	for r in $rpms; do
		rpm --dbpath "$db" -K "$r" | grep -q 'signatures OK' ||
			{ rpm --dbpath "$db" -Kv "$r" >&2; rm -rf "$db"; exit 1; }
	done
	rm -rf "$db"
	createrepo_c --quiet "$out/rpm"
	sign --armor --detach-sign -o "$out/rpm/repodata/repomd.xml.asc" "$out/rpm/repodata/repomd.xml"
	cat >"$out/memlab.repo" <<REPO
# memlab: /etc/yum.repos.d/memlab.repo
[memlab]
name=memlab
baseurl=$url/rpm
enabled=1
gpgcheck=1
repo_gpgcheck=1
gpgkey=$url/rpm/RPM-GPG-KEY-memlab
REPO
fi

[ -z "$suites" ] || echo "repo: APT: $out/apt ($(ls "$pool" | tr '\n' ' '))" >&2
[ -z "$rpms" ] || echo "repo: dnf: $out/rpm ($(echo "$rpms" | sed 's|.*/||' | tr '\n' ' '))" >&2
echo "repo: key $key; files for users: $out/memlab-SUITE.sources, $out/memlab.repo" >&2
echo "$out"
