// SPDX-License-Identifier: GPL-2.0-only
/*
 * /proc/mtest "r": what it reads agrees with /proc/PID/mem, page by page
 * over every mapping of a real process, and errors follow the contract.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "client.h"
#include "memkind.h"
#include "pagemap.h"
#include "priv.h"
#include "procfs.h"
#include "target.h"

/* The page size; one "r" reads at most MTEST_READ_MAX (4096) bytes of it. */
#define PSZ	procfs_page_size()
#define RMAX	MTEST_READ_MAX

FIXTURE(read) {
	int fd;
	struct target t;
	char *area;	/* 8 pages of assorted memory, see FIXTURE_SETUP */
	char path[64];
};

/*
 * Eight pages: 0-1 filled, 2 untouched, 3 PROT_NONE with data, 4 a hole,
 * 5 read-only file-backed (private), 6-7 filled.
 */
FIXTURE_SETUP(read)
{
	int i, ffd;

	self->fd = ml_mtest_open();
	ASSERT_LE(0, self->fd) TH_LOG("open: %s", strerror(-self->fd));
	self->t.pid = -1;
	self->t.go = -1;
	self->area = mmap(NULL, 8 * PSZ, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->area);
	for (i = 0; i < (int)(2 * PSZ); i++)
		self->area[i] = i * 13 + 1;
	for (i = 0; i < (int)PSZ; i++)
		self->area[3 * PSZ + i] = i ^ 0x5a;
	for (i = 6 * PSZ; i < (int)(8 * PSZ); i++)
		self->area[i] = i * 31;
	ASSERT_EQ(0, mprotect(self->area + 3 * PSZ, PSZ, PROT_NONE));
	ASSERT_EQ(0, munmap(self->area + 4 * PSZ, PSZ));

	strcpy(self->path, "/tmp/memlab-read.XXXXXX");
	ffd = mkstemp(self->path);
	ASSERT_LE(0, ffd);
	for (i = 0; i < (int)PSZ; i++)
		ASSERT_EQ(1, write(ffd, "memlab\n" + i % 7, 1));
	ASSERT_NE(MAP_FAILED, mmap(self->area + 5 * PSZ, PSZ, PROT_READ,
				   MAP_PRIVATE | MAP_FIXED, ffd, 0));
	close(ffd);
}

FIXTURE_TEARDOWN(read)
{
	target_kill(&self->t);
	if (self->path[0])
		unlink(self->path);
	if (self->fd >= 0)
		close(self->fd);
}

static const char *read_result(int fd)
{
	static char text[ML_RESULT_BUF];

	if (ml_mtest_result(fd, text, sizeof(text)) < 0)
		return "(read error)";
	return text;
}

/*
 * Compare one chunk of a page through both interfaces. /proc/PID/mem fails
 * with EIO where the contract says EFAULT. The kernel rewrites a [vvar]
 * page (the clock) between the two reads, so there only the verdicts must
 * agree (7.x maps it as readable pages). Returns 0 when they agree.
 */
static int read_compare_chunk(int fd, int memfd, pid_t pid, unsigned long addr,
			      int live, char *why, size_t whylen)
{
	static unsigned char viamem[RMAX], viamtest[RMAX];
	ssize_t n;
	int merr, ret;

	n = pread(memfd, viamem, RMAX, addr);
	merr = n < 0 ? errno : n == RMAX ? 0 : -1;
	ret = ml_mtest_read_text(fd, pid, addr, viamtest, RMAX);
	if (!merr && !ret) {
		if (live || !memcmp(viamem, viamtest, RMAX))
			return 0;
		snprintf(why, whylen, "contents differ at +%#lx",
			 addr & (PSZ - 1));
		return -1;
	}
	if (merr == EIO && ret == -EFAULT)
		return 0;
	snprintf(why, whylen, "mem: %s, mtest: %s",
		 merr < 0 ? "short read" : strerror(merr), strerror(-ret));
	return -1;
}

/* A whole page, in chunks of the most one "r" reads. */
static int read_compare_page(int fd, int memfd, pid_t pid, unsigned long addr,
			     int live, char *why, size_t whylen)
{
	unsigned long off;

	for (off = 0; off < PSZ; off += RMAX)
		if (read_compare_chunk(fd, memfd, pid, addr + off, live, why,
				       whylen))
			return -1;
	return 0;
}

