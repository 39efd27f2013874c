#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# guest-tool.sh: memlab, the command, in the test VM (busybox sh), run by
# init as /memlab/tool.sh in "memlab.mode=tool". Golden output for every
# subcommand and every error, normalised where addresses and counts vary
# (hex numbers become 0x#, decimal numbers #, binary index bits #bin); the
# walk on a normal, THP, hugetlb, file, not-yet-mapped file, swapped and
# zero page, as root and as nobody. The JSON and SVG outputs are printed
# between MEMLAB-FILE-BEGIN/END lines for the host (tests/tool.sh),
# which checks them with python3's JSON parser and rsvg-convert.
#
# Environment (from the VM's init): MEMLAB_BIN, MEMLAB_MODULES.
set -u

BIN=${MEMLAB_BIN:-/memlab/bin}
MOD=${MEMLAB_MODULES:-/memlab/modules}
ML=$BIN/memlab
TARGET=$BIN/tool/memlab-target
RUNAS=$BIN/helpers/runas
NOBODY=65534
NO_COLOR=1
export NO_COLOR

. "$(dirname "$0")/tap.sh"
note() { echo "# $*"; }

# Hex numbers, long hex words (dump addresses), index bits and decimal
# numbers vary from boot to boot: compare the rest.
norm() {
	sed -E 's/(^|[^0-9a-z])[01]{9,}([^0-9a-z]|$)/\1#bin\2/g; s/(^|[^0-9a-z])[0-9a-f]{12,16}([^0-9a-z]|$)/\1#addr\2/g
		s/0x[0-9a-f]+/HEX/g; s/(^|[^0-9a-zA-Z#])[0-9]+/\1#/g; s/HEX/0x#/g
		s/ +/ /g; s/ $//'
}

# run NAME CMD...: CMD's stdout in /tmp/NAME.out, stderr in /tmp/NAME.err,
# exit status in $rc.
run() {
	_name=$1
	shift
	"$@" >"/tmp/$_name.out" 2>"/tmp/$_name.err"
	rc=$?
}

# golden_flags: the entry flags a written anonymous page has on this
# machine's architecture, for the @TFLAGS@ (table) and @LFLAGS@ (leaf)
# of a golden walk.
golden_flags() {
	case $(uname -m) in
	aarch64)
		sed -e 's/@TFLAGS@/valid/' \
			-e 's/@LFLAGS@/valid user accessed not-global dbm no-exec-kernel no-exec/' ;;
	*)
		sed -e 's/@TFLAGS@/present writable user accessed/' \
			-e 's/@LFLAGS@/present writable user accessed dirty no-exec/' ;;
	esac
}

# golden DESC FILE [norm|raw]: FILE (normalised) equals the text on stdin.
golden() {
	cat >/tmp/golden.want
	case ${3:-norm} in
	norm)
		# A box's rule is as long as its title ("4 KiB", "16 KiB").
		sed -i -E 's/-{4,}/----/g' /tmp/golden.want
		norm <"$2" | sed -E 's/-{4,}/----/g' >/tmp/golden.got ;;
	addr) sed -E 's/^[0-9a-f]{12,16}  /#addr  /' "$2" >/tmp/golden.got ;;
	*) cp "$2" /tmp/golden.got ;;
	esac
	if cmp -s /tmp/golden.want /tmp/golden.got; then
		emit ok "$1"
	else
		emit "not ok" "$1"
		diff -u /tmp/golden.want /tmp/golden.got | tap_diag
	fi
}

# expect_rc DESC WANT: the last run's exit status.
expect_rc() {
	[ "$rc" -eq "$2" ]
	_r=$?
	tap $_r "$1 (exit $rc, want $2)"
	[ $_r -eq 0 ] || tap_diag "/tmp/$_name.err"
}

# has DESC FILE PATTERN: grep -q.
has() {
	grep -q -- "$3" "$2"
	_r=$?
	tap $_r "$1"
	[ $_r -eq 0 ] || tap_diag "$2"
}

