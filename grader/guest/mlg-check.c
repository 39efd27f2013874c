// SPDX-License-Identifier: GPL-2.0-only
/*
 * mlg-check: the grader's own judge of a student's /proc/mtest and
 * /proc/maptest, run in the grading VM (static, no libc there).
 *
 *   mlg-check NONCE RULE CHECK [ARG]
 *
 * runs one check and prints exactly one verdict line on stdout:
 *
 *   @@MLG NONCE RESULT RULE PASS|FAIL reason a student understands
 *
 * Every verdict comes from what this program observes: the bytes of its
 * own target processes through the kernel's /proc/PID/mem (the oracle),
 * the files it wrote, the kernel's free page count. Nothing the module
 * prints is read. The nonce comes with each boot of the VM, so a module
 * that prints verdict lines gains nothing. A crash or a hang never gets
 * here: the host sees the VM end or stall and calls it CRASH or TIMEOUT.
 *
 * The contract is the course's (tools/demo): "r PID ADDR" and "w PID ADDR
 * BYTE" written to /proc/mtest, one command per open, and the byte read
 * back as decimal text. A bad command fails cleanly when its write()
 * fails or when no number can be read after it.
 */
#include <ctype.h>
#include <sched.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define MTEST		"/proc/mtest"
#define MAPTEST		"/proc/maptest"
#define MODDIR		"/grade/modules"
#define PAGE		4096UL
#define HUGE		(2UL << 20)

static const char *nonce = "-";
static const char *rule = "-";

/* The verdict line: the only output the host reads as a result. */
static __attribute__((noreturn, format(printf, 1, 2)))
void verdict(const char *fmt, ...)
{
	char why[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	fflush(stdout);
	printf("@@MLG %s RESULT %s %s\n", nonce, rule, why);
	fflush(stdout);
	exit(0);
}

#define PASS(...)	verdict("PASS " __VA_ARGS__)
#define FAIL(...)	verdict("FAIL " __VA_ARGS__)

/* ---- the module ---------------------------------------------------- */

static int module_loaded(const char *name)
{
	char line[256];
	size_t n = strlen(name);
	FILE *f = fopen("/proc/modules", "r");
	int found = 0;

	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f))
		found = !strncmp(line, name, n) && line[n] == ' ';
	fclose(f);
	return found;
}

