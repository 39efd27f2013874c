# SPDX-License-Identifier: GPL-2.0-only
#
# usage.sh: -h or --help prints the tier script's header comment (from its
# third line to the first line that is not a comment) and exits. Source it
# first, with the script's arguments.

case ${1:-} in
-h | --help)
	awk 'NR > 3 && !/^#/ { exit } NR > 3 { sub(/^# ?/, ""); print }' "$0"
	exit 0
	;;
esac
