# SPDX-License-Identifier: GPL-2.0-only
#
# resolve.sh: which Debian kernel ABI a test kernel gets, chosen from what
# the archive can actually deliver. Source it (POSIX sh; needs awk, sort -V).
#
# The archive moves under the tests: a signed linux-image-VER lags its
# -unsigned build by days, ABIs are bumped and removed, and from 7.x the image
# is a metapackage over linux-binary-VER and linux-modules-VER. So the newest
# headers alone decide nothing: an ABI is a candidate only when its headers
# and an image can both be had, and the build root falls back to the next
# candidate when a download fails.
#
#   resolve_abis SERIES FLAVOUR ARCH <AVAIL
#       AVAIL: "package architecture" lines of the packages that have a
#       candidate (resolve_avail). Prints one line per usable ABI of the
#       series, newest first:
#           VER INSTALL UNPACK
#       INSTALL is what a system installs to run VER (comma-separated),
#       UNPACK what holds its vmlinuz and modules. On stderr, one line for
#       each newer ABI passed over, and why. Fails when none is usable.
#   resolve_fetch ID FETCH <CANDIDATES
#       Calls "FETCH VER INSTALL UNPACK" for each candidate line in turn
#       until one succeeds; prints "ID VER INSTALL UNPACK" for it, and says
#       on stderr which ABI was taken and why a newer one was not.
#   resolve_avail APTDIR REL ARCH [SUITE...]
#       Updates a private apt state in APTDIR (this machine's mirror,
#       kernels/mirror.sh: REL, its updates and security suites and the
#       SUITEs) for ARCH and this machine's architecture, and prints its
#       AVAIL lines. Fails when the archive cannot be reached.

# resolve_re SERIES FLAVOUR: an ERE matching the ABIs of the series in that
# flavour: 5.10.0-46, 6.1.0-57, 6.12.118+deb12, 6.12.115+deb13.1, 7.3.4+deb13;
# never -rt or -cloud (their flavour comes before the architecture).
resolve_re() {
	printf '%s' "$1" | sed 's/\./\\./g'
	printf '%s' '\.[0-9]+(-[0-9]+)?(\+(deb[0-9]+(\.[0-9]+)?|bpo))?-'
	printf '%s\n' "$2"
}

resolve_abis() {
	awk -v re="^linux-headers-$(resolve_re "$1" "$2")\$" -v arch="$3" '
		/^#/ || ($2 != arch && $2 != "all") { next }
		{ have[$1] = 1 }
		$1 ~ re { v = $1; sub(/^linux-headers-/, "", v); abi[v] = 1 }
		END {
			for (v in abi)
				print v, have["linux-binary-" v] + 0, have["linux-binary-" v "-unsigned"] + 0,
					have["linux-modules-" v] + 0, have["linux-image-" v] + 0,
					have["linux-image-" v "-unsigned"] + 0
		}' |
	sort -V -r | awk -v series="$1" -v flavour="$2" '
		function pass(why) { print "resolve: " series "-" flavour ": passed over " v ": " why > "/dev/stderr" }
		{
			v = $1; bin = $2; binu = $3; mods = $4; img = $5; imgu = $6
			if (mods || bin || binu) {
				# 7.x: the image is a metapackage, the kernel is elsewhere.
				if (!mods || !(bin || binu)) {
					pass("no " (mods ? "linux-binary" : "linux-modules") " package yet")
					next
				}
				b = bin ? "linux-binary-" v : "linux-binary-" v "-unsigned"
				inst = img ? "linux-image-" v : b ",linux-modules-" v
				print v, inst, b ",linux-modules-" v
			} else if (img) {
				print v, "linux-image-" v, "linux-image-" v
			} else if (imgu) {
				print v, "linux-image-" v "-unsigned", "linux-image-" v "-unsigned"
			} else {
				pass("its headers, but no image (signed or -unsigned) yet")
			}
		}' | awk -v s="$1-$2" '1
		END { if (NR == 0) { print "resolve: " s ": no ABI has both headers and an image" > "/dev/stderr"; exit 1 } }'
}

resolve_fetch() {
	_id=$1
	_fetch=$2
	_newest=
	_why=
	while read -r _v _inst _unpack; do
		[ -n "$_newest" ] || _newest=$_v
		if $_fetch "$_v" "$_inst" "$_unpack" </dev/null; then
			if [ "$_v" = "$_newest" ]; then
				echo "resolve: $_id: $_v ($_inst), the newest ABI with an image" >&2
			else
				echo "resolve: $_id: $_v ($_inst); newer ABIs failed to download:$_why" >&2
			fi
			echo "$_id $_v $_inst $_unpack"
			return 0
		fi
		_why="$_why $_v"
		echo "resolve: $_id: $_v could not be downloaded; trying the next older ABI" >&2
	done
	echo "resolve: $_id: no ABI could be downloaded${_why:+ (tried$_why)}" >&2
	return 1
}

resolve_avail() {
	_d=$1
	_rel=$2
	_arch=$3
	shift 3
	mkdir -p "$_d/etc" "$_d/state/lists/partial" "$_d/cache/archives/partial"
	mirror_sources "$_rel" "$@" >"$_d/etc/memlab.sources" || return 1
	set -- -o Dir::State="$_d/state" -o Dir::State::status=/dev/null \
		-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts="$_d/etc" \
		-o Dir::Etc::Preferences=/dev/null -o Dir::Etc::PreferencesParts="$_d/etc" \
		-o Dir::Cache="$_d/cache" -o Acquire::Languages=none \
		-o APT::Architectures="$(dpkg --print-architecture),$_arch" \
		-o Acquire::Check-Valid-Until=false -o Acquire::Retries=2
	# apt-get update exits 0 when a source fails; "W:"/"E:" say it did.
	_out=$(apt-get "$@" update 2>&1) || { printf '%s\n' "$_out" >&2; return 1; }
	if printf '%s\n' "$_out" | grep -qE '^(E|W): (Failed to fetch|Some index files failed)'; then
		printf '%s\n' "$_out" | grep -E '^(E|W):' >&2
		return 1
	fi
	apt-cache "$@" dumpavail |
		awk '/^Package: /{ p = $2 } /^Architecture: /{ a = $2 }
			/^$/ { if (p ~ /^linux-(headers|image|binary|modules)-/) print p, a; p = "" }'
}