/* insmod /grade/modules/NAME.ko: 0 or -errno. */
static int module_load(const char *name)
{
	char path[128];
	int fd, rc;

	snprintf(path, sizeof(path), MODDIR "/%s.ko", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	rc = syscall(SYS_finit_module, fd, "", 0) ? -errno : 0;
	close(fd);
	return rc;
}

static int module_unload(const char *name)
{
	return syscall(SYS_delete_module, name, O_NONBLOCK) ? -errno : 0;
}

/* Load NAME unless it is loaded; FAIL when it cannot be. */
static void need_module(const char *name, const char *file)
{
	int rc;

	if (!module_loaded(name)) {
		rc = module_load(name);
		if (rc)
			FAIL("%s.ko did not load: %s", name, strerror(-rc));
	}
	if (access(file, F_OK))
		FAIL("%s.ko is loaded but %s does not exist", name, file);
}

/* ---- /proc/mtest, the course's way --------------------------------- */

/* One command: open, write, close. 0 or -errno of whichever failed. */
static int mt_send(const char *cmd, size_t len)
{
	int fd = open(MTEST, O_WRONLY);
	ssize_t n;
	int rc = 0;

	if (fd < 0)
		return -errno;
	n = write(fd, cmd, len);
	if (n < 0)
		rc = -errno;
	if (close(fd) && !rc)
		rc = -errno;
	return rc;
}

/* The result text: reopen and read it. Length, or -errno. */
static ssize_t mt_result(char *buf, size_t size)
{
	int fd = open(MTEST, O_RDONLY);
	ssize_t n, got = 0;

	if (fd < 0)
		return -errno;
	while ((size_t)got < size - 1) {
		n = read(fd, buf + got, size - 1 - got);
		if (n < 0) {
			got = -errno;
			break;
		}
		if (!n)
			break;
		got += n;
	}
	close(fd);
	if (got >= 0)
		buf[got] = 0;
	return got;
}

enum mt_status { MT_OK, MT_SEND, MT_RESULT, MT_NOTEXT };

struct mt_reply {
	enum mt_status status;
	int err;		/* errno of MT_SEND, MT_RESULT */
	long val;		/* MT_OK */
	char text[64];		/* what was read, printable */
};

static void printable(char *dst, size_t size, const char *src, size_t len)
{
	size_t i, o = 0;

	for (i = 0; i < len && o + 5 < size; i++) {
		unsigned char c = src[i];

		if (isprint(c) && c != '\\')
			dst[o++] = c;
		else
			o += snprintf(dst + o, size - o, "\\x%02x", c);
	}
	dst[o] = 0;
}

/* A command, then its result read as a decimal number. */
static struct mt_reply mt_ask(const char *cmd, size_t len)
{
	struct mt_reply r = { .status = MT_OK };
	char buf[256], *end, *p;
	ssize_t n;
	int rc;

	rc = mt_send(cmd, len);
	if (rc) {
		r.status = MT_SEND;
		r.err = -rc;
		return r;
	}
	n = mt_result(buf, sizeof(buf));
	if (n < 0) {
		r.status = MT_RESULT;
		r.err = -n;
		return r;
	}
	printable(r.text, sizeof(r.text), buf, n);
	for (p = buf; isspace((unsigned char)*p); p++)
		;
	errno = 0;
	r.val = strtol(p, &end, 10);
	if (end == p || errno)
		r.status = MT_NOTEXT;
	return r;
}

static struct mt_reply mt_read(pid_t pid, unsigned long addr)
{
	char cmd[64];

	snprintf(cmd, sizeof(cmd), "r %d %lx\n", pid, addr);
	return mt_ask(cmd, strlen(cmd));
}

/* w: 0 when the write() of the command succeeded, else -errno. */
static int mt_write(pid_t pid, unsigned long addr, unsigned int byte)
{
	char cmd[64];

	snprintf(cmd, sizeof(cmd), "w %d %lx %u\n", pid, addr, byte);
	return mt_send(cmd, strlen(cmd));
}

static const char *why(struct mt_reply r)
{
	static char s[128];

	switch (r.status) {
	case MT_SEND:
		snprintf(s, sizeof(s), "the command's write() failed: %s", strerror(r.err));
		break;
	case MT_RESULT:
		snprintf(s, sizeof(s), "reading the result failed: %s", strerror(r.err));
		break;
	case MT_NOTEXT:
		snprintf(s, sizeof(s), "the result is not a decimal number (read \"%s\")", r.text);
		break;
	default:
		snprintf(s, sizeof(s), "the result was %ld", r.val);
	}
	return s;
}

/* Read a byte and FAIL unless it is WANT. */
static void expect_byte(pid_t pid, unsigned long addr, int want, const char *what)
{
	struct mt_reply r = mt_read(pid, addr);

	if (r.status != MT_OK)
		FAIL("r of %s (byte %d): %s", what, want, why(r));
	if (r.val != want)
		FAIL("r of %s read %ld, but the byte is %d%s", what, r.val, want,
		     r.val == (signed char)want ? " (a signed char: print it unsigned)" : "");
}

/* A clean error: write() fails, or there is no number after it. */
static int clean_error(struct mt_reply r)
{
	return r.status != MT_OK;
}

/* ---- target processes and the kernel's own view of them ------------- */

/*
 * A target is a child process that prepared some memory and sleeps; the
 * addresses it prepared are in a shared page. Its bytes are checked
 * through /proc/PID/mem, which this root process may always read.
 */
struct shared {
	unsigned long addr[8];
	pid_t pid[4];
	int ready;
};

static struct shared *sh;

static void shared_init(void)
{
	sh = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		printf("@@MLG %s RESULT %s FAIL the grader could not map memory\n", nonce, rule);
		exit(1);
	}
}

typedef void (*setup_fn)(void);