TEST_F_TIMEOUT(read, agrees_with_proc_mem, 300)
{
	struct procfs_map maps[128];
	int memfd, n, i, pages = 0, bad = 0;
	char path[64], why[128];
	unsigned long a;

	ASSERT_EQ(0, target_start(&self->t, NULL, NULL));
	snprintf(path, sizeof(path), "/proc/%d/mem", self->t.pid);
	memfd = open(path, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, memfd) TH_LOG("open %s: %s", path, strerror(errno));
	n = procfs_maps(self->t.pid, maps, 128);
	ASSERT_LT(0, n);
	for (i = 0; i < n; i++) {
		for (a = maps[i].start; a < maps[i].end; a += PSZ, pages++) {
			if (!read_compare_page(self->fd, memfd, self->t.pid, a,
					       !strncmp(maps[i].name, "[vvar", 5),
					       why, sizeof(why)))
				continue;
			if (bad++ < 10)
				TH_LOG("%lx (%s %s): %s", a, maps[i].perms,
				       maps[i].name, why);
		}
	}
	/* The hole between the mappings: both must fail. */
	EXPECT_EQ(0, read_compare_page(self->fd, memfd, self->t.pid,
				       (unsigned long)self->area + 4 * PSZ, 0,
				       why, sizeof(why))) TH_LOG("hole: %s", why);
	close(memfd);
	TH_LOG("%d pages in %d mappings compared", pages, n);
	EXPECT_EQ(0, bad);
}

TEST_F(read, default_len_is_one)
{
	ASSERT_EQ(0, ml_mtest_cmd(self->fd, "r %d %lx", getpid(),
			       (unsigned long)self->area + 1));
	EXPECT_STREQ("14\n", read_result(self->fd));
}

TEST_F(read, result_format)
{
	static unsigned char bytes[] = { 0, 9, 10, 99, 100, 255, 42 };

	ASSERT_EQ(0, ml_mtest_cmd(self->fd, "r %d %lx %zu", getpid(),
			       (unsigned long)bytes, sizeof(bytes)));
	EXPECT_STREQ("0 9 10 99 100 255 42\n", read_result(self->fd));
}

TEST_F(read, across_page_boundary)
{
	unsigned long a = (unsigned long)self->area + PSZ - 4;
	unsigned char out[8];

	ASSERT_EQ(0, ml_mtest_read_text(self->fd, getpid(), a, out, 8));
	EXPECT_EQ(0, memcmp(out, (void *)a, 8));
}

TEST_F(read, child_process)
{
	unsigned char out[RMAX];

	ASSERT_EQ(0, target_start(&self->t, NULL, NULL));
	/* Change ours after the fork: the child must still show the old. */
	self->area[6 * PSZ] = 1;
	ASSERT_EQ(0, ml_mtest_read_text(self->fd, self->t.pid,
				(unsigned long)self->area + 6 * PSZ, out, RMAX));
	EXPECT_EQ((unsigned char)(6 * PSZ * 31), out[0]);
	EXPECT_EQ(0, memcmp(out + 1, self->area + 6 * PSZ + 1, RMAX - 1));
}

TEST_F(read, untouched_page_reads_zero)
{
	unsigned char out[RMAX], zero[RMAX] = { 0 };

	ASSERT_EQ(0, ml_mtest_read_text(self->fd, getpid(),
				(unsigned long)self->area + 2 * PSZ, out, RMAX));
	EXPECT_EQ(0, memcmp(out, zero, RMAX));
}

/* Readable where /proc/self/mem overrides protections, else EFAULT. */
TEST_F(read, prot_none_page)
{
	int forces = procfs_mem_forces();
	unsigned char out[16];
	int i;

	ASSERT_LE(0, forces);
	if (!forces) {
		EXPECT_EQ(-EFAULT,
			  ml_mtest_read_text(self->fd, getpid(),
				     (unsigned long)self->area + 3 * PSZ,
				     out, 16));
		return;
	}
	ASSERT_EQ(0, ml_mtest_read_text(self->fd, getpid(),
				(unsigned long)self->area + 3 * PSZ, out, 16));
	for (i = 0; i < 16; i++)
		EXPECT_EQ((unsigned char)(i ^ 0x5a), out[i]);
}

TEST_F(read, unmapped_efault)
{
	ASSERT_EQ(0, ml_mtest_cmd(self->fd, "r %d %lx", getpid(),
			       (unsigned long)self->area));
	EXPECT_EQ(-EFAULT, ml_mtest_cmd(self->fd, "r %d %lx", getpid(),
				     (unsigned long)self->area + 4 * PSZ));
	EXPECT_EQ(-EFAULT, ml_mtest_cmd(self->fd, "r %d 0", getpid()));
	EXPECT_STREQ("1\n", read_result(self->fd));
}

/* A range that runs into the hole reads nothing at all. */
TEST_F(read, partly_unmapped_efault)
{
	ASSERT_EQ(0, ml_mtest_cmd(self->fd, "r %d %lx", getpid(),
			       (unsigned long)self->area));
	EXPECT_EQ(-EFAULT, ml_mtest_cmd(self->fd, "r %d %lx 8", getpid(),
				     (unsigned long)self->area + 4 * PSZ - 4));
	EXPECT_EQ(-EFAULT, ml_mtest_cmd(self->fd, "r %d %lx %d", getpid(),
				     (unsigned long)self->area + 4 * PSZ -
				     (RMAX - 1), RMAX));
	EXPECT_STREQ("1\n", read_result(self->fd));
}

