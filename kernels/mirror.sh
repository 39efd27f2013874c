# SPDX-License-Identifier: GPL-2.0-only
#
# mirror.sh: the Debian mirror this machine already uses, so that no host
# name is ever written into the tree. Source it.
#
#   mirror_uri            the URI of the main archive
#   mirror_security_uri   the URI of the security archive
#   mirror_sources REL [SUITE...]
#                         deb822 apt sources for release REL: REL, its
#                         updates and security suites, and the extra SUITEs
#                         (such as REL-backports)

# mirror_find PATTERN: the URI of the first source whose suites match PATTERN.
mirror_find() {
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk -v pat="$1" 'BEGIN { RS = ""; FS = "\n" }
		{
			uri = ""; hit = 0
			for (i = 1; i <= NF; i++) {
				if ($i ~ /^URIs:/) { split($i, a, /[ \t]+/); uri = a[2] }
				if ($i ~ /^Suites:/ && $i ~ pat) hit = 1
			}
			if (hit && uri != "") { print uri; exit }
		}' "$f"
	done
	grep -hs '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list |
		awk -v pat="$1" '(" " $3 " ") ~ pat { print $2 }'
}

mirror_uri() {
	mirror_find '[ \t][a-z]+([ \t]|-updates|$)' | head -n 1
}

mirror_security_uri() {
	mirror_find '[ \t][a-z]+-security' | head -n 1
}

mirror_sources() {
	rel=$1
	shift
	main=$(mirror_uri)
	sec=$(mirror_security_uri)
	[ -n "$main" ] || { echo "mirror: no Debian mirror in /etc/apt/sources*" >&2; return 1; }
	case $rel in
	sid | unstable) suites=$rel ;;
	*) suites="$rel $rel-updates" ;;
	esac
	for s in "$@"; do
		case " $suites $rel-security " in
		*" $s "*) ;;
		*) suites="$suites $s" ;;
		esac
	done
	printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: main\n' "$main" "$suites"
	printf 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n\n'
	case $rel in
	sid | unstable) ;;
	*)
		[ -n "$sec" ] || return 0
		printf 'Types: deb\nURIs: %s\nSuites: %s-security\nComponents: main\n' "$sec" "$rel"
		printf 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n\n'
		;;
	esac
}