/* Fork a target that runs SETUP, publishes, and sleeps until killed. */
static pid_t target(setup_fn setup)
{
	int p[2];
	char c;
	pid_t pid;

	if (pipe(p))
		FAIL("the grader could not make a pipe");
	pid = fork();
	if (pid < 0)
		FAIL("the grader could not fork");
	if (!pid) {
		close(p[0]);
		setup();
		c = 1;
		if (write(p[1], &c, 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	if (read(p[0], &c, 1) != 1)
		FAIL("the grader's process to read died while preparing");
	close(p[0]);
	return pid;
}

static void reap(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* The byte at ADDR in PID as the kernel's /proc/PID/mem gives it, or -1. */
static int mem_byte(pid_t pid, unsigned long addr)
{
	char path[64];
	unsigned char b;
	int fd, ok;

	snprintf(path, sizeof(path), "/proc/%d/mem", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	ok = pread(fd, &b, 1, addr) == 1;
	close(fd);
	return ok ? b : -1;
}

static unsigned int rnd(unsigned int lo, unsigned int hi)
{
	return lo + (unsigned int)random() % (hi - lo + 1);
}

static unsigned char *map_anon(size_t len, int prot)
{
	unsigned char *p = mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		_exit(1);
	return p;
}

/* ---- mtest checks --------------------------------------------------- */

static unsigned char v1, v2;

static void setup_bytes(void)
{
	unsigned char *p = map_anon(2 * PAGE, PROT_READ | PROT_WRITE);

	memset(p, 0xee, 2 * PAGE);
	p[100] = v1;
	p[PAGE + 7] = v2;
	sh->addr[0] = (unsigned long)&p[100];
	sh->addr[1] = (unsigned long)&p[PAGE + 7];
}

static void check_read(void)
{
	pid_t pid;

	v1 = rnd(1, 127);
	v2 = rnd(1, 127);
	pid = target(setup_bytes);
	expect_byte(pid, sh->addr[0], v1, "another process's byte");
	expect_byte(pid, sh->addr[1], v2, "a byte on its second page");
	reap(pid);
	PASS("r read another process's bytes (%d and %d)", v1, v2);
}

static void check_unsigned(void)
{
	pid_t pid;

	v1 = rnd(128, 254);
	v2 = 255;
	pid = target(setup_bytes);
	expect_byte(pid, sh->addr[0], v1, "a byte over 127");
	expect_byte(pid, sh->addr[1], v2, "the byte 255");
	reap(pid);
	PASS("r read bytes over 127 as unsigned (%d and 255)", v1);
}

static void check_write(void)
{
	unsigned int want = rnd(1, 254);
	unsigned long a;
	pid_t pid;
	int rc, i, b;

	v1 = 0x11;
	v2 = 0x22;
	pid = target(setup_bytes);
	a = sh->addr[0];
	rc = mt_write(pid, a, want);
	if (rc)
		FAIL("w %u into another process failed: %s", want, strerror(-rc));
	b = mem_byte(pid, a);
	if (b != (int)want)
		FAIL("after w %u the target's byte is %d, not %u", want, b, want);
	for (i = 1; i < 8; i++)
		if (mem_byte(pid, a + i) != 0xee)
			FAIL("w of one byte also changed the byte %d after it (was the write wider than a byte?)", i);
	if (mem_byte(pid, a - 1) != 0xee)
		FAIL("w of one byte also changed the byte before it");
	reap(pid);
	PASS("w changed exactly one byte of another process (%u)", want);
}

static void setup_untouched(void)
{
	unsigned char *p = map_anon(4 * PAGE, PROT_READ | PROT_WRITE);

	sh->addr[0] = (unsigned long)&p[123];
	sh->addr[1] = (unsigned long)&p[2 * PAGE + 45];
}

static void check_untouched(void)
{
	unsigned int want = rnd(1, 254);
	pid_t pid = target(setup_untouched);
	int rc, b;

	expect_byte(pid, sh->addr[0], 0, "a page the target never touched");
	rc = mt_write(pid, sh->addr[1], want);
	if (rc)
		FAIL("w into a page the target never touched failed: %s (/proc/PID/mem faults it in)",
		     strerror(-rc));
	b = mem_byte(pid, sh->addr[1]);
	if (b != (int)want)
		FAIL("after w %u into an untouched page the target's byte is %d", want, b);
	reap(pid);
	PASS("a page not yet touched reads 0 and takes a write");
}

static void setup_protected(void)
{
	unsigned char *p = map_anon(2 * PAGE, PROT_READ | PROT_WRITE);

	p[10] = v1;
	p[PAGE + 10] = v2;
	mprotect(p, PAGE, PROT_NONE);
	mprotect(p + PAGE, PAGE, PROT_READ);
	sh->addr[0] = (unsigned long)&p[10];
	sh->addr[1] = (unsigned long)&p[PAGE + 10];
}

/* PROT_NONE: the byte, or a clean error; never another value. */
static void check_protnone(void)
{
	struct mt_reply r;
	pid_t pid;

	/* Over 127: a raw byte read back is never taken for a number. */
	v1 = rnd(128, 254);
	v2 = 1;
	pid = target(setup_protected);
	r = mt_read(pid, sh->addr[0]);
	if (r.status == MT_OK && r.val != v1)
		FAIL("r of a PROT_NONE page read %ld, but the byte is %d (the byte or an error is right)",
		     r.val, v1);
	reap(pid);
	PASS("a PROT_NONE page gives its byte or a clean error (%s)",
	     r.status == MT_OK ? "its byte" : "an error");
}

/* Read-only: read it; a write either fails cleanly or lands, privately. */
static void check_readonly(void)
{
	unsigned int want;
	pid_t pid;
	int rc, b;

	v1 = 1;
	v2 = rnd(1, 127);
	want = v2 + 100;
	pid = target(setup_protected);
	expect_byte(pid, sh->addr[1], v2, "a read-only page");
	rc = mt_write(pid, sh->addr[1], want);
	b = mem_byte(pid, sh->addr[1]);
	if (rc && b != v2)
		FAIL("w into a read-only page failed (%s) but changed the byte to %d", strerror(-rc), b);
	if (!rc && b != (int)want && b != v2)
		FAIL("after w %u into a read-only page the byte is %d", want, b);
	reap(pid);
	PASS("a read-only page reads right and a write %s", rc ? "fails cleanly" : "lands");
}

static void setup_cow(void)
{
	unsigned char *p = map_anon(PAGE, PROT_READ | PROT_WRITE);
	pid_t child;

	p[77] = v1;
	sh->addr[0] = (unsigned long)&p[77];
	child = fork();
	if (!child) {
		for (;;)
			pause();
	}
	sh->pid[0] = child;
}

static void check_cow(void)
{
	unsigned int want;
	pid_t parent, child;
	int rc, b;

	v1 = rnd(1, 127);
	want = v1 + 50;
	parent = target(setup_cow);
	child = sh->pid[0];
	rc = mt_write(child, sh->addr[0], want);
	if (rc)
		FAIL("w into a page shared copy-on-write after fork failed: %s", strerror(-rc));
	b = mem_byte(child, sh->addr[0]);
	if (b != (int)want)
		FAIL("after w %u into the forked child its byte is %d", want, b);
	b = mem_byte(parent, sh->addr[0]);
	if (b != v1)
		FAIL("w into the forked child changed its parent's byte too (%d -> %d): the copy-on-write page was written in place",
		     v1, b);
	kill(child, SIGKILL);
	reap(parent);
	PASS("w into a child after fork leaves the parent's copy alone");
}

#define FILE_PATH	"/tmp/mlg-file"

static void setup_file(void)
{
	int fd = open(FILE_PATH, O_RDONLY);
	volatile unsigned char *p;

	if (fd < 0)
		_exit(1);
	p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		_exit(1);
	(void)p[200];	/* map the page cache's page, read-only */
	sh->addr[0] = (unsigned long)&p[200];
}

static void check_filepage(void)
{
	unsigned char page[PAGE];
	unsigned int want = 'x';
	int fd, rc, b;
	pid_t pid;

	memset(page, 'F', sizeof(page));
	fd = open(FILE_PATH, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, page, sizeof(page)) != sizeof(page))
		FAIL("the grader could not write " FILE_PATH);
	fsync(fd);
	pid = target(setup_file);
	expect_byte(pid, sh->addr[0], 'F', "a private file mapping");
	rc = mt_write(pid, sh->addr[0], want);
	if (pread(fd, page, sizeof(page), 0) != sizeof(page))
		FAIL("the grader could not read " FILE_PATH " back");
	if (page[200] != 'F')
		FAIL("w into a private (MAP_PRIVATE) file mapping changed the file itself: the page cache was written, not a private copy");
	b = mem_byte(pid, sh->addr[0]);
	if (rc && b != 'F')
		FAIL("w into a private file mapping failed (%s) but changed the byte", strerror(-rc));
	if (!rc && b != (int)want)
		FAIL("after w into a private file mapping the target's byte is %d, not %u", b, want);
	reap(pid);
	close(fd);
	PASS("w into a private file mapping %s, and the file is unchanged",
	     rc ? "fails cleanly" : "makes a private copy");
}

static void setup_zero(void)
{
	volatile unsigned char *p = map_anon(2 * PAGE, PROT_READ | PROT_WRITE);

	(void)p[300];		/* read: the shared zero page is mapped */
	(void)p[PAGE + 300];
	sh->addr[0] = (unsigned long)&p[300];
	sh->addr[1] = (unsigned long)&p[PAGE + 300];
}

static void check_zeropage(void)
{
	unsigned int want = rnd(1, 254);
	volatile unsigned char *mine;
	pid_t pid;
	int rc, b, i;

	pid = target(setup_zero);
	expect_byte(pid, sh->addr[0], 0, "a page only ever read (the zero page)");
	rc = mt_write(pid, sh->addr[0], want);
	b = mem_byte(pid, sh->addr[0]);
	if (!rc && b != (int)want)
		FAIL("after w %u into a page only ever read the target's byte is %d", want, b);
	if (mem_byte(pid, sh->addr[1]) != 0)
		FAIL("w into the zero page changed the zero page: the target's other untouched page now reads %d",
		     mem_byte(pid, sh->addr[1]));
	mine = map_anon(PAGE, PROT_READ);
	for (i = 0; i < (int)PAGE; i++)
		if (mine[i])
			FAIL("w into a page only ever read wrote into the kernel's shared zero page: every process now reads %d at offset %d of fresh memory",
			     mine[i], i);
	reap(pid);
	PASS("w into the zero page makes a private copy%s", rc ? " (or fails cleanly)" : "");
}

static void setup_thp(void)
{
	unsigned char *raw = map_anon(3 * HUGE, PROT_READ | PROT_WRITE);
	unsigned char *p = (unsigned char *)(((unsigned long)raw + HUGE - 1) & ~(HUGE - 1));
	unsigned long i;

	madvise(p, HUGE, MADV_HUGEPAGE);
	for (i = 0; i < HUGE; i += PAGE)
		p[i] = (unsigned char)(i / PAGE) | 1;
	p[0x1234] = v1;
	p[0x1ff00f] = v2;
	sh->addr[0] = (unsigned long)p;
}

static long thp_kb(pid_t pid)
{
	char path[64], line[256];
	long kb = 0, v;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "AnonHugePages: %ld", &v) == 1)
			kb = v;
	fclose(f);
	return kb;
}

static void check_thp(void)
{
	unsigned long p, w;
	unsigned int want = rnd(1, 254);
	pid_t pid;
	int rc, b;

	v1 = rnd(1, 254);
	v2 = rnd(1, 254);
	pid = target(setup_thp);
	p = sh->addr[0];
	if (thp_kb(pid) < 2048)
		FAIL("the grader got no transparent huge page in this VM (a grader problem: tell your teacher)");
	expect_byte(pid, p + 0x1234, v1, "a transparent huge page");
	expect_byte(pid, p + 0x1ff00f, v2, "the last 4 KiB of a transparent huge page");
	w = p + 0x123456;
	rc = mt_write(pid, w, want);
	if (rc)
		FAIL("w into a transparent huge page failed: %s", strerror(-rc));
	b = mem_byte(pid, w);
	if (b != (int)want)
		FAIL("after w %u into a transparent huge page the byte is %d", want, b);
	if (mem_byte(pid, w + 1) != 0 || mem_byte(pid, p + 0x123000) != ((0x123 & 0xff) | 1))
		FAIL("w into a transparent huge page changed bytes around it");
	reap(pid);
	PASS("r and w work in a transparent huge page");
}

/* Bad commands: each fails cleanly, and a good one works after them. */
static void check_badcmd(void)
{
	char cmd[400], big[300];
	static const char * const bad[] = {
		"x 1 1000\n", "r\n", "r 1\n", "r abc 1000\n", "w %d %lx\n",
		"w %d %lx 300\n", "r %d zz\n", "w %d %lx -1\n", "\n", "%s\n",
	};
	struct mt_reply r;
	unsigned int i;
	pid_t pid;

	v1 = rnd(1, 127);
	v2 = 9;
	pid = target(setup_bytes);
	memset(big, 'r', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		if (strstr(bad[i], "%s"))
			snprintf(cmd, sizeof(cmd), bad[i], big);
		else if (strstr(bad[i], "%lx"))
			snprintf(cmd, sizeof(cmd), bad[i], pid, sh->addr[0]);
		else if (strstr(bad[i], "%d"))
			snprintf(cmd, sizeof(cmd), bad[i], pid);
		else
			snprintf(cmd, sizeof(cmd), "%s", bad[i]);
		/* The previous result is 9, so a stale one is told apart. */
		expect_byte(pid, sh->addr[1], 9, "a good byte between bad commands");
		r = mt_ask(cmd, strlen(cmd));
		cmd[strcspn(cmd, "\n")] = 0;
		if (strlen(cmd) > 40)
			strcpy(cmd + 36, "...");
		if (r.status == MT_OK && r.val != 9 && mem_byte(pid, sh->addr[0]) == v1)
			FAIL("the bad command \"%s\" gave a result (%ld) instead of an error", cmd, r.val);
		if (mem_byte(pid, sh->addr[0]) != v1)
			FAIL("the bad command \"%s\" changed the target's byte", cmd);
	}
	expect_byte(pid, sh->addr[0], v1, "a byte after the bad commands");
	reap(pid);
	PASS("bad commands fail cleanly and the next good one works");
}

static pid_t unused_pid(void)
{
	pid_t pid = 4000000;

	while (pid > 2 && !kill(pid, 0))
		pid--;
	return pid;
}

static void check_nopid(void)
{
	char cmd[64];
	struct mt_reply r;
	pid_t gone = unused_pid();
	int rc;

	snprintf(cmd, sizeof(cmd), "r %d 400000\n", gone);
	r = mt_ask(cmd, strlen(cmd));
	if (!clean_error(r))
		FAIL("r with no such pid (%d) gave a result (%ld) instead of an error", gone, r.val);
	rc = mt_write(gone, 0x400000, 1);
	r = mt_ask("r 0 400000\n", 11);
	if (!clean_error(r))
		FAIL("r with pid 0 gave a result (%ld) instead of an error", r.val);
	PASS("a pid that does not exist gives a clean error%s", rc ? "" : " (w's write() did not fail, but nothing broke)");
}

static void check_unmapped(void)
{
	struct mt_reply r;
	pid_t pid;
	int rc;

	v1 = 5;
	v2 = 6;
	pid = target(setup_bytes);
	r = mt_read(pid, 0x10);
	if (!clean_error(r))
		FAIL("r of address 0x10, which is not mapped, gave %ld instead of an error", r.val);
	r = mt_read(pid, 0x7ffffffff000UL - 0x100000000UL);
	if (!clean_error(r))
		FAIL("r of an unmapped address gave %ld instead of an error", r.val);
	rc = mt_write(pid, 0x10, 1);
	expect_byte(pid, sh->addr[0], 5, "a good byte after the unmapped ones");
	reap(pid);
	PASS("an unmapped address gives a clean error%s", rc ? "" : " (w's write() did not fail, but nothing broke)");
}

/*
 * As uid 1001, against a root process: /proc/PID/mem would refuse, and so
 * must mtest, at open or at the command; the byte must not be read or
 * changed.
 */
static void check_perm(void)
{
	struct mt_reply r;
	int status, b;
	pid_t pid, who;

	v1 = rnd(1, 127);
	v2 = 3;
	pid = target(setup_bytes);
	who = fork();
	if (!who) {
		if (setgid(1001) || setuid(1001))
			_exit(99);
		r = mt_read(pid, sh->addr[0]);
		if (r.status == MT_OK && r.val == v1)
			_exit(1);
		mt_write(pid, sh->addr[0], v1 + 1);
		_exit(0);
	}
	waitpid(who, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status) == 99)
		FAIL("the grader could not run a process as uid 1001");
	if (WEXITSTATUS(status) == 1)
		FAIL("a user (uid 1001) read a byte of root's process: check the caller's right to the target, as /proc/PID/mem does");
	b = mem_byte(pid, sh->addr[0]);
	if (b != v1)
		FAIL("a user (uid 1001) changed a byte of root's process (%d -> %d)", v1, b);
	reap(pid);
	PASS("an unprivileged user can neither read nor write root's process");
}

/* ---- leaks ---------------------------------------------------------- */

static long free_pages(void)
{
	char line[128];
	long v = -1;
	FILE *f = fopen("/proc/vmstat", "r");
	int fd;

	fd = open("/proc/sys/vm/drop_caches", O_WRONLY);
	if (fd >= 0) {
		if (write(fd, "3", 1) < 0)
			v = -1;
		close(fd);
	}
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "nr_free_pages %ld", &v) == 1)
			break;
	fclose(f);
	return v;
}