emit_file() { # NAME FILE: for the host's checks
	echo "MEMLAB-FILE-BEGIN $1"
	cat "$2"
	echo "MEMLAB-FILE-END $1"
}

addr_of() { awk -v k="$1" '$1 == k { print $2 }' "$2"; }

start_target() { # OUT [RUNAS-PREFIX...]: starts memlab-target, sets $tpid
	_out=$1
	shift
	rm -f "$_out"
	"$@" "$TARGET" "$_out" &
	tpid=$!
	_i=0
	while ! grep -q '^ready' "$_out" 2>/dev/null && [ $_i -lt 300 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	grep -q '^ready' "$_out"
}

note "memlab tool tests on $(uname -r)"

# --- the command itself, without the modules --------------------------------
run version "$ML" --version
[ $rc -eq 0 ] && grep -Eqx 'memlab [0-9]+\.[0-9]+\.[0-9]+' /tmp/version.out
tap $? "memlab --version prints memlab X.Y.Z"
run help "$ML" --help
expect_rc "memlab --help" 0
golden "memlab --help: golden" /tmp/help.out raw <<'G'
usage: memlab COMMAND [OPTIONS] ARGS...

commands:
  read PID ADDR [LEN]      bytes of a process, hexdump -C style
  write PID ADDR BYTE...   change bytes (--string, --file)
  walk PID ADDR            the page-table walk, drawn
  maps PID                 every mapping, with its page counts
  maptest                  what /proc/maptest holds, mapped

memlab COMMAND --help shows a command's options; memlab --version.
PID is a number or a process name; ADDR is hex, or a region and an
offset: [heap], [stack]+0x10, libc.so.6+0x1234. See memlab(1).
G
for c in read write walk maps maptest; do
	run help-$c "$ML" $c --help
	[ $rc -eq 0 ] && head -n 1 /tmp/help-$c.out | grep -q "^usage: memlab $c"
	tap $? "memlab $c --help: usage line, exit 0"
done
run noargs "$ML"
expect_rc "memlab without a command: usage" 2
run unknown "$ML" frob
expect_rc "memlab frob: unknown command" 2
has "memlab frob: says so" /tmp/unknown.err '^memlab: unknown command frob$'
run badopt "$ML" read --frob 1 0x1000
expect_rc "memlab read --frob: unknown option" 2
golden "memlab read --frob: golden" /tmp/badopt.err <<'G'
memlab: read: unknown or incomplete option --frob
 fix: see 'memlab read --help'
G
run badlen "$ML" read 1 0x1000 0
expect_rc "memlab read LEN 0: usage error" 2
run badbyte "$ML" write 1 0x1000 256
expect_rc "memlab write 256: not a byte" 2
golden "memlab write 256: golden" /tmp/badbyte.err <<'G'
memlab: # is not a byte: give # to #, or 0x# to 0x#
G

run nomod "$ML" read 1 0x1000
expect_rc "module not loaded: read" 3
golden "module not loaded: golden" /tmp/nomod.err raw <<'G'
memlab: /proc/mtest does not exist: the mtest module is not loaded
  fix: sudo modprobe mtest
G
run nomodwalk "$ML" walk 1 0x1000
expect_rc "module not loaded: walk" 3
run nomodmap "$ML" maptest
expect_rc "maptest not loaded" 3
golden "maptest not loaded: golden" /tmp/nomodmap.err raw <<'G'
memlab: /proc/maptest does not exist: the maptest module is not loaded
  fix: sudo modprobe maptest
G

# --- /proc/mtest closed to the user ---------------------------------------
if insmod "$MOD/mtest.ko"; then
	run noaccess "$RUNAS" $NOBODY $NOBODY "$ML" read 1 0x1000
	expect_rc "no access to /proc/mtest (0600, as nobody)" 4
	golden "no access to /proc/mtest: golden" /tmp/noaccess.err raw <<'G'
memlab: no permission to open /proc/mtest
  fix: sudo adduser $USER memlab, then log out and in again
G
	rmmod mtest
else
	tap 1 "insmod mtest (default mode)"
fi

rc=0
insmod "$MOD/mtest.ko" mode=0666 || rc=1
insmod "$MOD/maptest.ko" pages=2 || rc=1
tap $rc "insmod mtest mode=0666 and maptest pages=2"
[ $rc -eq 0 ] || exit 1

if ! start_target /tmp/t1.out; then
	tap 1 "memlab-target starts"
	cat /tmp/t1.out | tap_diag
	exit 1
fi
T=$tpid
note "memlab-target $T: $(tr '\n' ' ' </tmp/t1.out)"
ANON=$(addr_of anon /tmp/t1.out)
HOLE=$(addr_of hole /tmp/t1.out)
# This kernel's page, THP and hugetlb sizes, as memlab-target found them.
PSZ=$(($(addr_of pagesize /tmp/t1.out)))
THPSZ=$(($(addr_of thpsize /tmp/t1.out)))
HTLBSZ=$(($(addr_of hugetlbsize /tmp/t1.out)))
# size_name BYTES: "4 KiB", "2 MiB", "1 GiB", as memlab names a page.
size_name() {
	if [ "$1" -ge $((1 << 30)) ]; then
		echo "$(($1 >> 30)) GiB"
	elif [ "$1" -ge $((1 << 20)) ]; then
		echo "$(($1 >> 20)) MiB"
	else
		echo "$(($1 >> 10)) KiB"
	fi
}

# --- read --------------------------------------------------------------------
run read "$ML" read $T "$ANON" 64
expect_rc "read 64 bytes" 0
golden "read: hexdump -C golden" /tmp/read.out addr <<'G'
#addr  6d 65 6d 6c 61 62 3a 20  67 6f 6c 64 65 6e 20 62  |memlab: golden b|
#addr  79 74 65 73 20 30 31 32  33 34 35 36 37 38 39 0a  |ytes 0123456789.|
#addr  00 01 02 03 04 05 06 07  08 09 0a 0b 0c 0d 0e 0f  |................|
#addr  10 11 12 13 14 15 16 17  18 19 1a 1b 1c 1d 1e 1f  |................|
G
run readname "$ML" read memlab-target "$ANON" 16
expect_rc "read by process name" 0
cmp -s /tmp/readname.out /tmp/read.out 2>/dev/null ||
	[ "$(cat /tmp/readname.out)" = "$(head -n 1 /tmp/read.out)" ]
tap $? "read by name reads what read by PID reads"
run raw "$ML" read --raw $T "$ANON" 32
printf 'memlab: golden bytes 0123456789\n' >/tmp/raw.want
cmp -s /tmp/raw.out /tmp/raw.want
tap $? "read --raw: the bytes themselves"
run readjson "$ML" read --json $T "$ANON" 8
expect_rc "read --json" 0
has "read --json: the bytes in hex" /tmp/readjson.out '"hex":"6d656d6c61623a20"'
emit_file read.json /tmp/readjson.out
run elf "$ML" read $T memlab-target+0 4
expect_rc "read FILE+0: a mapped file by name" 0
has "read memlab-target+0: the ELF magic" /tmp/elf.out '|.ELF|'
run heap "$ML" read $T '[heap]' 16
expect_rc "read [heap]" 0
run big "$ML" read --raw $T "$ANON" $((3 * PSZ))
[ $rc -ne 0 ] && [ "$(wc -c </tmp/big.out)" -eq "$PSZ" ]
tap $? "read across a page into a hole: the bytes before it, then an error"

# --- write -------------------------------------------------------------------
W=$(printf '0x%x' $((ANON + 0x100)))
run write "$ML" write $T "$W" 1 2 0xff
expect_rc "write 3 bytes" 0
golden "write: golden" /tmp/write.out <<'G'
wrote # bytes at 0x# in process #
G
run wread "$ML" read --raw $T "$W" 3
[ "$(od -An -tx1 /tmp/wread.out | tr -d ' ')" = 0102ff ]
tap $? "write: read back 01 02 ff"
run wstr "$ML" write --string 'hello, memlab' $T "$W"
run wread "$ML" read --raw $T "$W" 13
[ "$(cat /tmp/wread.out)" = 'hello, memlab' ]
tap $? "write --string: read back"
head -c 300 /dev/urandom >/tmp/wfile.in
run wfile "$ML" write --file /tmp/wfile.in $T "$W"
run wread "$ML" read --raw $T "$W" 300
cmp -s /tmp/wread.out /tmp/wfile.in
tap $? "write --file (300 bytes, several commands): read back"

# --- walk --------------------------------------------------------------------
walk_kind() { # KIND WORDS: the walk of the target's KIND page
	_a=$(addr_of "$1" /tmp/t1.out)
	if [ -z "$_a" ]; then
		tap_skip "walk $1 page" "memlab-target could not make one (see its output above)"
		return 1
	fi
	run walk-$1 "$ML" walk $T "$_a"
	expect_rc "walk $1 page" 0
	has "walk $1 page: $2" /tmp/walk-$1.out "$2"
	run walkj-$1 "$ML" walk --json $T "$_a"
	emit_file walk-$1.json /tmp/walkj-$1.out
	run walks-$1 "$ML" walk --svg - $T "$_a"
	emit_file walk-$1.svg /tmp/walks-$1.out
	return 0
}

walk_kind anon "$(size_name $PSZ) page: anonymous memory"
if [ "${MEMLAB_LEVELS:-4}" = 5 ]; then
	golden_text=$(cat <<'G'
pid # (memlab-target), address 0x#
vma 0x#-0x# rw-p (anonymous)
#-level paging

address 0x#
 level pgd p4d pud pmd pte offset
 bits #..# #..# #..# #..# #..# #..#
 binary #bin #bin #bin #bin #bin #bin
 index # # # # # 0x#

+- PGD ---------------------------------------------------------------+
| index # entry 0x# |
| table at physical 0x# |
| @TFLAGS@ |
| -> next table at physical 0x# |
+--------------------------------------------------------------------+
 |
 v
+- P4D ---------------------------------------------------------------+
| index # entry 0x# |
| table at physical 0x# |
| @TFLAGS@ |
| -> next table at physical 0x# |
+--------------------------------------------------------------------+
 |
 v
+- PUD ---------------------------------------------------------------+
| index # entry 0x# |
| table at physical 0x# |
| @TFLAGS@ |
| -> next table at physical 0x# |
+--------------------------------------------------------------------+
 |
 v
+- PMD ---------------------------------------------------------------+
| index # entry 0x# |
| table at physical 0x# |
| @TFLAGS@ |
| -> next table at physical 0x# |
+--------------------------------------------------------------------+
 |
 v
+- PTE ---------------------------------------------------------------+
| index # entry 0x# |
| table at physical 0x# |
| @LFLAGS@ |
+--------------------------------------------------------------------+
 |
 v
+- # KiB page: anonymous memory --------------------------------------+
| pfn 0x# physical address 0x# |
| refcount # mapcount # |
+--------------------------------------------------------------------+
G
)
else
	golden_text=$(cat <<'G'
pid # (memlab-target), address 0x#
vma 0x#-0x# rw-p (anonymous)
#-level paging (the p4d is folded into the pgd)

address 0x#
 level pgd pud pmd pte offset
 bits #..# #..# #..# #..# #..#
 binary #bin #bin #bin #bin #bin
 index # # # # 0x#

+- PGD ---------------------------------------------------------------+
| index # entry 0x# |
| table at physical 0x# |
| @TFLAGS@ |
| -> next table at physical 0x# |
+--------------------------------------------------------------------+
 |
 v
+- PUD ---------------------------------------------------------------+
| index # entry 0x# |
| table at physical 0x# |
| @TFLAGS@ |
| -> next table at physical 0x# |
+--------------------------------------------------------------------+
 |
 v
+- PMD ---------------------------------------------------------------+
| index # entry 0x# |
| table at physical 0x# |
| @TFLAGS@ |
| -> next table at physical 0x# |
+--------------------------------------------------------------------+
 |
 v
+- PTE ---------------------------------------------------------------+
| index # entry 0x# |
| table at physical 0x# |
| @LFLAGS@ |
+--------------------------------------------------------------------+
 |
 v
+- # KiB page: anonymous memory --------------------------------------+
| pfn 0x# physical address 0x# |
| refcount # mapcount # |
+--------------------------------------------------------------------+
G
)
fi
printf '%s\n' "$golden_text" | golden_flags | golden "walk anon page: golden (root)" /tmp/walk-anon.out
walk_kind thp "$(size_name $THPSZ) page: transparent huge page"
walk_kind hugetlb "$(size_name $HTLBSZ) page: hugetlb"
walk_kind file "$(size_name $PSZ) page: file"
has "walk file page: its file and offset" /tmp/walk-file.out \
	"/tmp/memlab-tool.dat at offset $(printf '%#x' $PSZ)"
walk_kind fileabsent "not present: file page not mapped yet"
has "walk file page not mapped: its offset in the file" /tmp/walk-fileabsent.out \
	"/tmp/memlab-tool.dat at offset $(printf '%#x' $((3 * PSZ)))"
walk_kind swap "not present: swapped out"
walk_kind zero "$(size_name $PSZ) page: the shared zero page"
run colour "$ML" walk --color=always $T "$ANON"
grep -q "$(printf '\033')\[" /tmp/colour.out
tap $? "walk --color=always: ANSI colour"
grep -q "$(printf '\033')" /tmp/walk-anon.out
tap $((!$?)) "walk to a pipe with NO_COLOR: no escape sequence"

# --- maps --------------------------------------------------------------------
run maps "$ML" maps $T
expect_rc "maps" 0
head -n 2 /tmp/maps.out >/tmp/maps.head
golden "maps: header golden" /tmp/maps.head <<'G'
#: memlab-target
Address Kbytes RSS Dirty Swap Mode Present Swapped THP Zero KSM Mapping
G
# maps_row KIND: the row of the mapping that holds the KIND address.
maps_row() {
	_a=$(addr_of "$1" /tmp/t1.out)
	[ -n "$_a" ] || return
	awk -v a=$((_a)) 'NR > 2 && NF >= 12 {
		s = 0; for (i = 1; i <= length($1); i++)
			s = s * 16 + index("0123456789abcdef", substr($1, i, 1)) - 1
		if (a >= s && a < s + $2 * 1024) { print; exit }
	}' /tmp/maps.out
}
col() { echo "$1" | awk -v c="$2" '{ print $c }'; }
row=$(maps_row thp)
note "thp row: $row"
[ -n "$row" ] && [ "$(col "$row" 9)" -ge $((THPSZ / PSZ)) ]
tap $? "maps: the THP mapping counts $((THPSZ / PSZ)) or more THP pages"
row=$(maps_row zero)
note "zero row: $row"
[ -n "$row" ] && [ "$(col "$row" 10)" -eq 1 ] && [ "$(col "$row" 7)" -eq 1 ]
tap $? "maps: the zero page mapping counts 1 present zero page"
row=$(maps_row swap)
note "swap row: $row"
[ -n "$row" ] && [ "$(col "$row" 8)" -eq 1 ]
tap $? "maps: the swapped page's mapping counts 1 swapped page"
row=$(maps_row hugetlb)
note "hugetlb row: $row"
[ -n "$row" ] && [ "$(col "$row" 7)" -eq $((HTLBSZ / PSZ)) ]
tap $? "maps: the hugetlb mapping counts $((HTLBSZ / PSZ)) present $(size_name $PSZ) pages"
has "maps: the file mapping names its file" /tmp/maps.out ' /tmp/memlab-tool.dat$'
run mapsj "$ML" maps --json $T
expect_rc "maps --json" 0
emit_file maps.json /tmp/mapsj.out
emit_file target-addresses /tmp/t1.out

