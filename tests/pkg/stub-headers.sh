#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# stub-headers.sh KVER OUTDIR: build linux-headers-KVER_1_all.deb in OUTDIR,
# a stand-in for the headers of a kernel that memlab cannot build for, and
# print its path. Its tree has include/ and .config, as DKMS expects, but its
# Makefile fails every build. Like Debian's linux-headers packages, its
# postinst runs /etc/kernel/header_postinst.d (DKMS's autoinstall for KVER)
# and fails if a hook fails, so installing it shows whether DKMS and memlab
# leave apt working when a new kernel's build is refused.
set -eu

[ $# -eq 2 ] || { echo "usage: $0 KVER OUTDIR" >&2; exit 2; }
kver=$1
out=$2
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT

src=$tree/usr/src/linux-headers-$kver
mkdir -p "$src/include/linux" "$tree/lib/modules/$kver" "$tree/DEBIAN"
chmod 0755 "$tree"
ln -s "/usr/src/linux-headers-$kver" "$tree/lib/modules/$kver/build"
printf 'CONFIG_X86_64=y\nCONFIG_MODULES=y\n' >"$src/.config"
printf 'all modules %%:\n\t@echo "stub headers of %s: no module can be built here" >&2; exit 2\n' \
	"$kver" >"$src/Makefile"
cat >"$tree/DEBIAN/control" <<EOF
Package: linux-headers-$kver
Version: 1
Architecture: all
Maintainer: memlab tests <root@localhost>
Section: kernel
Priority: optional
Description: memlab test stub: headers of a kernel that builds no module
 Made by memlab's tests/pkg/stub-headers.sh; never for a real system.
EOF
cat >"$tree/DEBIAN/postinst" <<EOF
#!/bin/sh
set -e
if [ "\$1" = configure ] && [ -d /etc/kernel/header_postinst.d ]; then
	run-parts --report --exit-on-error --arg=$kver /etc/kernel/header_postinst.d
fi
EOF
chmod 0755 "$tree/DEBIAN/postinst"
mkdir -p "$out"
deb=$out/linux-headers-${kver}_1_all.deb
dpkg-deb --root-owner-group -Zxz -b "$tree" "$deb" >/dev/null
echo "$deb"