#define LEAK_PROCS	500
#define LEAK_CMDS	20	/* per process, each on a page of its own: 10,000 in all */

static void setup_pages(void)
{
	unsigned char *p = map_anon(LEAK_CMDS * PAGE, PROT_READ | PROT_WRITE);
	int i;

	for (i = 0; i < LEAK_CMDS; i++)
		p[i * PAGE] = 1;
	sh->addr[0] = (unsigned long)p;
}

/*
 * LEAK_PROCS short-lived targets, each read and written LEAK_CMDS times
 * on pages of its own, or (PLAIN) only made and reaped.
 */
static int churn(int plain)
{
	unsigned long a;
	pid_t pid;
	int i, k, bad = 0;

	for (i = 0; i < LEAK_PROCS; i++) {
		pid = target(setup_pages);
		for (k = 0; !plain && k < LEAK_CMDS; k++) {
			a = sh->addr[0] + k * PAGE;
			if (k & 1)
				bad |= mt_write(pid, a, 2) != 0;
			else
				bad |= mt_read(pid, a).status != MT_OK;
		}
		reap(pid);
	}
	return bad;
}

static void check_leak(void)
{
	long before, after, lost;
	int rc;

	need_module("mtest", MTEST);
	churn(1);	/* the same forks without mtest: warms the caches */
	before = free_pages();
	if (churn(0))
		FAIL("some of 10,000 commands failed");
	rc = module_unload("mtest");
	if (rc)
		FAIL("rmmod mtest after 10,000 commands failed: %s (a reference still held?)", strerror(-rc));
	sleep(2);
	after = free_pages();
	lost = (before - after) * (long)(PAGE / 1024);
	if (before < 0 || after < 0)
		FAIL("the grader could not read /proc/vmstat");
	if (lost > 12 * 1024)
		FAIL("%ld KiB of memory never came back after 10,000 commands and rmmod: a get_page/get_task_struct/kmalloc without its put or free?",
		     lost);
	PASS("10,000 commands and an unload leak nothing (%ld KiB difference)", lost);
}