# --- maptest -----------------------------------------------------------------
run maptest "$ML" maptest
expect_rc "maptest" 0
golden "maptest: golden" /tmp/maptest.out <<'G'
/proc/maptest: # pages (# bytes), mapped at 0x# (PROT_READ, MAP_SHARED)
banner: memlab maptest: this text was written by the kernel
page #: memlab maptest: this text was written by the kernel
page #: page # of #, line #: memlab maptest text
G
run maptext "$ML" maptest --text
tail -n +3 /tmp/maptext.out >/tmp/maptext.body
cat /proc/maptest >/tmp/maptest.read
cmp -s /tmp/maptext.body /tmp/maptest.read
tap $? "maptest --text: the mapping holds what read() returns"

# --- errors ------------------------------------------------------------------
run efault "$ML" read $T "$HOLE" 4
expect_rc "EFAULT: an address in a hole" 6
golden "EFAULT: golden, with the nearest mappings" /tmp/efault.err <<'G'
memlab: cannot read 0x# in process #: the address is not mapped
 nearest mapping below: 0x#-0x# rw-p (anonymous)
 nearest mapping above: 0x#-0x# rw-p (anonymous)
 fix: choose an address inside a mapping: memlab maps #
G
run efaultw "$ML" walk $T "$HOLE"
expect_rc "EFAULT: walk of a hole" 6
run esrch "$ML" read 99999 0x1000
expect_rc "ESRCH: no such process" 5
golden "ESRCH: golden" /tmp/esrch.err <<'G'
memlab: no such process: # (or it has no memory: a kernel thread or a zombie)
 fix: list processes with ps -e
