#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# resolve_test.sh: the kernel resolver (kernels/resolve.sh) over recorded
# archive states (fixtures/resolve/*.avail: "package architecture" lines as
# resolve_avail prints them), without the network. Each fixture is a way the
# archive has moved under the tests; the resolver before these fixtures took
# the newest headers and failed on every one of them.
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
fx=$here/fixtures/resolve
TAP_TIER=resolve
. "$top/tests/lib/tap.sh"
. "$top/kernels/resolve.sh"

# first SERIES FLAVOUR ARCH FIXTURE: the chosen line, or nothing.
first() { resolve_abis "$1" "$2" "$3" <"$fx/$4.avail" 2>/dev/null | head -n 1; }
# expect DESC GOT WANT
expect() {
	if [ "$2" = "$3" ]; then
		emit ok "$1"
	else
		emit "not ok" "$1"
		printf 'got:  %s\nwant: %s\n' "$2" "$3" | tap_diag
	fi
}

echo "TAP version 13"

# The signed image lags its -unsigned build: take the unsigned one.
expect "signing lag: 6.12.118 from its -unsigned image" \
	"$(first 6.12 amd64 amd64 signing-lag)" \
	"6.12.118+deb12-amd64 linux-image-6.12.118+deb12-amd64-unsigned linux-image-6.12.118+deb12-amd64-unsigned"
expect "signing lag: the signed image is preferred where it exists" \
	"$(resolve_abis 6.12 amd64 amd64 <"$fx/signing-lag.avail" 2>/dev/null | sed -n 2p)" \
	"6.12.117+deb12-amd64 linux-image-6.12.117+deb12-amd64 linux-image-6.12.117+deb12-amd64"

# 7.x: install the metapackage, unpack binary and modules; an ABI whose
# linux-binary is not out yet is passed over, and the log says why.
expect "7.x: metapackage installed, binary and modules unpacked" \
	"$(first 7.3 amd64 amd64 metapackage)" \
	"7.3.4+deb13-amd64 linux-image-7.3.4+deb13-amd64 linux-binary-7.3.4+deb13-amd64,linux-modules-7.3.4+deb13-amd64"
why=$(resolve_abis 7.3 amd64 amd64 <"$fx/metapackage.avail" 2>&1 >/dev/null)
expect "7.x: the log says why 7.3.5 was passed over" "$why" \
	"resolve: 7.3-amd64: passed over 7.3.5+deb13-amd64: no linux-binary package yet"

# Flavours: -rt and -cloud images never stand in for the generic one.
expect "flavours: 6.12.119 has only -rt and -cloud images: 6.12.118 taken" \
	"$(first 6.12 amd64 amd64 flavours)" \
	"6.12.118+deb13-amd64 linux-image-6.12.118+deb13-amd64 linux-image-6.12.118+deb13-amd64"
expect "flavours: arm64 is not arm64-16k" \
	"$(first 6.12 arm64 arm64 flavours)" \
	"6.12.118+deb13-arm64 linux-image-6.12.118+deb13-arm64 linux-image-6.12.118+deb13-arm64"
expect "flavours: arm64-16k" "$(first 6.12 arm64-16k arm64 flavours | cut -d' ' -f1)" \
	"6.12.118+deb13-arm64-16k"
expect "flavours: no amd64 package is taken for arm64" \
	"$(resolve_abis 6.12 amd64 arm64 <"$fx/flavours.avail" 2>/dev/null)" ""

# An ABI removed between resolve and download: the next older one.
gone=6.1.0-57-amd64
fetch_stub() { [ "$1" != "$gone" ]; }
log=$(mktemp)
got=$(resolve_abis 6.1 amd64 amd64 <"$fx/removed.avail" 2>/dev/null |
	resolve_fetch 6.1 fetch_stub 2>"$log")
expect "removed: the download of 6.1.0-57 fails, 6.1.0-56 is taken" "$got" \
	"6.1 6.1.0-56-amd64 linux-image-6.1.0-56-amd64 linux-image-6.1.0-56-amd64"
expect "removed: the log names the ABI that failed" \
	"$(grep -c 'newer ABIs failed to download: 6.1.0-57-amd64' "$log")" 1
gone=none
got=$(resolve_abis 6.1 amd64 amd64 <"$fx/removed.avail" 2>/dev/null |
	resolve_fetch 6.1 fetch_stub 2>/dev/null)
expect "removed: with nothing removed the newest is taken" "$got" \
	"6.1 6.1.0-57-amd64 linux-image-6.1.0-57-amd64 linux-image-6.1.0-57-amd64"
rm -f "$log"

# A series with headers and no image: no candidate, a clear reason, and
# nothing is fetched.
out=$(resolve_abis 7.4 amd64 amd64 <"$fx/no-image.avail" 2>&1)
rc=$?
expect "no image: the resolver fails" "$rc" 1
expect "no image: it says why" "$(printf '%s\n' "$out" | tail -n 1)" \
	"resolve: 7.4-amd64: no ABI has both headers and an image"
fetch_never() { echo called >&2; return 0; }
out=$(resolve_abis 7.4 amd64 amd64 <"$fx/no-image.avail" 2>/dev/null |
	resolve_fetch 7.4 fetch_never 2>&1)
rc=$?
expect "no image: nothing to fetch, resolve_fetch fails" "$rc:$(printf '%s' "$out" | grep -c called)" "1:0"

tap_summary
