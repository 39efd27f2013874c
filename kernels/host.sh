# SPDX-License-Identifier: GPL-2.0-only
#
# host.sh: what the host tiers ask of this machine. Source it.
#
#   host_install PKG...   apt-get install the PKGs that are not installed
#                         yet (output on stderr)
#   unmount_under DIR     unmount everything mounted below DIR, deepest
#                         first, lazily where a mount is busy

host_install() {
	_missing=
	for _p in "$@"; do
		dpkg-query -W -f='${Status}' "$_p" 2>/dev/null | grep -q 'ok installed' ||
			_missing="$_missing $_p"
	done
	[ -n "$_missing" ] || return 0
	apt-get update -qq >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $_missing >&2
}

unmount_under() {
	for _m in $(awk -v w="$1/" 'index($2, w) == 1 { print $2 }' /proc/self/mounts | sort -r); do
		umount "$_m" 2>/dev/null || umount -l "$_m" 2>/dev/null || :
	done
}