/* ---- maptest -------------------------------------------------------- */

/* What read() of /proc/maptest gives, at most SIZE - 1 bytes; length or -errno. */
static ssize_t map_read(char *buf, size_t size)
{
	int fd = open(MAPTEST, O_RDONLY);
	ssize_t n, got = 0;

	if (fd < 0)
		return -errno;
	while ((size_t)got < size - 1 && (n = read(fd, buf + got, size - 1 - got)) > 0)
		got += n;
	close(fd);
	buf[got] = 0;
	return got;
}

static unsigned char *map_map(size_t len, off_t off, int *err)
{
	int fd = open(MAPTEST, O_RDONLY);
	void *p;

	if (fd < 0) {
		*err = errno;
		return NULL;
	}
	p = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, off);
	*err = errno;
	close(fd);
	return p == MAP_FAILED ? NULL : p;
}

static void check_map_text(void)
{
	static char text[PAGE + 1];
	unsigned char *p;
	size_t len;
	ssize_t n;
	int err;

	need_module("maptest", MAPTEST);
	p = map_map(PAGE, 0, &err);
	if (!p)
		FAIL("mmap of one page of %s failed: %s", MAPTEST, strerror(err));
	len = strnlen((char *)p, PAGE);
	if (!len)
		FAIL("the mapped page starts with a NUL: no text was written into it");
	n = map_read(text, sizeof(text));
	if (n < 0)
		FAIL("read() of %s failed: %s", MAPTEST, strerror(-n));
	if (n == 0)
		FAIL("read() of %s gives nothing; it should give the text the mapping shows", MAPTEST);
	if ((size_t)n > len || strncmp(text, (char *)p, n))
		FAIL("read() and mmap of %s give different text", MAPTEST);
	munmap(p, PAGE);
	PASS("the text is the same through mmap and read() (%zu bytes)", len);
}

