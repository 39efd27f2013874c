// SPDX-License-Identifier: GPL-2.0-only
/*
 * memlab-bench: time /proc/mtest and /proc/maptest against the kernel's own
 * interfaces (/proc/PID/mem, process_vm_readv/writev, ptrace, pagemap, memfd
 * and anonymous memory), all in one process of one guest.
 *
 * Every entry is checked once for the right answer, warmed up while the
 * iteration count is calibrated, then timed in repeated trials. The trials of
 * the entries of one row are interleaved, so a ratio compares numbers taken
 * at the same moment: ratio = memlab time / reference time of the same trial,
 * reported as the median and the min-max over the trials.
 *
 * Output: a table, then the same numbers as JSON with every line prefixed by
 * "MEMLAB-BENCH-JSON: " so that tests/bench.sh can cut it out of a
 * console log. Nothing here passes or fails on timing.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include "memlab.h"

/*
 * 4 KiB: one full "r" and the unit of the mappings compared, whatever the
 * machine's page size (b.psz), which only pagemap's index needs.
 */
#define BENCH_PAGE		4096UL
#define BENCH_BIG_PAGES		MAPTEST_PAGES_MAX
#define BENCH_MAX_ENTRIES	8
#define BENCH_MAX_TRIALS	31
#define BENCH_JSON_PREFIX	"MEMLAB-BENCH-JSON: "
/* The byte at the start of the target buffer; the rest follows a pattern. */
#define BENCH_FIRST_BYTE	42
#define BENCH_POKE_BYTE		0x5a

#define NEED_MTEST	1
#define NEED_MAPTEST	2

struct bench_entry {
	const char *id;			/* JSON key */
	const char *kind;		/* "memlab", "part" (of memlab) or "ref" */
	const char *label;
	int (*op)(void);		/* one operation: 0, or -1 with errno */
	int (*check)(void);		/* proves the op does the job: 0 or -1 */
	int need;
	/* results */
	int err;			/* errno that stopped the entry, or 0 */
	const char *why;		/* what failed */
	unsigned long iters;		/* operations per trial */
	double ns[BENCH_MAX_TRIALS];	/* ns per operation, per trial */
	double med, min, max;
	double faults;			/* minor page faults per op */
	double insn, kinsn;		/* instructions per op, all / kernel */
};

struct bench_row {
	const char *id;
	const char *title;
	const char *target_ref;		/* id of the target reference */
	double target;			/* ratio bound for entry 0, 0 for none */
	unsigned long bytes;		/* bytes per op of a bandwidth row */
	struct bench_entry e[BENCH_MAX_ENTRIES];
	int skip;			/* not asked for (-r), set at run time */
};

static struct {
	pid_t target;			/* blocked on a pipe: r, w, t, mem */
	int target_pipe;
	pid_t tracee;			/* ptrace-stopped: PEEK/POKE */
	unsigned char *buf;		/* 3 pages, same address in both */
	unsigned char *rd;		/* buf: what reads read */
	unsigned char *wr;		/* buf + 1 page: what writes write */
	unsigned char *zero;		/* buf + 2 pages: zero bytes */
	unsigned char *big;		/* MTEST_RAW_MAX, same address in both */
	unsigned char *big_out;		/* where the 1 MiB reads land */
	int mtest;			/* /proc/mtest, O_RDWR */
	int mem;			/* /proc/TARGET/mem, O_RDWR */
	int pagemap;			/* /proc/TARGET/pagemap */
	int maptest;			/* /proc/maptest */
	int memfd;			/* BENCH_BIG_PAGES pages */
	int devzero;
	char r1[64], r4k[64], r4k0[64], w1[64], t[64], tnone[64], bad[4];
	char raw1m[64];
	size_t r1_len, r4k_len, r4k0_len, w1_len, t_len, tnone_len;
	size_t raw1m_len;
	char res[MTEST_RESULT_MAX + 1];
	char expect_r4k[MTEST_RESULT_MAX + 1];
	unsigned char tmp[BENCH_PAGE];
	const uint64_t *bw_maptest;
	uint64_t *bw_anon;
	volatile uint64_t sink;
	int have;			/* NEED_* that are present */
	int perf_all, perf_kernel;	/* instruction counters or -1 */
	int trials;
	double trial_ns;
	unsigned long psz;		/* this machine's page size */
} b = { .mtest = -1, .mem = -1, .pagemap = -1, .maptest = -1, .memfd = -1,
	.devzero = -1, .perf_all = -1, .perf_kernel = -1 };

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int want(ssize_t got, size_t len)
{
	if (got == (ssize_t)len)
		return 0;
	if (got >= 0)
		errno = EIO;
	return -1;
}

/* ---- /proc/mtest ---- */

static int mtest_cmd(const char *cmd, size_t len)
{
	return want(write(b.mtest, cmd, len), len);
}

/* Read the whole result text from offset 0; it ends with "\n". */
static ssize_t mtest_result(void)
{
	size_t off = 0;
	ssize_t n;

	do {
		n = pread(b.mtest, b.res + off, sizeof(b.res) - 1 - off, off);
		if (n < 0)
			return -1;
		off += n;
	} while (n > 0 && b.res[off - 1] != '\n' && off < sizeof(b.res) - 1);
	b.res[off] = '\0';
	return off;
}

/* What memlab does for r and t: the command, then the whole result. */
static int mtest_cmd_result(const char *cmd, size_t len)
{
	if (mtest_cmd(cmd, len))
		return -1;
	return mtest_result() > 0 ? 0 : -1;
}

/* A command that must fail with @err, for the cost of the refusal alone. */
static int mtest_refused(const char *cmd, size_t len, int err)
{
	if (write(b.mtest, cmd, len) >= 0) {
		errno = EIO;
		return -1;
	}
	return errno == err ? 0 : -1;
}

