#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# buildroot.sh RELEASE [ARCH]: make (once) the build root of a Debian
# release for kernels of architecture ARCH (default amd64) and print its
# directory. It is an mmdebstrap --variant=apt tree of this machine's own
# architecture with the release's own make, perl (kernel-doc for W=1),
# sparse and dkms (tests/bench/build-time.sh), and, for every ARCH kernel of that release in kernels/kernels.conf,
# the headers and the gcc-N they were built with. A foreign ARCH (arm64 on
# an amd64 machine) is cross-built, as Debian's own cross toolchains do:
# gcc-N-aarch64-linux-gnu, the kernel's arm64 headers unpacked beside this
# machine's linux-kbuild of the same version (its host programs), and no
# emulation. The kernels' image packages are unpacked (not installed: no
# initramfs is needed) under $(memlab_cache)/kernels/ARCH/VER for the VM
# tiers, and a static busybox of ARCH in the build root's busybox/.
#
# Which ABI of each series: the newest that the archive can deliver whole,
# headers and an image (kernels/resolve.sh); when a download fails, the
# next older one. A series with no usable ABI is left out, with a log line,
# and the tiers skip its kernel.
#
#   $(memlab_cache)/buildroot/RELEASE-ARCH/root      the tree
#   $(memlab_cache)/buildroot/RELEASE-ARCH/kernels   "id version install unpack"
#                                                    lines (resolve_fetch)
#   $(memlab_cache)/buildroot/RELEASE-ARCH/busybox   busybox-static, unpacked
#   $(memlab_cache)/buildroot/RELEASE-ARCH/stamp     what it was made from
#
# A cached tree is used as it is, unless MEMLAB_RESOLVE=1 (deps.sh,
# once per make check) asks the archive again: then it is rebuilt when its
# kernels in kernels.conf changed (not their paging levels, which only the
# VM tiers read) or a newer ABI can be had, and reused with one warning line
# when the archive cannot be reached. MEMLAB_REFRESH=1 rebuilds it. Needs
# root; serialised with flock per build root. The mirror is the one this
# machine already uses.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/kernels/lib.sh"
. "$top/kernels/mirror.sh"
. "$top/kernels/resolve.sh"
. "$top/kernels/cache.sh"