/* The buffer's size: its text through read(), NUL included, in pages. */
static size_t map_pages(void)
{
	static char text[1024 * PAGE + 1];
	ssize_t n = map_read(text, sizeof(text));

	return n < 0 ? 1 : (n + PAGE) / PAGE;
}

static void check_map_bounds(void)
{
	size_t pages;
	unsigned char *p;
	int err;

	need_module("maptest", MAPTEST);
	pages = map_pages();
	p = map_map((pages + 16) * PAGE, 0, &err);
	if (p)
		FAIL("mmap of %zu pages of a %zu-page buffer succeeded: the pages past the buffer show other memory of the kernel; check the size",
		     pages + 16, pages);
	p = map_map(PAGE, pages * PAGE, &err);
	if (p)
		FAIL("mmap at offset %zu pages, past the %zu-page buffer, succeeded; check the offset (vm_pgoff)",
		     pages, pages);
	p = map_map(PAGE, 1UL << 40, &err);
	if (p)
		FAIL("mmap at a huge offset succeeded; check the offset (vm_pgoff)");
	PASS("mmap past the buffer's end fails");
}

static void check_map_unload(void)
{
	static unsigned char before[PAGE];
	unsigned char *p, *junk;
	size_t i, len = 128UL << 20;
	cpu_set_t one;
	int err, rc;

	CPU_ZERO(&one);
	CPU_SET(0, &one);
	sched_setaffinity(0, sizeof(one), &one);
	need_module("maptest", MAPTEST);
	p = map_map(PAGE, 0, &err);
	if (!p)
		FAIL("mmap of %s failed: %s", MAPTEST, strerror(err));
	memcpy(before, p, PAGE);
	rc = module_unload("maptest");
	if (rc && rc != -EBUSY && rc != -EAGAIN)
		FAIL("rmmod maptest while it is mapped failed: %s", strerror(-rc));
	/*
	 * Take as much free memory as we can, on the CPU that freed the
	 * page (its per-CPU free list), and scribble on it.
	 */
	junk = map_anon(len, PROT_READ | PROT_WRITE);
	for (i = 0; i < len; i += PAGE)
		memset(junk + i, 0xa5, 64);
	if (memcmp(before, p, PAGE))
		FAIL("after rmmod the mapping shows other data: the page was freed while still mapped (a use after free)");
	munmap(junk, len);
	munmap(p, PAGE);
	if (rc) {
		rc = module_unload("maptest");
		if (rc)
			FAIL("rmmod maptest after the mapping was gone failed: %s", strerror(-rc));
	}
	if (!access(MAPTEST, F_OK))
		FAIL("%s still exists after rmmod", MAPTEST);
	PASS("rmmod while mapped is safe: the mapping kept its page%s", rc ? "" : "");
}

