#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# make-bundle.sh [OUT.zip]: the Gradescope autograder bundle: setup.sh,
# run_autograder and config.sh at its root, memlab's tree (git archive of
# HEAD) in memlab/, and a rubric.toml of the course's when one is beside
# config.sh. Edit config.sh first.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
here=$top/grader/gradescope
out=${1:-$top/build/memlab-gradescope.zip}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$here/setup.sh" "$here/run_autograder" "$here/config.sh" "$tmp/"
[ ! -f "$here/rubric.toml" ] || cp "$here/rubric.toml" "$tmp/"
mkdir "$tmp/memlab"
git -C "$top" archive HEAD | tar -x -C "$tmp/memlab"
mkdir -p "$(dirname "$out")"
rm -f "$out"
(cd "$tmp" && python3 -m zipfile -c "$out" setup.sh run_autograder config.sh memlab \
	$( [ -f rubric.toml ] && echo rubric.toml ))
echo "$out"
