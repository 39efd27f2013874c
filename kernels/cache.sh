# SPDX-License-Identifier: GPL-2.0-only
#
# cache.sh: the one way memlab caches a tree it made (build roots, package
# images, the cross-build and arm64 chroots, the debug kernel) under
# $(memlab_cache). Source it.
#
#   cache_stamp WORDS...      a short hash of what a tree is made from
#   cache_lock DIR [FD]       make DIR and hold its lock (.lock, on file
#                             descriptor FD, default 9) until the shell exits
#   cache_fresh DIR STAMP PATH
#                             true when DIR was made from STAMP and PATH (the
#                             tree, or a file it must hold) exists, unless
#                             MEMLAB_REFRESH=1 asks for a remake
#   cache_done DIR STAMP      record that DIR is made from STAMP

cache_stamp() { printf '%s\n' "$@" | sha256sum | cut -c1-16; }

cache_lock() {
	mkdir -p "$1"
	eval "exec ${2:-9}>\"\$1/.lock\""
	flock "${2:-9}"
}

cache_fresh() {
	[ "${MEMLAB_REFRESH:-0}" != 1 ] && [ -f "$1/stamp" ] &&
		[ "$(cat "$1/stamp")" = "$2" ] && [ -e "$3" ]
}

cache_done() { echo "$2" >"$1/stamp"; }