static int op_mtest_r1(void)
{
	return mtest_cmd_result(b.r1, b.r1_len);
}

static int op_mtest_r1_cmd(void)
{
	return mtest_cmd(b.r1, b.r1_len);
}

static int op_mtest_result(void)
{
	return mtest_result() > 0 ? 0 : -1;
}

static int op_mtest_einval(void)
{
	return mtest_refused(b.bad, strlen(b.bad), EINVAL);
}

/* The seed's way: every command and every result on a fresh open. */
static int op_mtest_r1_seed(void)
{
	ssize_t n;
	int fd;

	fd = open(MEMLAB_MTEST_PATH, O_WRONLY);
	if (fd < 0)
		return -1;
	n = write(fd, b.r1, b.r1_len);
	close(fd);
	if (want(n, b.r1_len))
		return -1;
	fd = open(MEMLAB_MTEST_PATH, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, b.res, sizeof(b.res) - 1);
	close(fd);
	if (n <= 0)
		return n ? -1 : (errno = EIO, -1);
	b.res[n] = '\0';
	return 0;
}

static int check_mtest_r1(void)
{
	char want_txt[8];

	snprintf(want_txt, sizeof(want_txt), "%d\n", BENCH_FIRST_BYTE);
	return strcmp(b.res, want_txt) ? (errno = EIO, -1) : 0;
}

static int op_mtest_w1(void)
{
	return mtest_cmd(b.w1, b.w1_len);
}

static int check_target_poked(void)
{
	unsigned char c = 0;

	if (want(pread(b.mem, &c, 1, (uintptr_t)b.wr), 1))
		return -1;
	if (c != BENCH_POKE_BYTE) {
		errno = EIO;
		return -1;
	}
	/* Undo it, so that the next check sees the next write. */
	c = 0;
	return want(pwrite(b.mem, &c, 1, (uintptr_t)b.wr), 1);
}

static int op_mtest_r4k(void)
{
	return mtest_cmd_result(b.r4k, b.r4k_len);
}

static int op_mtest_r4k_cmd(void)
{
	return mtest_cmd(b.r4k, b.r4k_len);
}

/* The same on zero bytes: "0 " per byte, 8 KiB of text instead of ~14. */
static int op_mtest_r4k0(void)
{
	return mtest_cmd_result(b.r4k0, b.r4k0_len);
}

static int check_mtest_r4k0(void)
{
	return strlen(b.res) == 2 * BENCH_PAGE && !strncmp(b.res, "0 0 ", 4) ?
		0 : (errno = EIO, -1);
}

static int check_mtest_r4k(void)
{
	return strcmp(b.res, b.expect_r4k) ? (errno = EIO, -1) : 0;
}

/* What memlab read does per MiB: one R, then pread of the bytes into place. */
static int op_mtest_raw1m(void)
{
	size_t got = 0;
	ssize_t n;

	if (mtest_cmd(b.raw1m, b.raw1m_len))
		return -1;
	while (got < MTEST_RAW_MAX) {
		n = pread(b.mtest, b.big_out + got, MTEST_RAW_MAX - got, got);
		if (n <= 0)
			return n ? -1 : (errno = EIO, -1);
		got += n;
	}
	return 0;
}

static int op_mtest_raw1m_cmd(void)
{
	return mtest_cmd(b.raw1m, b.raw1m_len);
}

static int op_mtest_raw1m_result(void)
{
	return want(pread(b.mtest, b.big_out, MTEST_RAW_MAX, 0),
		    MTEST_RAW_MAX);
}

/* Every check of the 1 MiB row starts from a cleared buffer. */
static int check_big(void)
{
	int bad = memcmp(b.big_out, b.big, MTEST_RAW_MAX);

	memset(b.big_out, 0, MTEST_RAW_MAX);
	return bad ? (errno = EIO, -1) : 0;
}

static int op_mtest_t(void)
{
	return mtest_cmd_result(b.t, b.t_len);
}

static int op_mtest_t_cmd(void)
{
	return mtest_cmd(b.t, b.t_len);
}

/* Everything but the walk and the text: an address in no VMA. */
static int op_mtest_t_efault(void)
{
	return mtest_refused(b.tnone, b.tnone_len, EFAULT);
}

static int check_mtest_t(void)
{
	return strstr(b.res, "present: 1\n") ? 0 : (errno = EIO, -1);
}

/* ---- the kernel's own interfaces ---- */

static int op_mem_pread1(void)
{
	return want(pread(b.mem, b.tmp, 1, (uintptr_t)b.rd), 1);
}

static int op_mem_open_pread1(void)
{
	char path[32];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/mem", b.target);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = pread(fd, b.tmp, 1, (uintptr_t)b.rd);
	close(fd);
	return want(n, 1);
}

static int check_tmp_first(void)
{
	return b.tmp[0] == BENCH_FIRST_BYTE ? 0 : (errno = EIO, -1);
}

/* @len bytes at @src in the target into @dst, by process_vm_readv. */
static int pvm_read(void *dst, void *src, size_t len)
{
	struct iovec local = { dst, len };
	struct iovec remote = { src, len };

	return want(process_vm_readv(b.target, &local, 1, &remote, 1, 0), len);
}

static int op_pvm_read1m(void)
{
	return pvm_read(b.big_out, b.big, MTEST_RAW_MAX);
}

static int op_mem_pread1m(void)
{
	return want(pread(b.mem, b.big_out, MTEST_RAW_MAX, (uintptr_t)b.big),
		    MTEST_RAW_MAX);
}

static int op_pvm_read1(void)
{
	return pvm_read(b.tmp, b.rd, 1);
}

/* The word at @addr in the stopped tracee: 0, or -1 with errno. */
static int peek(void *addr, long *word)
{
	errno = 0;
	*word = ptrace(PTRACE_PEEKDATA, b.tracee, addr, NULL);
	return *word == -1 && errno ? -1 : 0;
}

