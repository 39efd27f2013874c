#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# buildroot.sh RELEASE [ARCH]: make (once) the build root of a Debian
# release for kernels of architecture ARCH (default amd64) and print its
# directory. It is an mmdebstrap --variant=apt tree of this machine's own
# architecture with the release's own make, perl (kernel-doc for W=1),
# sparse and dkms (tests/bench/build-time.sh), and, for every ARCH kernel of that release in tests/kernels.conf,
# the headers and the gcc-N they were built with. A foreign ARCH (arm64 on
# an amd64 machine) is cross-built, as Debian's own cross toolchains do:
# gcc-N-aarch64-linux-gnu, the kernel's arm64 headers unpacked beside this
# machine's linux-kbuild of the same version (its host programs), and no
# emulation. The kernels' image packages are unpacked (not installed: no
# initramfs is needed) under $(memlab_cache)/kernels/ARCH/VER for the VM
# tiers, and a static busybox of ARCH in the build root's busybox/.
#
#   $(memlab_cache)/buildroot/RELEASE-ARCH/root      the tree
#   $(memlab_cache)/buildroot/RELEASE-ARCH/kernels   "id version" lines
#   $(memlab_cache)/buildroot/RELEASE-ARCH/busybox   busybox-static, unpacked
#   $(memlab_cache)/buildroot/RELEASE-ARCH/stamp     what it was made from
#
# It is rebuilt when its kernels in kernels.conf change (not their paging
# levels, which only the VM tiers read), or with
# MEMLAB_REFRESH=1 (to pick up a new kernel ABI). Needs root; serialised with
# flock per build root. The mirror is the one this machine already uses.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/lib/kernels.sh"
. "$top/tests/lib/mirror.sh"