G
run noname "$ML" read no-such-process 0x1000
expect_rc "no process of that name" 5
golden "no process of that name: golden" /tmp/noname.err <<'G'
memlab: no such process: no-such-process
 fix: give a PID or a process name that ps -e lists
G
run noregion "$ML" read $T 'nosuch.so+0x10' 4
expect_rc "unknown region" 2
has "unknown region: lists the regions" /tmp/noregion.err '^  \[stack\]$'
if start_target /tmp/t2.out; then
	T2=$tpid
	run ambiguous "$ML" read memlab-target "$ANON" 4
	expect_rc "a name that matches two processes" 5
	sort /tmp/ambiguous.err >/tmp/ambiguous.sorted
	golden "a name that matches two processes: golden" /tmp/ambiguous.sorted <<'G'
 # /memlab/bin/tool/memlab-target /tmp/t1.out
 # /memlab/bin/tool/memlab-target /tmp/t2.out
 fix: give the PID of the one you mean
memlab: # processes are named memlab-target:
G
	kill $T2
	wait $T2 2>/dev/null
else
	tap 1 "a second memlab-target starts"
fi

# --- as nobody: the ptrace rule, and what the unprivileged see ----------------
run eacces "$RUNAS" $NOBODY $NOBODY "$ML" read $T "$ANON" 4
expect_rc "EACCES: nobody reads root's process" 4
golden "EACCES: golden, which rule refused" /tmp/eacces.err <<'G'
memlab: the ptrace rule refused access to process #
 it is not yours: your real uid # and gid # must equal its real, effective and saved uids (# # #) and gids (# # #)
 memlab may read a process only in its own thread group, with CAP_SYS_PTRACE, or when it is yours and dumpable (as /proc/PID/mem)
 fix: run memlab as the process's owner, or with sudo
