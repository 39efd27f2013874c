#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# bump-version.sh DIR VERSION: turn the copy of the tree in DIR into release
# VERSION, the way a maintainer prepares the next release: VERSION, a new
# debian/changelog entry, the spec's Version and %changelog, and a heading
# in CHANGELOG.md. packaging/versions.sh agrees with the result.
#
# The build scripts use it for --version (deb-build.sh, rpm-build.sh): the
# upgrade tier builds release N+1 of the same sources this way. Never run it
# on the work tree itself.
set -eu

dir=$1
new=$2
old=$(cat "$dir/VERSION")
[ "$new" != "$old" ] || exit 0

# SOURCE_DATE_EPOCH, when set, dates the entries: the build stays
# reproducible.
when=${SOURCE_DATE_EPOCH:-$(date +%s)}
maint=$(sed -n 's/^Maintainer: //p' "$dir/debian/control")

echo "$new" >"$dir/VERSION"
{
	echo "memlab ($new-1) unstable; urgency=medium"
	echo
	echo "  * New upstream release $new."
	echo
	echo " -- $maint  $(LC_ALL=C date -u -R -d "@$when")"
	echo
	cat "$dir/debian/changelog"
} >"$dir/debian/changelog.new"
mv "$dir/debian/changelog.new" "$dir/debian/changelog"

sed -i "s/^\(Version:[[:space:]]*\).*/\1$new/; s/^\(Release:[[:space:]]*\)[0-9]*/\11/" "$dir/rpm/memlab.spec"
sed -i "/^%changelog/a\\
* $(LC_ALL=C date -u -d "@$when" '+%a %b %d %Y') $maint - $new-1\\
- New upstream release $new.\\
" "$dir/rpm/memlab.spec"

# The newest release heading of CHANGELOG.md ("## [0.1.0] - 2026-11-23").
awk -v v="$new" -v d="$(date -u -d "@$when" +%F)" '
	!done && /^## \[[0-9]/ { print "## [" v "] - " d "\n\n### Changed\n- New upstream release.\n"; done = 1 }
	{ print }' "$dir/CHANGELOG.md" >"$dir/CHANGELOG.md.new"
mv "$dir/CHANGELOG.md.new" "$dir/CHANGELOG.md"