/* ---- loading and the course's programs ------------------------------ */

static void check_load(const char *name)
{
	char file[64];
	int rc;

	snprintf(file, sizeof(file), "/proc/%s", name);
	if (module_loaded(name) && module_unload(name))
		FAIL("%s was loaded and could not be unloaded", name);
	rc = module_load(name);
	if (rc)
		FAIL("insmod %s.ko failed: %s", name, strerror(-rc));
	if (access(file, F_OK))
		FAIL("%s.ko loaded but %s does not exist", name, file);
	PASS("%s.ko loads and creates %s", name, file);
}

/* The course's own test program, as it is: its exit status decides. */
static void check_course(const char *prog, const char *name, const char *file)
{
	char path[128];
	int status;
	pid_t pid;

	need_module(name, file);
	snprintf(path, sizeof(path), "/grade/bin/%s", prog);
	fflush(stdout);
	pid = fork();
	if (!pid) {
		dup2(1, 2);
		execl(path, prog, (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	printf("\n");	/* its output may not end a line */
	if (!WIFEXITED(status))
		FAIL("the course's %s was killed by signal %d", prog, WTERMSIG(status));
	if (WEXITSTATUS(status))
		FAIL("the course's %s failed (exit status %d): its output is above", prog,
		     WEXITSTATUS(status));
	PASS("the course's %s succeeds", prog);
}

int main(int argc, char **argv)
{
	const char *check;

	if (argc < 4) {
		fprintf(stderr, "usage: mlg-check NONCE RULE CHECK\n");
		return 2;
	}
	nonce = argv[1];
	rule = argv[2];
	check = argv[3];
	srandom(time(NULL) ^ getpid());
	setvbuf(stdout, NULL, _IOLBF, 0);
	shared_init();

	if (!strcmp(check, "mtest-load"))
		check_load("mtest");
	if (!strcmp(check, "maptest-load"))
		check_load("maptest");
	if (!strcmp(check, "mtest-course"))
		check_course("mtest_test", "mtest", MTEST);
	if (!strcmp(check, "maptest-course"))
		check_course("maptest_test", "maptest", MAPTEST);
	if (!strncmp(check, "mtest-", 6))
		need_module("mtest", MTEST);
	if (!strcmp(check, "mtest-read"))
		check_read();
	if (!strcmp(check, "mtest-unsigned"))
		check_unsigned();
	if (!strcmp(check, "mtest-write"))
		check_write();
	if (!strcmp(check, "mtest-untouched"))
		check_untouched();
	if (!strcmp(check, "mtest-protnone"))
		check_protnone();
	if (!strcmp(check, "mtest-readonly"))
		check_readonly();
	if (!strcmp(check, "mtest-cow"))
		check_cow();
	if (!strcmp(check, "mtest-filepage"))
		check_filepage();
	if (!strcmp(check, "mtest-zeropage"))
		check_zeropage();
	if (!strcmp(check, "mtest-thp"))
		check_thp();
	if (!strcmp(check, "mtest-badcmd"))
		check_badcmd();
	if (!strcmp(check, "mtest-nopid"))
		check_nopid();
	if (!strcmp(check, "mtest-unmapped"))
		check_unmapped();
	if (!strcmp(check, "mtest-perm"))
		check_perm();
	if (!strcmp(check, "mtest-leak"))
		check_leak();
	if (!strcmp(check, "maptest-text"))
		check_map_text();
	if (!strcmp(check, "maptest-bounds"))
		check_map_bounds();
	if (!strcmp(check, "maptest-unload"))
		check_map_unload();
	FAIL("the grader has no check named \"%s\" (a rubric error)", check);
}
