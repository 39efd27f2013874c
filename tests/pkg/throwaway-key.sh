#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# throwaway-key.sh DIR [NAME]: make a signing key for a test in a fresh
# GNUPGHOME, DIR (deleted first), and print its fingerprint. Never a key
# anyone should trust: no passphrase, and it lives in a build directory.
#   export GNUPGHOME=build/pkg/key; MEMLAB_SIGNING_KEY=$(throwaway-key.sh "$GNUPGHOME")
set -eu

dir=$1
name=${2:-memlab test repository}
rm -rf "$dir"
mkdir -p "$dir"
chmod 700 "$dir"
GNUPGHOME=$(cd "$dir" && pwd)
export GNUPGHOME
gpg --batch --quiet --pinentry-mode loopback --passphrase '' \
	--quick-generate-key "$name <test@memlab.invalid>" rsa3072 sign never 2>/dev/null
gpg --batch --list-secret-keys --with-colons 2>/dev/null | awk -F: '$1 == "fpr" { print $10; exit }'