[ $# -ge 1 ] || { echo "usage: $0 RELEASE [ARCH]" >&2; exit 2; }
rel=$1
arch=${2:-amd64}
dir=$(buildroot_dir "$rel" "$arch")
log() { echo "buildroot: $rel-$arch: $*" >&2; }

# Kernels built from source (the debug kernel) are not the build root's.
lines=$(MEMLAB_KERNELS= kernels_each |
	awk -v r="$rel" -v a="$arch" '$3 == r && ($2 == a || index($2, a "-") == 1)')
[ -n "$lines" ] || { log "no kernel of $rel for $arch in tests/kernels.conf"; exit 1; }

mkdir -p "$dir"
exec 9>"$dir/.lock"
flock 9

stamp=$(printf '%s\n' buildroot-v2 "$lines" | awk '{ NF = NF < 6 ? NF : 6 } 1' |
	sha256sum | cut -c1-16)
if [ "${MEMLAB_REFRESH:-0}" != 1 ] && [ -f "$dir/stamp" ] &&
	[ "$(cat "$dir/stamp")" = "$stamp" ] && [ -d "$dir/root/usr" ]; then
	echo "$dir/root"
	exit 0
fi

command -v mmdebstrap >/dev/null || {
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mmdebstrap >&2
}

# The customize hook resolves each series to its newest ABI in its suite,
# installs the headers and downloads the image packages. Its input is one
# "id flavour series gcc" line per kernel.
printf '%s\n' "$lines" | awk '{ print $1, $2, $5, $6 }' >"$dir/wanted"
cat >"$dir/resolve.sh" <<'HOOK'
#!/bin/sh
# Runs inside the new tree (chroot) with the wanted kernels on stdin and
# their architecture as $1.
set -eu
export DEBIAN_FRONTEND=noninteractive
arch=$1
host=$(dpkg --print-architecture)
mkdir -p /var/cache/memlab-debs
: >/root/kernels
if [ "$arch" != "$host" ]; then
	dpkg --add-architecture "$arch"
	apt-get update -q >&2
fi
(cd /var/cache/memlab-debs && apt-get download "busybox-static:$arch" >&2)

# cross_headers VER FLAVOUR: the arm64 headers of VER over this machine's
# kbuild. Installing them would pull in the foreign gcc-N.
cross_headers() {
	# Its kbuild and common headers, as this machine's packages.
	deps=$(apt-cache show "linux-headers-$1:$arch" | sed -n '1,/^$/s/^Depends: //p' |
		tr ',|' '\n\n' | sed 's/^ *//; s/ .*//' | grep -E '^linux-(kbuild|headers)-')
	apt-get install -y -q --no-install-recommends $deps >&2
	tmp=$(mktemp -d)
	(cd "$tmp" && apt-get download "linux-headers-$1:$arch" >&2 &&
		dpkg -x linux-headers-*.deb x)
	cp -a "$tmp/x/usr/src/linux-headers-$1" /usr/src/
	rm -rf "$tmp"
}

while read -r id flavour series gcc; do
	# 5.10.0-46, 6.1.0-57, 6.12.117+deb12, 7.3.4+deb13; not -rt or -cloud.
	re="^linux-headers-$(echo "$series" | sed 's/\./\\./g')"
	re="$re\\.[0-9]+(-[0-9]+)?(\\+(deb[0-9]+|bpo))?-$flavour\$"
	ver=$(apt-cache pkgnames "linux-headers-$series." | grep -E "$re" |
		sed "s/^linux-headers-//" | sort -V | tail -n 1)
	[ -n "$ver" ] || { echo "resolve: no $series kernel for $flavour" >&2; exit 1; }
	echo "$id $ver" >>/root/kernels
	if [ "$arch" = "$host" ]; then
		apt-get install -y -q --no-install-recommends "linux-headers-$ver" "gcc-$gcc" >&2
	else
		apt-get install -y -q --no-install-recommends "gcc-$gcc-aarch64-linux-gnu" >&2
		cross_headers "$ver" "$flavour"
	fi
	# From 7.x the image package is a metapackage over binary and modules.
	pkgs="linux-image-$ver:$arch"
	for p in "linux-binary-$ver" "linux-modules-$ver"; do
		apt-cache show "$p:$arch" >/dev/null 2>&1 && pkgs="$pkgs $p:$arch"
	done
	(cd /var/cache/memlab-debs && apt-get download $pkgs >&2)
done
HOOK

log "building (about a minute)"
src=$(mktemp)
trap 'rm -f "$src"' EXIT
mirror_sources "$rel" $(printf '%s\n' "$lines" | awk '{ print $4 }' | sort -u) >"$src"
rm -rf "$dir/root.new" "$dir/debs.new" "$dir/kernels.new"
# The mirror may serve a snapshot whose Release files have expired.
mmdebstrap --mode=root --variant=apt --architectures="$(dpkg --print-architecture)" \
	--aptopt='Acquire::Check-Valid-Until "false"' \
	--include=make,libc6-dev,perl,sparse,dkms,kmod,bc,xz-utils,zstd \
	--customize-hook="cp '$dir/resolve.sh' \"\$1/root/resolve.sh\"" \
	--customize-hook="chroot \"\$1\" sh /root/resolve.sh $arch <'$dir/wanted'" \
	--customize-hook="mkdir -p '$dir/debs.new' && mv \"\$1\"/var/cache/memlab-debs/*.deb '$dir/debs.new/'" \
	--customize-hook="mv \"\$1/root/kernels\" '$dir/kernels.new'" \
	"$rel" "$dir/root.new" "$src" >&2

# Unpack busybox, and each kernel's image packages into its own tree.
rm -rf "$dir/busybox.new"
mkdir -p "$dir/busybox.new"
dpkg -x "$dir"/debs.new/busybox-static_*.deb "$dir/busybox.new"
while read -r id ver; do
	t=$(memlab_cache)/kernels/$arch/$ver
	rm -rf "$t"
	mkdir -p "$t"
	for d in "$dir"/debs.new/linux-image-"$ver"_*.deb "$dir"/debs.new/linux-binary-"$ver"_*.deb \
		"$dir"/debs.new/linux-modules-"$ver"_*.deb; do
		[ -f "$d" ] && dpkg -x "$d" "$t"
	done
	ls "$t/boot/vmlinuz-$ver" "$t"/usr/lib/modules/"$ver"/vmlinuz "$t"/lib/modules/"$ver"/vmlinuz \
		2>/dev/null | grep -q . || { log "no vmlinuz in the packages of $ver"; exit 1; }
	log "$id: $ver"
done <"$dir/kernels.new"

rm -rf "$dir/root" "$dir/debs" "$dir/busybox"
mv "$dir/root.new" "$dir/root"
mv "$dir/busybox.new" "$dir/busybox"
mv "$dir/debs.new" "$dir/debs"
mv "$dir/kernels.new" "$dir/kernels"
echo "$stamp" >"$dir/stamp"
echo "$dir/root"