static int op_peek(void)
{
	long word;

	if (peek(b.rd, &word))
		return -1;
	b.tmp[0] = word & 0xff;
	return 0;
}

static int op_devzero(void)
{
	return want(pread(b.devzero, b.tmp, 1, 0), 1);
}

static int op_mem_pwrite1(void)
{
	unsigned char c = BENCH_POKE_BYTE;

	return want(pwrite(b.mem, &c, 1, (uintptr_t)b.wr), 1);
}

static int op_pvm_write1(void)
{
	unsigned char c = BENCH_POKE_BYTE;
	struct iovec local = { &c, 1 };
	struct iovec remote = { b.wr, 1 };

	return want(process_vm_writev(b.target, &local, 1, &remote, 1, 0), 1);
}

static int op_poke(void)
{
	return ptrace(PTRACE_POKEDATA, b.tracee, b.wr,
		      (void *)(long)BENCH_POKE_BYTE) ? -1 : 0;
}

static int check_tracee_poked(void)
{
	long word;

	if (peek(b.wr, &word))
		return -1;
	return word == BENCH_POKE_BYTE ? 0 : (errno = EIO, -1);
}

static int op_mem_pread4k(void)
{
	return want(pread(b.mem, b.tmp, BENCH_PAGE, (uintptr_t)b.rd),
		    BENCH_PAGE);
}

static int op_pvm_read4k(void)
{
	return pvm_read(b.tmp, b.rd, BENCH_PAGE);
}

static int check_tmp_page(void)
{
	return memcmp(b.tmp, b.rd, BENCH_PAGE) ? (errno = EIO, -1) : 0;
}

static int op_pagemap(void)
{
	off_t off = (uintptr_t)b.rd / b.psz * sizeof(uint64_t);

	return want(pread(b.pagemap, b.tmp, sizeof(uint64_t), off),
		    sizeof(uint64_t));
}

static int check_pagemap(void)
{
	uint64_t e;

	memcpy(&e, b.tmp, sizeof(e));
	return e >> 63 ? 0 : (errno = EIO, -1);	/* bit 63: present */
}

/* ---- mappings ---- */

static int map_touch_unmap(int fd, size_t pages, int prot, int flags,
			   int write_touch)
{
	size_t len = pages * BENCH_PAGE, i;
	unsigned char *p;
	uint64_t s = 0;

	p = mmap(NULL, len, prot, flags, fd, 0);
	if (p == MAP_FAILED)
		return -1;
	/*
	 * 4 KiB pages like maptest's: without this, 6.7+ aligns a large
	 * anonymous mapping to 2 MiB and maps the huge zero page or a THP.
	 */
	if (fd < 0 && madvise(p, len, MADV_NOHUGEPAGE))
		return -1;
	for (i = 0; i < len; i += BENCH_PAGE) {
		if (write_touch)
			((volatile unsigned char *)p)[i] = 1;
		else
			s += ((volatile unsigned char *)p)[i];
	}
	/* Page 0 of maptest starts with the banner; keep it for the check. */
	memcpy(b.tmp, p, sizeof(MAPTEST_BANNER));
	b.sink += s;
	return munmap(p, len);
}

#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)
#define RW (PROT_READ | PROT_WRITE)

static int op_maptest_1(void)
{
	return map_touch_unmap(b.maptest, 1, PROT_READ, MAP_SHARED, 0);
}

static int op_memfd_1(void)
{
	return map_touch_unmap(b.memfd, 1, PROT_READ, MAP_SHARED, 0);
}

static int op_anon_r_1(void)
{
	return map_touch_unmap(-1, 1, RW, ANON, 0);
}

static int op_anon_w_1(void)
{
	return map_touch_unmap(-1, 1, RW, ANON, 1);
}

static int op_maptest_big(void)
{
	return map_touch_unmap(b.maptest, BENCH_BIG_PAGES, PROT_READ,
			       MAP_SHARED, 0);
}

static int op_memfd_big(void)
{
	return map_touch_unmap(b.memfd, BENCH_BIG_PAGES, PROT_READ,
			       MAP_SHARED, 0);
}

static int op_anon_r_big(void)
{
	return map_touch_unmap(-1, BENCH_BIG_PAGES, RW, ANON, 0);
}

static int op_anon_w_big(void)
{
	return map_touch_unmap(-1, BENCH_BIG_PAGES, RW, ANON, 1);
}

static int check_banner(void)
{
	return memcmp(b.tmp, MAPTEST_BANNER "\n", sizeof(MAPTEST_BANNER)) ?
		(errno = EIO, -1) : 0;
}

static __attribute__((noinline)) uint64_t sum_words(const uint64_t *p,
						    size_t n)
{
	uint64_t s = 0;
	size_t i;

	for (i = 0; i < n; i++)
		s += p[i];
	return s;
}

#define BW_WORDS (BENCH_BIG_PAGES * BENCH_PAGE / sizeof(uint64_t))

static int op_bw_maptest(void)
{
	if (!b.bw_maptest)
		return (errno = ENODEV, -1);
	b.sink += sum_words(b.bw_maptest, BW_WORDS);
	return 0;
}

static int op_bw_anon(void)
{
	b.sink += sum_words(b.bw_anon, BW_WORDS);
	return 0;
}

/* ---- the table ---- */

#define E(i, k, l, o, c, n) { .id = i, .kind = k, .label = l, .op = o, \
			      .check = c, .need = n }