G
kill $T
wait $T 2>/dev/null

if start_target /tmp/t3.out "$RUNAS" $NOBODY $NOBODY; then
	T3=$tpid
	A3=$(addr_of anon /tmp/t3.out)
	run nbread "$RUNAS" $NOBODY $NOBODY "$ML" read $T3 "$A3" 8
	expect_rc "nobody reads nobody's process" 0
	run nbwalk "$RUNAS" $NOBODY $NOBODY "$ML" walk $T3 "$A3"
	expect_rc "nobody walks nobody's process" 0
	has "nobody's walk: the pfn needs root" /tmp/nbwalk.out 'pfn hidden (needs root)'
	has "nobody's walk: table addresses need root" /tmp/nbwalk.out \
		'next table (its physical address needs root)'
	if [ "${MEMLAB_LEVELS:-4}" = 5 ]; then
		golden_text=$(cat <<'G'
pid # (memlab-target), address 0x#
vma 0x#-0x# rw-p (anonymous)
#-level paging

address 0x#
 level pgd p4d pud pmd pte offset
 bits #..# #..# #..# #..# #..# #..#
 binary #bin #bin #bin #bin #bin #bin
 index # # # # # 0x#

+- PGD ---------------------------------------------------------------+
| index # entry 0x# |
| @TFLAGS@ |
| -> next table (its physical address needs root) |
+--------------------------------------------------------------------+
 |
 v
+- P4D ---------------------------------------------------------------+
| index # entry 0x# |
| @TFLAGS@ |
| -> next table (its physical address needs root) |
+--------------------------------------------------------------------+
 |
 v
+- PUD ---------------------------------------------------------------+
| index # entry 0x# |
| @TFLAGS@ |
| -> next table (its physical address needs root) |
+--------------------------------------------------------------------+
 |
 v
+- PMD ---------------------------------------------------------------+
| index # entry 0x# |
| @TFLAGS@ |
| -> next table (its physical address needs root) |
+--------------------------------------------------------------------+
 |
 v
+- PTE ---------------------------------------------------------------+
| index # entry 0x# |
| @LFLAGS@ |
+--------------------------------------------------------------------+
 |
 v
+- # KiB page: anonymous memory --------------------------------------+
| pfn hidden (needs root); offset in page 0x# |
| refcount # mapcount # |
+--------------------------------------------------------------------+
G
	)
	else
		golden_text=$(cat <<'G'
pid # (memlab-target), address 0x#
vma 0x#-0x# rw-p (anonymous)
#-level paging (the p4d is folded into the pgd)

address 0x#
 level pgd pud pmd pte offset
 bits #..# #..# #..# #..# #..#
 binary #bin #bin #bin #bin #bin
 index # # # # 0x#

+- PGD ---------------------------------------------------------------+
| index # entry 0x# |
| @TFLAGS@ |
| -> next table (its physical address needs root) |
+--------------------------------------------------------------------+
 |
 v
+- PUD ---------------------------------------------------------------+
| index # entry 0x# |
| @TFLAGS@ |
| -> next table (its physical address needs root) |
+--------------------------------------------------------------------+
 |
 v
+- PMD ---------------------------------------------------------------+
| index # entry 0x# |
| @TFLAGS@ |
| -> next table (its physical address needs root) |
+--------------------------------------------------------------------+
 |
 v
+- PTE ---------------------------------------------------------------+
| index # entry 0x# |
| @LFLAGS@ |
+--------------------------------------------------------------------+
 |
 v
+- # KiB page: anonymous memory --------------------------------------+
| pfn hidden (needs root); offset in page 0x# |
| refcount # mapcount # |
+--------------------------------------------------------------------+
G
	)
	fi
	printf '%s\n' "$golden_text" | golden_flags | golden "walk anon page: golden (nobody)" /tmp/nbwalk.out
	run nbjson "$RUNAS" $NOBODY $NOBODY "$ML" walk --json $T3 "$A3"
	emit_file walk-nobody.json /tmp/nbjson.out
	run nbmaps "$RUNAS" $NOBODY $NOBODY "$ML" maps $T3
	expect_rc "nobody: maps of nobody's process" 0
	has "nobody: maps says what needs root" /tmp/nbmaps.out 'Zero needs root'
	kill $T3
	wait $T3 2>/dev/null
else
	tap 1 "memlab-target starts as nobody"
fi

rc=0
rmmod maptest || rc=1
rmmod mtest || rc=1
tap $rc "rmmod maptest mtest"
