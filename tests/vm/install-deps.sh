#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Install what the memlab test suite needs, idempotently: the Debian 6.1
# kernel (bookworm) and the newest 6.12 kernel (bookworm-backports), their
# headers, QEMU, a static busybox for the guest, sparse, and linux-source-6.1
# (checkpatch.pl and the kselftest harness are used from it, never copied).
#
# Backports are enabled by reusing the mirror URI already configured in the
# system's apt sources; no host name is written here.
set -eu

need() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }

backports_uri() {
	# deb822 sources: the stanza whose Suites include plain "bookworm".
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk 'BEGIN { RS = ""; FS = "\n" }
		     /\nSuites:[^\n]*[ \t]bookworm([ \t]|\n|$)/ {
			for (i = 1; i <= NF; i++)
				if ($i ~ /^URIs:/) { split($i, a, /[ \t]+/); print a[2]; exit }
		     }' "$f"
	done | head -n 1
	# One-line sources as a fallback.
	grep -hs '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list |
		awk '$3 == "bookworm" { print $2; exit }'
}

enable_backports() {
	if grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
		return 0
	fi
	uri=$(backports_uri | head -n 1)
	[ -n "$uri" ] || { echo "install-deps: no bookworm mirror configured" >&2; exit 1; }
	cat >/etc/apt/sources.list.d/memlab-backports.sources <<SRC
Types: deb
URIs: $uri
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
	UPDATED=
}

UPDATED=
enable_backports
apt_update() {
	[ -n "$UPDATED" ] && return 0
	apt-get update -qq
	UPDATED=1
}

# The newest 6.12 image in backports, excluding debug and unsigned flavours.
kver612() {
	apt-cache pkgnames linux-image-6.12 |
		grep -E '^linux-image-6\.12\.[0-9]+\+deb12-amd64$' | sort -V | tail -n 1 |
		sed 's/^linux-image-//'
}

pkgs="qemu-system-x86 busybox-static cpio xz-utils zstd gcc make libc6-dev
      sparse linux-source-6.1 kmod linux-image-amd64 linux-headers-amd64"
missing=
for p in $pkgs; do need "$p" || missing="$missing $p"; done

if ! ls /boot/vmlinuz-6.12.* >/dev/null 2>&1 || ! ls -d /usr/src/linux-headers-6.12.*-amd64 >/dev/null 2>&1; then
	apt_update
	v=$(kver612)
	[ -n "$v" ] || { echo "install-deps: no 6.12 kernel in bookworm-backports" >&2; exit 1; }
	missing="$missing linux-image-$v linux-headers-$v"
fi

if [ -n "$missing" ]; then
	apt_update
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
fi
echo "install-deps: all present"