static struct bench_row rows[] = {
	{ "read1", "read 1 byte of another process", "mem_pread", 1.0, 0, {
		E("mtest_r", "memlab", "r command + pread of the result",
		  op_mtest_r1, check_mtest_r1, NEED_MTEST),
		E("mtest_r_cmd", "part", "write of the r command alone",
		  op_mtest_r1_cmd, NULL, NEED_MTEST),
		E("mtest_result", "part", "pread of the result alone",
		  op_mtest_result, check_mtest_r1, NEED_MTEST),
		E("mtest_einval", "part", "malformed command (EINVAL)",
		  op_mtest_einval, NULL, NEED_MTEST),
		E("mem_pread", "ref", "pread of /proc/PID/mem",
		  op_mem_pread1, check_tmp_first, 0),
		E("pvm_readv", "ref", "process_vm_readv",
		  op_pvm_read1, check_tmp_first, 0),
		E("peekdata", "ref", "PTRACE_PEEKDATA, stopped tracee",
		  op_peek, check_tmp_first, 0),
		E("syscall", "ref", "pread of /dev/zero (syscall floor)",
		  op_devzero, NULL, 0),
	}, 0 },
	{ "read1_seed", "read 1 byte, the seed's way", "mem_pread", 0, 0, {
		E("mtest_r_seed", "memlab", "open,write,close,open,read,close",
		  op_mtest_r1_seed, check_mtest_r1, NEED_MTEST),
		E("mem_pread", "ref", "pread of /proc/PID/mem",
		  op_mem_pread1, check_tmp_first, 0),
		E("pvm_readv", "ref", "process_vm_readv",
		  op_pvm_read1, check_tmp_first, 0),
		E("peekdata", "ref", "PTRACE_PEEKDATA, stopped tracee",
		  op_peek, check_tmp_first, 0),
		E("mem_open_pread", "ref", "open,pread,close of /proc/PID/mem",
		  op_mem_open_pread1, check_tmp_first, 0),
	}, 0 },
	{ "write1", "write 1 byte", "mem_pwrite", 1.0, 0, {
		E("mtest_w", "memlab", "w command",
		  op_mtest_w1, check_target_poked, NEED_MTEST),
		E("mem_pwrite", "ref", "pwrite of /proc/PID/mem",
		  op_mem_pwrite1, check_target_poked, 0),
		E("pvm_writev", "ref", "process_vm_writev",
		  op_pvm_write1, check_target_poked, 0),
		E("pokedata", "ref", "PTRACE_POKEDATA (a word), stopped tracee",
		  op_poke, check_tracee_poked, 0),
	}, 0 },
	{ "read4096", "read 4096 bytes", "pvm_readv", 2.0, 0, {
		E("mtest_r4096", "memlab", "r 4096 + pread of the text",
		  op_mtest_r4k, check_mtest_r4k, NEED_MTEST),
		E("mtest_r4096_cmd", "part", "write of the r 4096 command alone",
		  op_mtest_r4k_cmd, NULL, NEED_MTEST),
		E("mtest_result", "part", "pread of the 4096-byte text alone",
		  op_mtest_result, check_mtest_r4k, NEED_MTEST),
		E("mtest_r4096_zero", "part", "r 4096 + pread, zero bytes (8 KiB text)",
		  op_mtest_r4k0, check_mtest_r4k0, NEED_MTEST),
		E("pvm_readv", "ref", "process_vm_readv",
		  op_pvm_read4k, check_tmp_page, 0),
		E("mem_pread", "ref", "pread of /proc/PID/mem",
		  op_mem_pread4k, check_tmp_page, 0),
	}, 0 },
	{ "read1m", "read 1 MiB (memlab read --raw's way)", "pvm_readv", 0.5,
	  MTEST_RAW_MAX, {
		E("mtest_raw1m", "memlab", "R 1048576 + pread of the bytes",
		  op_mtest_raw1m, check_big, NEED_MTEST),
		E("mtest_raw1m_cmd", "part", "write of the R command alone",
		  op_mtest_raw1m_cmd, NULL, NEED_MTEST),
		E("mtest_raw1m_result", "part", "pread of the 1 MiB result alone",
		  op_mtest_raw1m_result, check_big, NEED_MTEST),
		E("pvm_readv", "ref", "process_vm_readv",
		  op_pvm_read1m, check_big, 0),
		E("mem_pread", "ref", "pread of /proc/PID/mem",
		  op_mem_pread1m, check_big, 0),
	}, 0 },
	{ "translate", "translate one address", "pagemap", 2.0, 0, {
		E("mtest_t", "memlab", "t command + pread of the result",
		  op_mtest_t, check_mtest_t, NEED_MTEST),
		E("mtest_t_cmd", "part", "write of the t command alone",
		  op_mtest_t_cmd, NULL, NEED_MTEST),
		E("mtest_result", "part", "pread of the t result alone",
		  op_mtest_result, check_mtest_t, NEED_MTEST),
		E("mtest_t_efault", "part", "t of an address in no VMA (EFAULT)",
		  op_mtest_t_efault, NULL, NEED_MTEST),
		E("pagemap", "ref", "pread of 8 bytes of /proc/PID/pagemap",
		  op_pagemap, check_pagemap, 0),
	}, 0 },
	{ "map1", "map 1 page, touch it, unmap", "memfd_mmap", 0, 0, {
		E("maptest_mmap", "memlab", "mmap of /proc/maptest",
		  op_maptest_1, check_banner, NEED_MAPTEST),
		E("memfd_mmap", "ref", "mmap of a memfd",
		  op_memfd_1, NULL, 0),
		E("anon_mmap", "ref", "anonymous, no THP, read touch (zero page)",
		  op_anon_r_1, NULL, 0),
		E("anon_mmap_w", "ref", "anonymous, no THP, write touch",
		  op_anon_w_1, NULL, 0),
	}, 0 },
	{ "map1024", "map 1024 pages, touch every page, unmap",
	  "memfd_mmap", 1.2, 0, {
		E("maptest_mmap", "memlab", "mmap of /proc/maptest",
		  op_maptest_big, check_banner, NEED_MAPTEST),
		E("memfd_mmap", "ref", "mmap of a memfd",
		  op_memfd_big, NULL, 0),
		E("anon_mmap", "ref", "anonymous, no THP, read touch (zero page)",
		  op_anon_r_big, NULL, 0),
		E("anon_mmap_w", "ref", "anonymous, no THP, write touch",
		  op_anon_w_big, NULL, 0),
	}, 0 },
	{ "read_bw", "sequential read of the mapped 1024 pages", "anon_read", 0.9,
	  BENCH_BIG_PAGES * BENCH_PAGE, {
		E("maptest_read", "memlab", "the /proc/maptest mapping",
		  op_bw_maptest, NULL, NEED_MAPTEST),
		E("anon_read", "ref", "anonymous memory (no THP)",
		  op_bw_anon, NULL, 0),
	}, 0 },
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define NROWS ARRAY_SIZE(rows)

/* ---- measuring ---- */

static int nentries(const struct bench_row *r)
{
	int n = 0;

	while (n < BENCH_MAX_ENTRIES && r->e[n].op)
		n++;
	return n;
}

/* The row's target reference: the "ref" entry named by target_ref. */
static const struct bench_entry *ref_of(const struct bench_row *r)
{
	int i;

	for (i = 0; i < nentries(r); i++)
		if (!strcmp(r->e[i].kind, "ref") &&
		    !strcmp(r->e[i].id, r->target_ref))
			return &r->e[i];
	fprintf(stderr, "memlab-bench: row %s has no reference %s\n", r->id,
		r->target_ref);
	exit(1);
}

static void fail(struct bench_entry *e, const char *why)
{
	if (e->err)
		return;
	e->err = errno ? errno : EIO;
	e->why = why;
}

/* Run n operations; the time they took in ns, or -1. */
static double run(struct bench_entry *e, unsigned long n)
{
	double t0 = now_ns();
	unsigned long i;

	for (i = 0; i < n; i++) {
		if (e->op()) {
			fail(e, "operation failed");
			return -1;
		}
	}
	return now_ns() - t0;
}

static void check(struct bench_entry *e)
{
	if ((e->need & b.have) != e->need) {
		errno = ENOENT;
		fail(e, e->need & NEED_MTEST ? "no " MEMLAB_MTEST_PATH :
		     "no " MEMLAB_MAPTEST_PATH);
		return;
	}
	errno = 0;
	if (e->op()) {
		fail(e, "operation failed");
		return;
	}
	if (e->check && e->check())
		fail(e, "wrong answer");
}

/* Warm up: double the count until a run lasts a quarter of a trial. */
static void calibrate(struct bench_entry *e)
{
	unsigned long n = 1;
	double t;

	for (;;) {
		t = run(e, n);
		if (t < 0)
			return;
		if (t >= b.trial_ns / 4 || n >= 1UL << 30)
			break;
		n *= 2;
	}
	e->iters = n * b.trial_ns / (t > 1 ? t : 1);
	if (e->iters < 1)
		e->iters = 1;
}

static int cmp_double(const void *a, const void *c)
{
	double x = *(const double *)a, y = *(const double *)c;

	return x < y ? -1 : x > y;
}

static void stats(const double *v, int n, double *med, double *min,
		  double *max)
{
	double s[BENCH_MAX_TRIALS];

	memcpy(s, v, n * sizeof(*v));
	qsort(s, n, sizeof(*s), cmp_double);
	*min = s[0];
	*max = s[n - 1];
	*med = n & 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

static int perf_open(int kernel_only)
{
	struct perf_event_attr a;

	memset(&a, 0, sizeof(a));
	a.type = PERF_TYPE_HARDWARE;
	a.size = sizeof(a);
	a.config = PERF_COUNT_HW_INSTRUCTIONS;
	a.disabled = 1;
	a.exclude_hv = 1;
	a.exclude_user = kernel_only;
	return syscall(SYS_perf_event_open, &a, 0, -1, -1, 0);
}

static long minflt(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

/* Page faults and, where the CPU counts them, instructions per op. */
static void count(struct bench_entry *e)
{
	unsigned long n = e->iters / 4 ? e->iters / 4 : 1;
	uint64_t all = 0, kern = 0;
	long f0;

	e->insn = e->kinsn = -1;
	if (b.perf_all >= 0) {
		ioctl(b.perf_all, PERF_EVENT_IOC_RESET, 0);
		ioctl(b.perf_kernel, PERF_EVENT_IOC_RESET, 0);
		ioctl(b.perf_all, PERF_EVENT_IOC_ENABLE, 0);
		ioctl(b.perf_kernel, PERF_EVENT_IOC_ENABLE, 0);
	}
	f0 = minflt();
	if (run(e, n) < 0)
		return;
	e->faults = (double)(minflt() - f0) / n;
	if (b.perf_all >= 0) {
		ioctl(b.perf_all, PERF_EVENT_IOC_DISABLE, 0);
		ioctl(b.perf_kernel, PERF_EVENT_IOC_DISABLE, 0);
		if (read(b.perf_all, &all, sizeof(all)) == sizeof(all) &&
		    read(b.perf_kernel, &kern, sizeof(kern)) == sizeof(kern)) {
			e->insn = (double)all / n;
			e->kinsn = (double)kern / n;
		}
	}
}

static void measure_row(struct bench_row *r)
{
	int n = nentries(r), i, t;
	double ns;

	for (i = 0; i < n; i++) {
		check(&r->e[i]);
		if (!r->e[i].err)
			calibrate(&r->e[i]);
	}
	/* Interleaved: trial t of every entry runs before trial t + 1. */
	for (t = 0; t < b.trials; t++) {
		for (i = 0; i < n; i++) {
			struct bench_entry *e = &r->e[i];

			if (e->err)
				continue;
			ns = run(e, e->iters);
			if (ns >= 0)
				e->ns[t] = ns / e->iters;
		}
	}
	for (i = 0; i < n; i++) {
		struct bench_entry *e = &r->e[i];

		if (e->err)
			continue;
		stats(e->ns, b.trials, &e->med, &e->min, &e->max);
		count(e);
	}
}

/*
 * Ratio of entry m to reference f, trial by trial: memlab time / reference
 * time, or for a bandwidth row reference time / memlab time (higher is
 * better). Returns 0 when either has no numbers.
 */
static int ratio(const struct bench_row *r, const struct bench_entry *m,
		 const struct bench_entry *f, double *med, double *min,
		 double *max)
{
	double v[BENCH_MAX_TRIALS];
	int t;

	if (m->err || f->err || m == f)
		return 0;
	for (t = 0; t < b.trials; t++)
		v[t] = r->bytes ? f->ns[t] / m->ns[t] : m->ns[t] / f->ns[t];
	stats(v, b.trials, med, min, max);
	return 1;
}

static int target_met(const struct bench_row *r, double med)
{
	return r->bytes ? med >= r->target : med <= r->target;
}

/* ---- output ---- */

static const char *fmt_ns(char *s, size_t len, double ns)
{
	if (ns < 1e3)
		snprintf(s, len, "%.0f ns", ns);
	else if (ns < 1e6)
		snprintf(s, len, "%.2f us", ns / 1e3);
	else
		snprintf(s, len, "%.2f ms", ns / 1e6);
	return s;
}

static void print_entry(const struct bench_row *r, const struct bench_entry *e)
{
	const struct bench_entry *m = &r->e[0], *f = ref_of(r);
	char med[16], min[16], max[16], range[40];
	double q, lo, hi;

	printf("  %-6s %-42s ", e->kind, e->label);
	if (e->err) {
		printf("n/a: %s (%s)\n", e->why, strerror(e->err));
		return;
	}
	snprintf(range, sizeof(range), "[%s - %s]",
		 fmt_ns(min, sizeof(min), e->min), fmt_ns(max, sizeof(max), e->max));
	printf("%10s %-23s", fmt_ns(med, sizeof(med), e->med), range);
	if (r->bytes)
		printf(" %6.2f GB/s", r->bytes / e->med);
	/* memlab lines: vs the target reference; ref lines: memlab vs it. */
	if (strcmp(e->kind, "ref") ? ratio(r, e, f, &q, &lo, &hi) :
	    ratio(r, m, e, &q, &lo, &hi))
		printf(" %6.2fx [%.2f-%.2f]", q, lo, hi);
	if (e == m && r->target > 0 && ratio(r, m, f, &q, &lo, &hi))
		printf(" %s", target_met(r, q) ? "met" : "MISSED");
	putchar('\n');
}

static void print_table(const char *kver, const char *cpu)
{
	const struct bench_row *r;
	size_t i;
	int j;

	printf("=== memlab bench: kernel %s ===\n", kver);
	printf("cpu: %s; %d trials of ~%.0f ms per entry, interleaved\n",
	       cpu, b.trials, b.trial_ns / 1e6);
	printf("time per operation: median [min - max] over the trials\n");
	printf("memlab/part lines: ratio to the row's target reference; ref lines: ratio of the row's memlab line to that reference\n");
	printf("ratio = memlab time / reference time (lower is better); bandwidth rows: memlab bandwidth / reference bandwidth\n");
	for (i = 0; i < NROWS; i++) {
		r = &rows[i];
		if (r->skip)
			continue;
		printf("\n%s", r->title);
		if (r->target > 0)
			printf("  (target: %s %.2fx %s)", r->bytes ? ">=" : "<=",
			       r->target, ref_of(r)->label);
		else
			printf("  (ratios vs %s)", ref_of(r)->label);
		putchar('\n');
		for (j = 0; j < nentries(r); j++)
			print_entry(r, &r->e[j]);
	}
	printf("=== end of memlab bench ===\n");
}

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", *s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

static void json_num(FILE *f, double v)
{
	if (v < 0)
		fputs("null", f);
	else
		fprintf(f, "%.6g", v);
}

static void json_entry(FILE *f, const struct bench_row *r,
		       const struct bench_entry *e)
{
	const char *sep = "";
	double q, lo, hi;
	int t, j;

	fprintf(f, "        {\"id\": ");
	json_str(f, e->id);
	fprintf(f, ", \"kind\": \"%s\", \"label\": ", e->kind);
	json_str(f, e->label);
	if (e->err) {
		fprintf(f, ", \"error\": ");
		json_str(f, e->why);
		fprintf(f, ", \"errno\": ");
		json_str(f, strerror(e->err));
		fputs("}", f);
		return;
	}
	fprintf(f, ",\n         \"iters\": %lu, \"ns_median\": ", e->iters);
	json_num(f, e->med);
	fputs(", \"ns_min\": ", f);
	json_num(f, e->min);
	fputs(", \"ns_max\": ", f);
	json_num(f, e->max);
	fputs(",\n         \"ns_trials\": [", f);
	for (t = 0; t < b.trials; t++) {
		fputs(t ? ", " : "", f);
		json_num(f, e->ns[t]);
	}
	fputs("],\n         \"faults_per_op\": ", f);
	json_num(f, e->faults);
	fputs(", \"insn_per_op\": ", f);
	json_num(f, e->insn);
	fputs(", \"kernel_insn_per_op\": ", f);
	json_num(f, e->kinsn);
	if (strcmp(e->kind, "ref")) {
		fputs(",\n         \"ratios\": {", f);
		for (j = 0; j < nentries(r); j++) {
			const struct bench_entry *g = &r->e[j];

			if (strcmp(g->kind, "ref") ||
			    !ratio(r, e, g, &q, &lo, &hi))
				continue;
			fprintf(f, "%s\"%s\": {\"median\": %.4f, \"min\": %.4f, \"max\": %.4f}",
				sep, g->id, q, lo, hi);
			sep = ", ";
		}
		fputs("}", f);
	}
	fputs("}", f);
}

static void json_row(FILE *f, const struct bench_row *r)
{
	double q, lo, hi;
	int j;

	fprintf(f, "    {\"id\": \"%s\", \"title\": ", r->id);
	json_str(f, r->title);
	fprintf(f, ", \"ratio\": \"%s\",\n     \"target\": ",
		r->bytes ? "memlab bandwidth / reference bandwidth" :
		"memlab time / reference time");
	if (r->target > 0) {
		fprintf(f, "{\"ref\": \"%s\", \"%s\": %.2f, \"met\": ",
			ref_of(r)->id, r->bytes ? "min" : "max",
			r->target);
		if (ratio(r, &r->e[0], ref_of(r), &q, &lo, &hi))
			fprintf(f, "%s, \"ratio\": %.4f}",
				target_met(r, q) ? "true" : "false", q);
		else
			fputs("null}", f);
	} else {
		fputs("null", f);
	}
	if (r->bytes)
		fprintf(f, ", \"bytes_per_op\": %lu", r->bytes);
	fputs(",\n     \"entries\": [\n", f);
	for (j = 0; j < nentries(r); j++) {
		json_entry(f, r, &r->e[j]);
		fputs(j + 1 < nentries(r) ? ",\n" : "\n", f);
	}
	fputs("     ]}", f);
}

static void print_json(const char *kver, const char *cpu, const char *out)
{
	char *text = NULL, *line, *next;
	const char *sep = "";
	size_t len = 0, i;
	FILE *f;

	f = open_memstream(&text, &len);
	if (!f)
		return;
	fprintf(f, "{\n  \"schema\": 1,\n  \"kernel\": ");
	json_str(f, kver);
	fprintf(f, ",\n  \"cpu\": ");
	json_str(f, cpu);
	fprintf(f, ",\n  \"trials\": %d, \"trial_ms\": %.0f,\n", b.trials,
		b.trial_ns / 1e6);
	fprintf(f, "  \"instruction_counts\": %s,\n  \"rows\": [\n",
		b.perf_all >= 0 ? "true" : "false");
	for (i = 0; i < NROWS; i++) {
		if (rows[i].skip)
			continue;
		fputs(sep, f);
		json_row(f, &rows[i]);
		sep = ",\n";
	}
	fputs("\n", f);
	fputs("  ]\n}\n", f);
	fclose(f);

	if (out) {
		FILE *o = fopen(out, "w");

		if (o) {
			fputs(text, o);
			fclose(o);
		} else {
			perror(out);
		}
	}
	for (line = text; *line; line = next) {
		next = strchr(line, '\n');
		*next++ = '\0';
		printf(BENCH_JSON_PREFIX "%s\n", line);
	}
	free(text);
}

/* ---- set-up ---- */

static pid_t spawn_target(void)
{
	int p[2];
	pid_t pid;
	char c;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(p[1]);
		while (read(p[0], &c, 1) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	close(p[0]);
	b.target_pipe = p[1];
	return pid;
}

static pid_t spawn_tracee(void)
{
	pid_t pid;
	int st;

	pid = fork();
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (ptrace(PTRACE_TRACEME, 0, NULL, NULL))
			_exit(1);
		raise(SIGSTOP);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFSTOPPED(st))
		return -1;
	return pid;
}

static void cpu_model(char *s, size_t len)
{
	char line[256];
	FILE *f = fopen("/proc/cpuinfo", "r");

	snprintf(s, len, "unknown");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *v = strchr(line, ':');

		if (strncmp(line, "model name", 10) || !v)
			continue;
		snprintf(s, len, "%s", v + 2);
		s[strcspn(s, "\n")] = '\0';
		break;
	}
	fclose(f);
}

static void expect_r4k(void)
{
	size_t off = 0, i;

	for (i = 0; i < BENCH_PAGE; i++)
		off += snprintf(b.expect_r4k + off, sizeof(b.expect_r4k) - off,
				"%u%c", b.rd[i], i + 1 < BENCH_PAGE ? ' ' : '\n');
}

static int setup(void)
{
	char path[64];
	size_t i;

	b.buf = mmap(NULL, 3 * BENCH_PAGE, RW, ANON, -1, 0);
	if (b.buf == MAP_FAILED)
		return perror("mmap"), -1;
	b.rd = b.buf;
	b.wr = b.buf + BENCH_PAGE;
	b.zero = b.buf + 2 * BENCH_PAGE;
	for (i = 0; i < BENCH_PAGE; i++)
		b.rd[i] = (i * 37 + BENCH_FIRST_BYTE) & 0xff;
	memset(b.wr, 0, 2 * BENCH_PAGE);
	expect_r4k();
	/* 4 KiB pages, as a heap mostly has; a pattern of period 251. */
	b.big = mmap(NULL, MTEST_RAW_MAX, RW, ANON, -1, 0);
	b.big_out = mmap(NULL, MTEST_RAW_MAX, RW, ANON, -1, 0);
	if (b.big == MAP_FAILED || b.big_out == MAP_FAILED)
		return perror("mmap"), -1;
	madvise(b.big, MTEST_RAW_MAX, MADV_NOHUGEPAGE);
	for (i = 0; i < MTEST_RAW_MAX; i++)
		b.big[i] = (i % 251) & 0xff;
	memset(b.big_out, 0, MTEST_RAW_MAX);

	b.target = spawn_target();
	b.tracee = spawn_tracee();
	if (b.target < 0 || b.tracee < 0)
		return perror("fork"), -1;

	snprintf(path, sizeof(path), "/proc/%d/mem", b.target);
	b.mem = open(path, O_RDWR);
	b.psz = sysconf(_SC_PAGESIZE);
	snprintf(path, sizeof(path), "/proc/%d/pagemap", b.target);
	b.pagemap = open(path, O_RDONLY);
	b.devzero = open("/dev/zero", O_RDONLY);
	if (b.mem < 0 || b.pagemap < 0 || b.devzero < 0)
		return perror("open"), -1;

	b.r1_len = snprintf(b.r1, sizeof(b.r1), "r %d %p", b.target, b.rd);
	b.r4k_len = snprintf(b.r4k, sizeof(b.r4k), "r %d %p %lu", b.target,
			     b.rd, BENCH_PAGE);
	b.r4k0_len = snprintf(b.r4k0, sizeof(b.r4k0), "r %d %p %lu", b.target,
			      b.zero, BENCH_PAGE);
	b.w1_len = snprintf(b.w1, sizeof(b.w1), "w %d %p %d", b.target, b.wr,
			    BENCH_POKE_BYTE);
	b.raw1m_len = snprintf(b.raw1m, sizeof(b.raw1m), "R %d %p %d",
			       b.target, b.big, MTEST_RAW_MAX);
	b.t_len = snprintf(b.t, sizeof(b.t), "t %d %p", b.target, b.rd);
	/* Below mmap_min_addr: never mapped. */
	b.tnone_len = snprintf(b.tnone, sizeof(b.tnone), "t %d 0x1000",
			       b.target);
	snprintf(b.bad, sizeof(b.bad), "x");

	b.mtest = open(MEMLAB_MTEST_PATH, O_RDWR);
	if (b.mtest >= 0)
		b.have |= NEED_MTEST;
	b.maptest = open(MEMLAB_MAPTEST_PATH, O_RDONLY);
	if (b.maptest >= 0) {
		void *p = mmap(NULL, BENCH_BIG_PAGES * BENCH_PAGE, PROT_READ,
			       MAP_SHARED, b.maptest, 0);

		b.have |= NEED_MAPTEST;
		if (p != MAP_FAILED)
			b.bw_maptest = p;
	}

	/* The memfd's pages exist before the first mapping, like maptest's. */
	b.memfd = memfd_create("memlab-bench", 0);
	if (b.memfd < 0 || ftruncate(b.memfd, BENCH_BIG_PAGES * BENCH_PAGE))
		return perror("memfd"), -1;
	for (i = 0; i < BENCH_BIG_PAGES; i++)
		if (want(pwrite(b.memfd, b.rd, BENCH_PAGE, i * BENCH_PAGE),
			 BENCH_PAGE))
			return perror("memfd"), -1;

	/* The bandwidth limit: 4 KiB pages like maptest's, all distinct. */
	b.bw_anon = mmap(NULL, BENCH_BIG_PAGES * BENCH_PAGE, RW, ANON, -1, 0);
	if (b.bw_anon == MAP_FAILED)
		return perror("mmap"), -1;
	madvise(b.bw_anon, BENCH_BIG_PAGES * BENCH_PAGE, MADV_NOHUGEPAGE);
	memset(b.bw_anon, 0x55, BENCH_BIG_PAGES * BENCH_PAGE);

	b.perf_all = perf_open(0);
	b.perf_kernel = b.perf_all >= 0 ? perf_open(1) : -1;
	if (b.perf_kernel < 0 && b.perf_all >= 0) {
		close(b.perf_all);
		b.perf_all = -1;
	}
	return 0;
}

static void teardown(void)
{
	int st;

	/* The tracee holds a copy of the pipe: end it first. */
	kill(b.tracee, SIGKILL);
	waitpid(b.tracee, &st, 0);
	close(b.target_pipe);
	waitpid(b.target, &st, 0);
}

static void bench_usage(const char *argv0)
{
	fprintf(stderr,
		"usage: %s [-k KERNEL] [-n TRIALS] [-t TRIAL_MS] [-j FILE] [-r ROW]\n"
		"  -k  kernel name for the report (default: uname -r)\n"
		"  -n  trials per entry, 3..%d (default 7)\n"
		"  -t  milliseconds per trial (default 100)\n"
		"  -j  also write the JSON to FILE\n"
		"  -r  measure only this row (repeatable; default all)\n",
		argv0, BENCH_MAX_TRIALS);
	exit(2);
}

int main(int argc, char **argv)
{
	const char *kver = NULL, *json = NULL;
	char cpu[128], only[NROWS] = { 0 };
	int c, any_only = 0;
	struct utsname u;
	size_t i;

	b.trials = 7;
	b.trial_ns = 100e6;
	while ((c = getopt(argc, argv, "k:n:t:j:r:h")) != -1) {
		switch (c) {
		case 'k':
			kver = optarg;
			break;
		case 'n':
			b.trials = atoi(optarg);
			if (b.trials < 3 || b.trials > BENCH_MAX_TRIALS)
				bench_usage(argv[0]);
			break;
		case 't':
			b.trial_ns = atof(optarg) * 1e6;
			if (b.trial_ns < 1e6)
				bench_usage(argv[0]);
			break;
		case 'j':
			json = optarg;
			break;
		case 'r':
			for (i = 0; i < NROWS; i++)
				if (!strcmp(optarg, rows[i].id))
					break;
			if (i == NROWS)
				bench_usage(argv[0]);
			only[i] = any_only = 1;
			break;
		default:
			bench_usage(argv[0]);
		}
	}
	if (!kver) {
		uname(&u);
		kver = u.release;
	}
	cpu_model(cpu, sizeof(cpu));
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (setup())
		return 1;
	for (i = 0; i < NROWS; i++) {
		if (any_only && !only[i]) {
			rows[i].skip = 1;
			continue;
		}
		fprintf(stderr, "memlab-bench: %s\n", rows[i].id);
		measure_row(&rows[i]);
	}
	teardown();
	print_table(kver, cpu);
	print_json(kver, cpu, json);
	return 0;
}
