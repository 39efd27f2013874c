#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# build-time.sh [ID...]: how long DKMS takes to build memlab for each kernel
# of kernels/kernels.conf (default: all of them, each kernel once), MEMLAB_BENCH_BUILD_RUNS
# times each (default 3); writes bench/results/build-time.json and prints a
# line per kernel.
#
# A kernel of this machine's architecture is timed with the real thing:
# "dkms build" of the release's own dkms, in its build root
# (kernels/buildroot.sh), on the source tree the package installs
# (src/ and dkms.conf in /usr/src/memlab-VERSION), with a private
# /var/lib/dkms. Only "dkms build" is timed, not "dkms add". A foreign
# architecture's kernel (arm64 here) is built as its users' DKMS would build
# it, but cross: the same make command (kernels/build-modules.sh), timed;
# its JSON says "method": "make (cross)".
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
. "$top/kernels/lib.sh"
work=$top/build/bench
results=bench/results
version=$(cat VERSION)
runs=${MEMLAB_BENCH_BUILD_RUNS:-3}
mkdir -p "$work" "$results"

# The tree memlab-dkms installs in /usr/src (debian/rules does the same).
pkgsrc=$work/dkms-src/memlab-$version
rm -rf "$work/dkms-src"
mkdir -p "$pkgsrc"
cp -a src/. "$pkgsrc/"
sed "s/#MODULE_VERSION#/$version/" dkms.conf >"$pkgsrc/dkms.conf"

now() { date +%s.%N; }

# dkms_build ID: prints the seconds "dkms build" took for ID's kernel.
dkms_build() {
	root=$(kernels/buildroot.sh "$(kernel_field "$1" 3)" "$(kernel_arch "$(kernel_field "$1" 2)")")
	unshare --mount --propagation private sh -eu -c '
		root=$1 src=$2 ver=$3 kver=$4
		mkdir -p "$root/usr/src/memlab-$ver" "$root/var/lib/dkms"
		mount --bind "$src" "$root/usr/src/memlab-$ver"
		mount -t tmpfs tmpfs "$root/var/lib/dkms"
		mount -t proc proc "$root/proc"
		mount --bind /dev "$root/dev"
		exec chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C.UTF-8 sh -eu -c "
			dkms add -m memlab -v $ver >&2
			t0=\$(date +%s.%N)
			dkms build -m memlab -v $ver -k $kver >&2
			t1=\$(date +%s.%N)
			ls /var/lib/dkms/memlab/$ver/$kver/*/module/mtest.ko* \
				/var/lib/dkms/memlab/$ver/$kver/*/module/maptest.ko* >&2
			echo \"\$t0 \$t1\" | awk \"{ printf \\\"%.2f\\\", \\\$2 - \\\$1 }\"
		"
	' build-time "$root" "$pkgsrc" "$version" "$(kernel_version "$1")"
}

# make_build ID: prints the seconds the cross make of ID's modules took.
make_build() {
	t0=$(now)
	kernels/build-modules.sh -o "$work/make-$1" "$1" >/dev/null
	t1=$(now)
	echo "$t0 $t1" | awk '{ printf "%.2f", $2 - $1 }'
}

# times_json ID METHOD: the JSON object of $runs timed builds of ID.
times_json() {
	times=
	i=0
	while [ "$i" -lt "$runs" ]; do
		i=$((i + 1))
		case $2 in
		dkms) t=$(dkms_build "$1" 2>>"$work/build-$1.log") ;;
		*) t=$(make_build "$1" 2>>"$work/build-$1.log") ;;
		esac || { echo "build-time: $1: the build failed, see $work/build-$1.log" >&2; return 1; }
		times="$times $t"
	done
	method="dkms build"
	[ "$2" = dkms ] || method="make (cross)"
	echo "$times" | tr ' ' '\n' | sed '/^$/d' | sort -n | awk -v id="$1" -v k="$(kernel_version "$1")" \
		-v rel="$(kernel_field "$1" 3)" -v gcc="$(kernel_field "$1" 6)" -v m="$method" '
		{ v[NR] = $1 }
		END {
			med = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			printf "    {\"id\": \"%s\", \"kernel\": \"%s\", \"release\": \"%s\", \"gcc\": %s, ", id, k, rel, gcc
			printf "\"method\": \"%s\", \"runs_s\": [", m
			for (i = 1; i <= NR; i++) printf "%s%s", (i > 1 ? ", " : ""), v[i]
			printf "], \"median_s\": %.2f, \"min_s\": %s, \"max_s\": %s}", med, v[1], v[NR]
		}'
}

[ $# -gt 0 ] || set -- $(MEMLAB_KERNELS= kernels_each | awk '{ print $1 }')
echo "== DKMS build time per kernel ($runs runs each, in its release's build root)"
{
	echo "{"
	echo "  \"command\": \"dkms build -m memlab -v $version -k KVER, the release's dkms in its build root (cross: kernels/build-modules.sh)\","
	echo "  \"nproc\": $(nproc),"
	echo "  \"kernels\": ["
	sep=
	done_kvers=" "
	for id in "$@"; do
		: >"$work/build-$id.log"
		method=dkms
		# The debug kernel is not a Debian package; a kernel booted with
		# other options (6.12-arm64-4l) is built once.
		kernel_source "$id" && continue
		kver=$(kernel_version "$id")
		case $done_kvers in *" $kver "*) continue ;; esac
		done_kvers="$done_kvers$kver "
		arch_foreign "$(kernel_arch "$(kernel_field "$id" 2)")" && method=make
		printf '%s' "$sep"
		times_json "$id" "$method" || exit 1
		sep=',
'
	done
	echo
	echo "  ]"
	echo "}"
} >"$work/build-time.json"
cp "$work/build-time.json" "$results/build-time.json"
sed -n 's/.*"id": "\([^"]*\)", "kernel": "\([^"]*\)".*"method": "\([^"]*\)".*"median_s": \([^,]*\), "min_s": \([^,]*\), "max_s": \([^}]*\)}.*/   \1 (\2, \3): median \4 s [\5 - \6 s]/p' \
	"$results/build-time.json"
