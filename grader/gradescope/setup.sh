#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# setup.sh: Gradescope's autograder setup (run once, as root, with network,
# when the image is built). The bundle (make-bundle.sh) holds memlab's
# tree in /autograder/source/memlab and config.sh.
#
# Gradescope's image is Ubuntu; memlab builds a Debian kernel's modules in
# that Debian release's build root (mmdebstrap), so it needs a Debian
# mirror: config.sh names it (MEMLAB_MIRROR). It is written as a disabled
# apt source, which Ubuntu's apt ignores and kernels/mirror.sh reads.
set -eu

src=/autograder/source
. "$src/config.sh"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends python3 qemu-system-x86 mmdebstrap \
	debian-archive-keyring bubblewrap util-linux gcc libc6-dev binutils make \
	ca-certificates >/dev/null

[ -n "${MEMLAB_MIRROR:-}" ] || { echo "setup.sh: set MEMLAB_MIRROR in config.sh" >&2; exit 1; }
cat >/etc/apt/sources.list.d/memlab-debian.sources <<SRC
Enabled: no
Types: deb
URIs: $MEMLAB_MIRROR
Suites: bookworm bookworm-updates bookworm-backports trixie trixie-updates trixie-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
if [ -n "${MEMLAB_SECURITY_MIRROR:-}" ]; then
	cat >>/etc/apt/sources.list.d/memlab-debian.sources <<SRC

Enabled: no
Types: deb
URIs: $MEMLAB_SECURITY_MIRROR
Suites: bookworm-security trixie-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
fi

# The kernel's build root, its image and the guest's programs, now: a
# submission is graded without network.
"$src/memlab/grader/memlab-grade" --prepare --kernel "$MEMLAB_KERNEL"