[ $# -ge 1 ] || { echo "usage: $0 RELEASE [ARCH]" >&2; exit 2; }
rel=$1
arch=${2:-amd64}
dir=$(buildroot_dir "$rel" "$arch")
log() { echo "buildroot: $rel-$arch: $*" >&2; }

# Kernels built from source (the debug kernel) are not the build root's.
lines=$(MEMLAB_KERNELS= kernels_each |
	awk -v r="$rel" -v a="$arch" '$3 == r && ($2 == a || index($2, a "-") == 1)')
[ -n "$lines" ] || { log "no kernel of $rel for $arch in kernels/kernels.conf"; exit 1; }

cache_lock "$dir"
cached() { [ -f "$dir/stamp" ] && [ -d "$dir/root/usr" ] && [ -f "$dir/kernels" ]; }

# Ask the archive only when there is no tree yet, or when told to
# (MEMLAB_RESOLVE=1: deps.sh, once per make check): this script runs
# before every module build.
if cached && [ "${MEMLAB_RESOLVE:-0}" != 1 ] && [ "${MEMLAB_REFRESH:-0}" != 1 ]; then
	echo "$dir/root"
	exit 0
fi

# What the archive can deliver now: each kernel's usable ABIs, newest first
# (kernels/resolve.sh).
suites=$(printf '%s\n' "$lines" | awk '{ print $4 }' | sort -u)
rm -rf "$dir/candidates"
mkdir -p "$dir/candidates"
if ! resolve_avail "$dir/apt" "$rel" "$arch" $suites >"$dir/avail" 2>"$dir/avail.log"; then
	if cached; then
		log "warning: the archive cannot be reached; reusing the cached tree ($(awk '{ printf "%s%s %s", (NR > 1 ? ", " : ""), $1, $2 }' "$dir/kernels"))"
		echo "$dir/root"
		exit 0
	fi
	cat "$dir/avail.log" >&2
	log "the archive cannot be reached and there is no cached tree"
	exit 1
fi
printf '%s\n' "$lines" | while read -r id flavour _ _ series _; do
	resolve_abis "$series" "$flavour" "$arch" <"$dir/avail" >"$dir/candidates/$id" ||
		log "$id: skipped: no $series ABI for $flavour has headers and an image"
done

# Rebuilt when the list's columns or a kernel's newest usable ABI changed.
stamp=$(cache_stamp buildroot-v3 "$(printf '%s\n' "$lines" | awk '{ NF = NF < 6 ? NF : 6 } 1')" \
	"$(for f in "$dir"/candidates/*; do echo "$(basename "$f") $(head -n 1 "$f")"; done)")
if cache_fresh "$dir" "$stamp" "$dir/root/usr" && [ -f "$dir/kernels" ]; then
	echo "$dir/root"
	exit 0
fi

command -v mmdebstrap >/dev/null || {
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mmdebstrap >&2
}

# The customize hook takes, for each kernel, the first candidate ABI whose
# packages download and install, installs its headers and its gcc, and
# keeps its image packages. Its input is one "id series gcc" line per kernel
# with the candidates in /root/candidates/ID.
printf '%s\n' "$lines" | awk '{ print $1, $5, $6 }' >"$dir/wanted"
cat >"$dir/fetch.sh" <<'HOOK'
#!/bin/sh
# Runs inside the new tree (chroot) with the wanted kernels on stdin and
# their architecture as $1.
set -eu
export DEBIAN_FRONTEND=noninteractive
. /root/resolve.sh
arch=$1
host=$(dpkg --print-architecture)
mkdir -p /var/cache/memlab-debs
: >/root/kernels
if [ "$arch" != "$host" ]; then
	dpkg --add-architecture "$arch"
	apt-get update -q >&2
fi
(cd /var/cache/memlab-debs && apt-get download "busybox-static:$arch" >&2)

# cross_headers VER: the arm64 headers of VER over this machine's kbuild.
# Installing them would pull in the foreign gcc-N.
cross_headers() {
	# Its kbuild and common headers, as this machine's packages.
	deps=$(apt-cache show "linux-headers-$1:$arch" | sed -n '1,/^$/s/^Depends: //p' |
		tr ',|' '\n\n' | sed 's/^ *//; s/ .*//' | grep -E '^linux-(kbuild|headers)-')
	apt-get install -y -q --no-install-recommends $deps >&2 || return 1
	tmp=$(mktemp -d)
	(cd "$tmp" && apt-get download "linux-headers-$1:$arch" >&2 &&
		dpkg -x linux-headers-*.deb x) || { rm -rf "$tmp"; return 1; }
	cp -a "$tmp/x/usr/src/linux-headers-$1" /usr/src/
	rm -rf "$tmp"
}

# fetch VER INSTALL UNPACK: download VER's image packages, then install its
# headers; a package the archive no longer serves fails here, before
# anything of VER is unpacked.
fetch() {
	d=/var/cache/memlab-debs/$1
	rm -rf "$d"
	mkdir -p "$d"
	(cd "$d" && apt-get download $(echo "$3" | tr ',' '\n' | sed "s/\$/:$arch/") >&2) ||
		{ rm -rf "$d"; return 1; }
	if [ "$arch" = "$host" ]; then
		apt-get install -y -q --no-install-recommends "linux-headers-$1" "gcc-$gcc" >&2
	else
		apt-get install -y -q --no-install-recommends "gcc-$gcc-aarch64-linux-gnu" >&2 &&
			cross_headers "$1"
	fi || { rm -rf "$d"; return 1; }
}

while read -r id series gcc; do
	[ -s "/root/candidates/$id" ] || continue
	resolve_fetch "$id" fetch <"/root/candidates/$id" >>/root/kernels || :
done
HOOK

log "building (about a minute)"
src=$(mktemp)
trap 'rm -f "$src"' EXIT
mirror_sources "$rel" $suites >"$src"
rm -rf "$dir/root.new" "$dir/debs.new" "$dir/kernels.new"
# The mirror may serve a snapshot whose Release files have expired.
mmdebstrap --mode=root --variant=apt --architectures="$(dpkg --print-architecture)" \
	--aptopt='Acquire::Check-Valid-Until "false"' --aptopt='Acquire::Retries "2"' \
	--include=make,libc6-dev,perl,sparse,dkms,kmod,bc,xz-utils,zstd \
	--customize-hook="cp '$top/kernels/resolve.sh' '$dir/fetch.sh' \"\$1/root/\"" \
	--customize-hook="cp -r '$dir/candidates' \"\$1/root/\"" \
	--customize-hook="chroot \"\$1\" sh /root/fetch.sh $arch <'$dir/wanted'" \
	--customize-hook="mkdir -p '$dir/debs.new' && mv \"\$1\"/var/cache/memlab-debs/* '$dir/debs.new/'" \
	--customize-hook="mv \"\$1/root/kernels\" '$dir/kernels.new'" \
	"$rel" "$dir/root.new" "$src" >&2

# Unpack busybox, and each kernel's image packages into its own tree.
rm -rf "$dir/busybox.new"
mkdir -p "$dir/busybox.new"
dpkg -x "$dir"/debs.new/busybox-static_*.deb "$dir/busybox.new"
while read -r id ver _; do
	t=$(memlab_cache)/kernels/$arch/$ver
	rm -rf "$t"
	mkdir -p "$t"
	for d in "$dir/debs.new/$ver"/*.deb; do
		dpkg -x "$d" "$t"
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
cache_done "$dir" "$stamp"
echo "$dir/root"