TEST_F(read, wrapping_range_efault)
{
	EXPECT_EQ(-EFAULT, ml_mtest_cmd(self->fd, "r %d ffffffffffffffff 2",
				     getpid()));
	EXPECT_EQ(-EFAULT, ml_mtest_cmd(self->fd, "r %d fffffffffffff001 4096",
				     getpid()));
}

TEST_F(read, no_such_process_esrch)
{
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (!pid)
		_exit(0);
	ASSERT_EQ(pid, waitpid(pid, NULL, 0));
	/* Pids are not reused this quickly in a quiet guest. */
	EXPECT_EQ(-ESRCH, ml_mtest_cmd(self->fd, "r %d %lx", pid,
				    (unsigned long)self->area));
	EXPECT_EQ(-ESRCH, ml_mtest_cmd(self->fd, "r 0 %lx",
				    (unsigned long)self->area));
	EXPECT_EQ(-ESRCH, ml_mtest_cmd(self->fd, "r 4194304 %lx",
				    (unsigned long)self->area));
}

TEST_F(read, zombie_esrch)
{
	ASSERT_EQ(0, target_start(&self->t, NULL, NULL));
	ASSERT_EQ(0, ml_mtest_cmd(self->fd, "r %d %lx", self->t.pid,
			       (unsigned long)self->area));
	target_release(&self->t);
	/* Wait until it is a zombie, without reaping it. */
	for (int i = 0; i < 500; i++) {
		char path[64], buf[1024];

		snprintf(path, sizeof(path), "/proc/%d/stat", self->t.pid);
		ASSERT_LT(0, procfs_read(path, buf, sizeof(buf)));
		if (strstr(buf, ") Z "))
			break;
		usleep(10000);
	}
	EXPECT_EQ(-ESRCH, ml_mtest_cmd(self->fd, "r %d %lx", self->t.pid,
				    (unsigned long)self->area));
	EXPECT_EQ(-ESRCH, ml_mtest_cmd(self->fd, "t %d %lx", self->t.pid,
				    (unsigned long)self->area));
	EXPECT_EQ(-ESRCH, ml_mtest_cmd(self->fd, "w %d %lx 1", self->t.pid,
				    (unsigned long)self->area));
	EXPECT_STREQ("1\n", read_result(self->fd));
}

TEST_F(read, kernel_thread_esrch)
{
	char buf[256];

	/* Unprivileged callers may see EACCES first: order not specified. */
	if (!priv_root())
		SKIP(return, "needs root: a kernel thread is a root task");
	ASSERT_LT(0, procfs_read("/proc/2/comm", buf, sizeof(buf)));
	if (strcmp(buf, "kthreadd\n"))
		SKIP(return, "pid 2 is not kthreadd here");
	EXPECT_EQ(-ESRCH, ml_mtest_cmd(self->fd, "r 2 %lx",
				    (unsigned long)self->area));
	EXPECT_EQ(-ESRCH, ml_mtest_cmd(self->fd, "t 2 %lx",
				    (unsigned long)self->area));
}

/*
 * One check over every kind of memory, as the kernel's selftests/mm/cow.c
 * (the fixture "kinds", tests/lib/memkind_fixture.h): a kind this system
 * cannot give is a SKIP that says why. Defined here, not at the top: the
 * harness runs the fixtures in the order they are defined.
 */
#include "memkind_fixture.h"

/*
 * "r" reads the pattern at the start, the middle and the end of the area,
 * and faults a swapped page back in. It must not copy the zero page.
 */
TEST_F(kinds, r_reads_each_kind)
{
	static unsigned char buf[RMAX];
	const struct memkind_area *a = &self->a;
	size_t offs[3], i, len;
	uint64_t before = 0, after = 0;

	if (self->why)
		SKIP(return, "%s: %s", memkind_name(a->kind), self->why);
	len = a->size < RMAX ? a->size : RMAX;
	offs[0] = 0;
	offs[1] = (a->size / 2) & ~(size_t)15;
	offs[2] = a->size - len;
	if (a->kind == MEMKIND_ZERO)
		ASSERT_EQ(0, pagemap_entry(0, (unsigned long)a->addr, &before));
	for (i = 0; i < 3; i++) {
		size_t n = offs[i] + len > a->size ? a->size - offs[i] : len;

		ASSERT_EQ(0, ml_mtest_read_text(self->fd, getpid(),
						(unsigned long)a->addr + offs[i],
						buf, n))
			TH_LOG("%s at +%#zx", memkind_name(a->kind), offs[i]);
		EXPECT_EQ(-1, memkind_mismatch(a, offs[i], buf, n))
			TH_LOG("%s at +%#zx", memkind_name(a->kind), offs[i]);
	}
	if (a->kind == MEMKIND_SWAP)
		EXPECT_FALSE(memkind_is(a, 0)) TH_LOG("still swapped after r");
	if (a->kind == MEMKIND_ZERO) {
		ASSERT_EQ(0, pagemap_entry(0, (unsigned long)a->addr, &after));
		EXPECT_EQ(pagemap_pfn(before), pagemap_pfn(after))
			TH_LOG("r replaced the zero page");
	}
}

TEST_HARNESS_MAIN
