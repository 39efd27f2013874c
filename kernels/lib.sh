# SPDX-License-Identifier: GPL-2.0-only
#
# lib.sh: read kernels/kernels.conf, the one list of test kernels, and
# find what the build roots resolved for them. Source it; needs $top.
#
#   kernels_each [levels]   the list's lines, "id flavour release suite
#                           series gcc levels", limited to the ids in
#                           $MEMLAB_KERNELS when set; with "levels", only
#                           the kernels the VM suite boots. A kernel built
#                           from source (suite "linux-source", the debug
#                           kernel), and with "levels" one whose levels end
#                           in "+" (booted on request), are listed only when
#                           MEMLAB_KERNELS names them
#   kernels_for MODE        the ids whose "modes" column names MODE, limited
#                           to $MEMLAB_KERNELS when set
#   kernel_field ID N       column N (1-8) of kernel ID
#   kernel_arch FLAVOUR     its Debian architecture
#   arch_triplet ARCH       the GNU triplet of a Debian architecture
#   arch_foreign ARCH       true unless ARCH is this machine's
#   kernel_version ID       the Debian kernel release (uname -r) that the
#                           build root resolved, empty before it is built
#   kernel_image_pkgs ID    the packages a system installs to run it (the
#                           signed image, else -unsigned; from 7.x the
#                           metapackage), as the build root resolved them
#   kernel_tree ID          where its image and modules were unpacked (or
#                           installed, for a kernel built from source)
#   kernel_source ID        true for a kernel built from source, whose
#                           build tree is $(kernel_dir ID)/build
#   kernel_dir ID           $(memlab_cache)/debug/ID: "version", "tree",
#                           "build" of a kernel built from source
#   kernel_vmlinuz ID       the bootable image inside it
#   kernels_report          one line per kernel of kernels_each: "kernel ID
#                           ABI IMAGE-PACKAGES", or why it has none
#   memlab_cache            the cache directory (/var/cache/memlab)

memlab_cache() { echo "${MEMLAB_CACHE:-/var/cache/memlab}"; }

kernels_each() {
	sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$top/kernels/kernels.conf" |
		awk -v want=" ${MEMLAB_KERNELS:-} " -v vm="${1:-}" '
			want != "  " && index(want, " " $1 " ") == 0 { next }
			want == "  " && $4 == "linux-source" { next }
			vm == "levels" && $7 == "-" { next }
			vm == "levels" && want == "  " && $7 ~ /[+]$/ { next }
			{ print $1, $2, $3, $4, $5, $6, $7 }'
}

kernels_for() {
	sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$top/kernels/kernels.conf" |
		awk -v want=" ${MEMLAB_KERNELS:-} " -v m="$1" '
			want != "  " && index(want, " " $1 " ") == 0 { next }
			index("," $8 ",", "," m ",") { print $1 }'
}

kernel_field() {
	sed -e 's/#.*//' "$top/kernels/kernels.conf" |
		awk -v id="$1" -v n="$2" '$1 == id { print $n; exit }'
}

kernel_arch() {
	case $1 in
	arm64*) echo arm64 ;;
	*) echo "$1" ;;
	esac
}

arch_triplet() {
	case $1 in
	amd64) echo x86_64-linux-gnu ;;
	arm64) echo aarch64-linux-gnu ;;
	*) return 1 ;;
	esac
}

arch_foreign() { [ "$1" != "$(dpkg --print-architecture)" ]; }

# The build root of a release and architecture (kernels/buildroot.sh).
buildroot_dir() { echo "$(memlab_cache)/buildroot/$1-$2"; }

kernel_source() { [ "$(kernel_field "$1" 4)" = linux-source ]; }
kernel_dir() { echo "$(memlab_cache)/debug/$1"; }

kernel_version() {
	if kernel_source "$1"; then
		cat "$(kernel_dir "$1")/version" 2>/dev/null
		return
	fi
	f=$(buildroot_dir "$(kernel_field "$1" 3)" "$(kernel_arch "$(kernel_field "$1" 2)")")/kernels
	[ -f "$f" ] && awk -v id="$1" '$1 == id { print $2 }' "$f"
}

kernel_image_pkgs() {
	f=$(buildroot_dir "$(kernel_field "$1" 3)" "$(kernel_arch "$(kernel_field "$1" 2)")")/kernels
	[ -f "$f" ] && awk -v id="$1" '$1 == id { gsub(/,/, " ", $3); print $3 }' "$f"
}

kernel_tree() {
	if kernel_source "$1"; then
		echo "$(kernel_dir "$1")/tree"
		return
	fi
	echo "$(memlab_cache)/kernels/$(kernel_arch "$(kernel_field "$1" 2)")/$(kernel_version "$1")"
}

kernel_vmlinuz() {
	t=$(kernel_tree "$1")
	v=$(kernel_version "$1")
	for f in "$t/boot/vmlinuz-$v" "$t/usr/lib/modules/$v/vmlinuz" "$t/lib/modules/$v/vmlinuz"; do
		[ -f "$f" ] && { echo "$f"; return 0; }
	done
	return 1
}

kernels_report() {
	kernels_each | while read -r id _; do
		v=$(kernel_version "$id")
		if [ -z "$v" ]; then
			echo "kernel $id: no ABI resolved (build/deps/ has the reason); its tests are skipped"
		elif kernel_source "$id"; then
			echo "kernel $id $v built from linux-source"
		else
			echo "kernel $id $v $(kernel_image_pkgs "$id")"
		fi
	done
}
