#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# includes_test.sh: the layers of the user-space code, as docs/architecture.md
# draws them. Every '#include "NAME"' of lib/ and tools/ is resolved as the
# Makefile's include path does (the file's own folder, lib/, the uapi
# header); the graph must have no cycle (tsort), lib/ must include only lib/
# and the uapi header, the three renderers of a walk none of each other,
# and nothing may come from tests/. Two fixtures show
# that a cycle and an include of tests/ are caught.
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
TAP_TIER=includes
. "$top/tests/lib/tap.sh"

# edges DIR...: "FILE INCLUDED" per quoted include of the .c and .h files
# under DIR (paths from the top); INCLUDED is "?NAME" when nothing resolves.
edges() {
	for d in "$@"; do
		find "$d" \( -name '*.c' -o -name '*.h' \) | sort
	done | while read -r f; do
		sed -n 's/^#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f" |
			while read -r name; do
				dir=${f%/*}
				if [ -f "$dir/$name" ]; then
					echo "$f $dir/$name"
				elif [ -f lib/"$name" ]; then
					echo "$f lib/$name"
				elif [ -f src/include/uapi/"$name" ]; then
					echo "$f src/include/uapi/$name"
				elif [ -f tests/lib/"$name" ]; then
					echo "$f tests/lib/$name"
				else
					echo "$f ?$name"
				fi
			done
	done
}

# acyclic: the edges on stdin form no cycle.
acyclic() {
	tsort >/dev/null 2>"$tmp/tsort.err" && ! grep -q . "$tmp/tsort.err"
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "TAP version 13"
cd "$top"

edges lib tools >"$tmp/edges"
if [ -s "$tmp/edges" ] && acyclic <"$tmp/edges"; then
	emit ok "no include cycle among lib/ and tools/ ($(wc -l <"$tmp/edges") includes)"
else
	emit "not ok" "no include cycle among lib/ and tools/"
	tap_diag "$tmp/tsort.err"
fi

awk '$1 ~ /^lib\// && $2 !~ /^(lib\/|src\/include\/uapi\/)/' "$tmp/edges" >"$tmp/bad"
if [ ! -s "$tmp/bad" ]; then
	emit ok "lib/ includes only lib/ and the uapi header"
else
	emit "not ok" "lib/ includes only lib/ and the uapi header"
	tap_diag "$tmp/bad"
fi

# The terminal, SVG and JSON renderers are siblings over the walk model.
awk '{ a = $1; b = $2; sub(/\.[ch]$/, "", a); sub(/\.h$/, "", b) }
	a ~ /^tools\/memlab\/(draw|svg|json)$/ &&
	b ~ /^tools\/memlab\/(draw|svg|json)$/ && a != b' "$tmp/edges" >"$tmp/bad"
if [ ! -s "$tmp/bad" ]; then
	emit ok "draw, svg and json include none of each other"
else
	emit "not ok" "draw, svg and json include none of each other"
	tap_diag "$tmp/bad"
fi

# Shipped code never reaches into tests/: not by an include, not by a
# path in an include or a Kbuild flag, not in how make builds it.
{
	awk '$2 ~ /^tests\//' "$tmp/edges"
	grep -rnE '^[[:space:]]*#[[:space:]]*include.*tests/|-I[^ ]*tests/' \
		tools src lib
	make -s -n -B tools BUILD="$tmp/build" 2>&1 | grep 'tests/'
} >"$tmp/bad"
if [ ! -s "$tmp/bad" ]; then
	emit ok "nothing in lib/, tools/ or src/ includes or links tests/"
else
	emit "not ok" "nothing in lib/, tools/ or src/ includes or links tests/"
	tap_diag "$tmp/bad"
fi

awk '$2 ~ /^\?/' "$tmp/edges" >"$tmp/bad"
if [ ! -s "$tmp/bad" ]; then
	emit ok "every include of lib/ and tools/ resolves"
else
	emit "not ok" "every include of lib/ and tools/ resolves"
	tap_diag "$tmp/bad"
fi

# The check itself: a fixture with a cycle fails it.
(cd "$here/fixtures/includes" && edges cycle) >"$tmp/fx"
if [ -s "$tmp/fx" ] && ! acyclic <"$tmp/fx"; then
	emit ok "a cycle (fixtures/includes/cycle) is caught"
else
	emit "not ok" "a cycle (fixtures/includes/cycle) is caught"
fi

tap_summary
