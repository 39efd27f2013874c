// SPDX-License-Identifier: GPL-2.0-only
/*
 * /proc/mtest "w": where a write lands and where it must not. It follows
 * /proc/PID/mem: it faults pages in, breaks COW on private mappings and
 * never reaches a file, a page shared after fork or the zero page through
 * one. Where /proc/PID/mem overrides protections (FOLL_FORCE: on most
 * kernels always, on Debian's 7.x only for the target's ptracer), it also
 * writes PROT_NONE and read-only private pages; where it does not, neither
 * does mtest, and nothing is written.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "client.h"
#include "memkind.h"
#include "procfs.h"
#include "target.h"

/* The page size; one "r" reads at most MTEST_READ_MAX (4096) bytes of it. */
#define PSZ	procfs_page_size()
#define RMAX	MTEST_READ_MAX

FIXTURE(write) {
	int fd;
	struct target t;
	char path[64];
	int ffd;
	int forces;	/* /proc/self/mem overrides protections */
};

FIXTURE_SETUP(write)
{
	char *page;
	int i;

	self->t.pid = -1;
	self->t.go = -1;
	self->fd = ml_mtest_open();
	ASSERT_LE(0, self->fd) TH_LOG("open: %s", strerror(-self->fd));
	/* A two-page file of 'f' bytes, opened read-write. */
	strcpy(self->path, "/tmp/memlab-write.XXXXXX");
	self->ffd = mkstemp(self->path);
	ASSERT_LE(0, self->ffd);
	page = malloc(PSZ);
	ASSERT_NE(NULL, page);
	memset(page, 'f', PSZ);
	for (i = 0; i < 2; i++)
		ASSERT_EQ((ssize_t)PSZ, write(self->ffd, page, PSZ));
	free(page);
	self->forces = procfs_mem_forces();
	ASSERT_LE(0, self->forces);
}

FIXTURE_TEARDOWN(write)
{
	target_kill(&self->t);
	if (self->ffd >= 0)
		close(self->ffd);
	unlink(self->path);
	if (self->fd >= 0)
		close(self->fd);
}

static char *write_anon(size_t len, int prot)
{
	char *p = mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* The file's bytes through read(), i.e. the page cache. */
static int write_file_byte(int ffd, off_t off)
{
	unsigned char c;

	if (pread(ffd, &c, 1, off) != 1)
		return -1;
	return c;
}

TEST_F(write, own_memory)
{
	char *p = write_anon(PSZ, PROT_READ | PROT_WRITE);

	ASSERT_NE(NULL, p);
	memset(p, 1, 16);
	ASSERT_EQ(0, ml_mtest_cmd(self->fd, "w %d %lx 7 8 9", getpid(),
			       (unsigned long)p + 5));
	EXPECT_EQ(1, p[4]);
	EXPECT_EQ(7, p[5]);
	EXPECT_EQ(8, p[6]);
	EXPECT_EQ(9, p[7]);
	EXPECT_EQ(1, p[8]);
}

/* A write result is empty. */
TEST_F(write, result_empty)
{
	char *p = write_anon(PSZ, PROT_READ | PROT_WRITE);
	char buf[16];

	ASSERT_NE(NULL, p);
	ASSERT_EQ(0, ml_mtest_cmd(self->fd, "r %d %lx", getpid(),
			       (unsigned long)p));
	ASSERT_EQ(0, ml_mtest_cmd(self->fd, "w %d %lx 3", getpid(),
			       (unsigned long)p));
	EXPECT_EQ(0, ml_mtest_result(self->fd, buf, sizeof(buf)));
}

TEST_F(write, across_page_boundary)
{
	static const unsigned char data[] = { 11, 22, 33, 44, 55, 66 };
	char *p = write_anon(2 * PSZ, PROT_READ | PROT_WRITE);
	unsigned char out[sizeof(data)];

	ASSERT_NE(NULL, p);
	memset(p, 0, 2 * PSZ);
	ASSERT_EQ(0, ml_mtest_write_one(self->fd, getpid(), (unsigned long)p + PSZ - 3,
				 data, sizeof(data)));
	EXPECT_EQ(0, memcmp(p + PSZ - 3, data, sizeof(data)));
	EXPECT_EQ(0, p[PSZ - 4]);
	EXPECT_EQ(0, p[PSZ + 3]);

	/* The same in another process, over two not-yet-faulted pages. */
	ASSERT_EQ(0, munmap(p, 2 * PSZ));
	p = write_anon(2 * PSZ, PROT_READ | PROT_WRITE);
	ASSERT_NE(NULL, p);
	ASSERT_EQ(0, target_start(&self->t, NULL, NULL));
	ASSERT_EQ(0, ml_mtest_write_one(self->fd, self->t.pid,
				 (unsigned long)p + PSZ - 3, data, sizeof(data)));
	ASSERT_EQ(0, ml_mtest_read_text(self->fd, self->t.pid,
				(unsigned long)p + PSZ - 4, out, sizeof(out)));
	EXPECT_EQ(0, out[0]);
	EXPECT_EQ(0, memcmp(out + 1, data, sizeof(data) - 1));
	/* Ours stayed untouched. */
	EXPECT_EQ(0, p[PSZ - 3]);
	EXPECT_EQ(0, p[PSZ]);
}

TEST_F(write, partly_unmapped_writes_nothing)
{
	char *p = write_anon(2 * PSZ, PROT_READ | PROT_WRITE);
	int i;

	ASSERT_NE(NULL, p);
	memset(p, 9, PSZ);
	ASSERT_EQ(0, munmap(p + PSZ, PSZ));
	EXPECT_EQ(-EFAULT, ml_mtest_cmd(self->fd, "w %d %lx 1 2 3 4", getpid(),
				     (unsigned long)p + PSZ - 2));
	EXPECT_EQ(-EFAULT, ml_mtest_cmd(self->fd, "w %d %lx 1", getpid(),
				     (unsigned long)p + PSZ));
	for (i = 0; i < (int)PSZ; i++)
		ASSERT_EQ(9, p[i]) TH_LOG("byte %d changed", i);
}

TEST_F(write, wrapping_range_efault)
{
	EXPECT_EQ(-EFAULT, ml_mtest_cmd(self->fd, "w %d ffffffffffffffff 1 2",
				     getpid()));
}

TEST_F(write, untouched_page)
{
	char *p = write_anon(PSZ, PROT_READ | PROT_WRITE);

	ASSERT_NE(NULL, p);
	ASSERT_EQ(0, ml_mtest_cmd(self->fd, "w %d %lx 200", getpid(),
			       (unsigned long)p + 100));
	EXPECT_EQ((char)200, p[100]);
	EXPECT_EQ(0, p[99]);
}

TEST_F(write, prot_none_page)
{
	char *p = write_anon(PSZ, PROT_NONE);

	ASSERT_NE(NULL, p);
	ASSERT_EQ(self->forces ? 0 : -EFAULT,
		  ml_mtest_cmd(self->fd, "w %d %lx 77", getpid(),
			    (unsigned long)p + 1));
	ASSERT_EQ(0, mprotect(p, PSZ, PROT_READ));
	EXPECT_EQ(self->forces ? 77 : 0, p[1]);
	EXPECT_EQ(0, p[0]);
}

/* A forced write to a read-only private mapping breaks COW. */
TEST_F(write, readonly_private_anon)
{
	char *p = write_anon(PSZ, PROT_READ | PROT_WRITE);

	ASSERT_NE(NULL, p);
	p[0] = 1;
	ASSERT_EQ(0, mprotect(p, PSZ, PROT_READ));
	ASSERT_EQ(self->forces ? 0 : -EFAULT,
		  ml_mtest_cmd(self->fd, "w %d %lx 2", getpid(),
			    (unsigned long)p));
	EXPECT_EQ(self->forces ? 2 : 1, p[0]);
}

/*
 * The target's ptracer may always write through its protections, as
 * /proc/PID/mem and PTRACE_POKEDATA allow, whatever the force rule; a
 * process that is not the tracer gets what /proc/self/mem gave this one.
 */
TEST_F(write, readonly_private_ptracer)
{
	char *p = write_anon(PSZ, PROT_READ | PROT_WRITE);
	unsigned char out[1];
	int status;

	ASSERT_NE(NULL, p);
	p[0] = 1;
	ASSERT_EQ(0, mprotect(p, PSZ, PROT_READ));
	ASSERT_EQ(0, target_start(&self->t, NULL, NULL));

	ASSERT_EQ(self->forces ? 0 : -EFAULT,
		  ml_mtest_cmd(self->fd, "w %d %lx 3", self->t.pid,
			    (unsigned long)p));
	ASSERT_EQ(0, ml_mtest_read_text(self->fd, self->t.pid, (unsigned long)p,
				out, 1));
	EXPECT_EQ(self->forces ? 3 : 1, out[0]);

	ASSERT_EQ(0, ptrace(PTRACE_ATTACH, self->t.pid, NULL, NULL));
	ASSERT_EQ(self->t.pid, waitpid(self->t.pid, &status, 0));
	ASSERT_TRUE(WIFSTOPPED(status));
	EXPECT_EQ(0, ml_mtest_cmd(self->fd, "w %d %lx 4", self->t.pid,
			       (unsigned long)p));
	ASSERT_EQ(0, ml_mtest_read_text(self->fd, self->t.pid, (unsigned long)p,
				out, 1));
	EXPECT_EQ(4, out[0]);
	ASSERT_EQ(0, ptrace(PTRACE_DETACH, self->t.pid, NULL, NULL));
	/* Ours is untouched: the child's copy was written. */
	EXPECT_EQ(1, p[0]);
}

/* Both a read-only and a writable private file mapping. */
TEST_F(write, private_file_keeps_file)
{
	char *priv_ro, *priv_rw, *shared;

	priv_ro = mmap(NULL, 2 * PSZ, PROT_READ, MAP_PRIVATE, self->ffd, 0);
	ASSERT_NE(MAP_FAILED, priv_ro);
	priv_rw = mmap(NULL, 2 * PSZ, PROT_READ | PROT_WRITE, MAP_PRIVATE,
		       self->ffd, 0);
	ASSERT_NE(MAP_FAILED, priv_rw);
	shared = mmap(NULL, 2 * PSZ, PROT_READ, MAP_SHARED, self->ffd, 0);
	ASSERT_NE(MAP_FAILED, shared);
	ASSERT_EQ('f', priv_ro[PSZ]);

	ASSERT_EQ(self->forces ? 0 : -EFAULT,
		  ml_mtest_cmd(self->fd, "w %d %lx 65 66", getpid(),
			    (unsigned long)priv_ro + PSZ - 1));
	ASSERT_EQ(0, ml_mtest_cmd(self->fd, "w %d %lx 67", getpid(),
			       (unsigned long)priv_rw + 10));
	EXPECT_EQ(self->forces ? 'A' : 'f', priv_ro[PSZ - 1]);
	EXPECT_EQ(self->forces ? 'B' : 'f', priv_ro[PSZ]);
	EXPECT_EQ('C', priv_rw[10]);
	/* Not the page cache, not the file, not the other private mapping. */
	EXPECT_EQ('f', shared[PSZ - 1]);
	EXPECT_EQ('f', shared[PSZ]);
	EXPECT_EQ('f', shared[10]);
	EXPECT_EQ('f', write_file_byte(self->ffd, PSZ - 1));
	EXPECT_EQ('f', write_file_byte(self->ffd, PSZ));
	EXPECT_EQ('f', write_file_byte(self->ffd, 10));
	EXPECT_EQ('f', priv_rw[PSZ - 1]);
	EXPECT_EQ('f', priv_ro[10]);
}

TEST_F(write, readonly_shared_file_efault)
{
	char *ro = mmap(NULL, PSZ, PROT_READ, MAP_SHARED, self->ffd, 0);

	ASSERT_NE(MAP_FAILED, ro);
	ASSERT_EQ('f', ro[0]);
	EXPECT_EQ(-EFAULT, ml_mtest_cmd(self->fd, "w %d %lx 65", getpid(),
				     (unsigned long)ro));
	EXPECT_EQ('f', ro[0]);
	EXPECT_EQ('f', write_file_byte(self->ffd, 0));
}

TEST_F(write, shared_file_reaches_file)
{
	char *rw = mmap(NULL, 2 * PSZ, PROT_READ | PROT_WRITE, MAP_SHARED,
			self->ffd, 0);
	char *other = mmap(NULL, 2 * PSZ, PROT_READ, MAP_SHARED, self->ffd, 0);
	int ffd2;

	ASSERT_NE(MAP_FAILED, rw);
	ASSERT_NE(MAP_FAILED, other);
	ASSERT_EQ(0, ml_mtest_cmd(self->fd, "w %d %lx 88 89", getpid(),
			       (unsigned long)rw + PSZ - 1));
	EXPECT_EQ('X', rw[PSZ - 1]);
	EXPECT_EQ('Y', rw[PSZ]);
	EXPECT_EQ('X', other[PSZ - 1]);
	EXPECT_EQ('Y', other[PSZ]);
	ASSERT_EQ(0, msync(rw, 2 * PSZ, MS_SYNC));
	ffd2 = open(self->path, O_RDONLY);
	ASSERT_LE(0, ffd2);
	EXPECT_EQ('X', write_file_byte(ffd2, PSZ - 1));
	EXPECT_EQ('Y', write_file_byte(ffd2, PSZ));
	close(ffd2);
}

/* Writing into the child breaks COW there only. */
TEST_F(write, child_cow_leaves_parent)
{
	char *p = write_anon(PSZ, PROT_READ | PROT_WRITE);
	unsigned char out;

	ASSERT_NE(NULL, p);
	p[0] = 10;
	ASSERT_EQ(0, target_start(&self->t, NULL, NULL));
	ASSERT_EQ(0, ml_mtest_cmd(self->fd, "w %d %lx 20", self->t.pid,
			       (unsigned long)p));
	EXPECT_EQ(10, p[0]);
	ASSERT_EQ(0, ml_mtest_read_text(self->fd, self->t.pid, (unsigned long)p, &out, 1));
	EXPECT_EQ(20, out);
	ASSERT_EQ(0, ml_mtest_read_text(self->fd, getpid(), (unsigned long)p, &out, 1));
	EXPECT_EQ(10, out);
}

TEST_F(write, parent_cow_leaves_child)
{
	char *p = write_anon(PSZ, PROT_READ | PROT_WRITE);
	unsigned char out;

	ASSERT_NE(NULL, p);
	p[0] = 10;
	ASSERT_EQ(0, target_start(&self->t, NULL, NULL));
	ASSERT_EQ(0, ml_mtest_cmd(self->fd, "w %d %lx 30", getpid(),
			       (unsigned long)p));
	EXPECT_EQ(30, p[0]);
	ASSERT_EQ(0, ml_mtest_read_text(self->fd, self->t.pid, (unsigned long)p, &out, 1));
	EXPECT_EQ(10, out);
}

/* The child read-faults its own untouched page onto the zero page. */
/* 1 if @len bytes at @p are all zero. */
static int write_all_zero(const void *p, size_t len)
{
	const unsigned char *b = p;

	return !len || (!b[0] && !memcmp(b, b + 1, len - 1));
}

static int write_touch_zero(void *arg)
{
	return __atomic_load_n((char *)arg, __ATOMIC_RELAXED);
}

/*
 * Untouched anonymous pages read as zero through the shared zero page;
 * writing one of them must give it a page of its own.
 */
TEST_F(write, zero_page_stays_zero)
{
	char *p = write_anon(4 * PSZ, PROT_READ | PROT_WRITE);
	unsigned char out[RMAX];

	ASSERT_NE(NULL, p);
	ASSERT_EQ(0, target_start(&self->t, write_touch_zero, p + 2 * PSZ));
	/* Read-fault pages 0 and 1 here, through mtest and directly. */
	ASSERT_EQ(0, ml_mtest_read_text(self->fd, getpid(), (unsigned long)p, out, RMAX));
	EXPECT_EQ(0, __atomic_load_n(p + PSZ, __ATOMIC_RELAXED));

	ASSERT_EQ(0, ml_mtest_cmd(self->fd, "w %d %lx 99", getpid(),
			       (unsigned long)p + 8));
	ASSERT_EQ(0, ml_mtest_cmd(self->fd, "w %d %lx 98", self->t.pid,
			       (unsigned long)p + 3 * PSZ));
	EXPECT_EQ(99, p[8]);
	EXPECT_TRUE(write_all_zero(p + PSZ, PSZ));
	EXPECT_TRUE(write_all_zero(p + 2 * PSZ, PSZ));
	EXPECT_TRUE(write_all_zero(p + 3 * PSZ, PSZ));
	ASSERT_EQ(0, ml_mtest_read_text(self->fd, getpid(), (unsigned long)p + PSZ, out,
				RMAX));
	EXPECT_TRUE(write_all_zero(out, RMAX));
	ASSERT_EQ(0, ml_mtest_read_text(self->fd, self->t.pid,
				(unsigned long)p + 2 * PSZ, out, RMAX));
	EXPECT_TRUE(write_all_zero(out, RMAX));
	ASSERT_EQ(0, ml_mtest_read_text(self->fd, self->t.pid, (unsigned long)p, out,
				RMAX));
	EXPECT_TRUE(write_all_zero(out, RMAX));
	/* A fresh mapping elsewhere still reads zero. */
	ASSERT_EQ(0, munmap(p, 4 * PSZ));
	p = write_anon(PSZ, PROT_READ);
	ASSERT_NE(NULL, p);
	EXPECT_TRUE(write_all_zero(p, PSZ));
}

/*
 * One check over every kind of memory, as the kernel's selftests/mm/cow.c
 * (the fixture "kinds", tests/lib/memkind_fixture.h): a kind this system
 * cannot give is a SKIP that says why. Defined here, not at the top: the
 * harness runs the fixtures in the order they are defined.
 */
#include "memkind_fixture.h"

/*
 * "w" writes through to each kind: at the start, the middle and the end,
 * the bytes written and nothing else change (a private zero or swapped
 * page is copied or faulted in first), and a shared file's page cache
 * holds them.
 */
TEST_F(kinds, w_writes_each_kind)
{
	const struct memkind_area *a = &self->a;
	unsigned char data[16], back[16];
	size_t offs[3], i, j;

	if (self->why)
		SKIP(return, "%s: %s", memkind_name(a->kind), self->why);
	offs[0] = 0;
	offs[1] = (a->size / 2 + 5);
	offs[2] = a->size - sizeof(data);
	for (i = 0; i < 3; i++) {
		size_t off = offs[i];

		for (j = 0; j < sizeof(data); j++)
			data[j] = ~memkind_byte(a, off + j) ^ (unsigned char)i;
		ASSERT_EQ(0, ml_mtest_write_one(self->fd, getpid(),
						(unsigned long)a->addr + off,
						data, sizeof(data)))
			TH_LOG("%s at +%#zx", memkind_name(a->kind), off);
		EXPECT_EQ(0, memcmp(a->addr + off, data, sizeof(data)))
			TH_LOG("%s at +%#zx", memkind_name(a->kind), off);
		if (off)
			EXPECT_EQ(memkind_byte(a, off - 1), a->addr[off - 1]);
		if (off + sizeof(data) < a->size)
			EXPECT_EQ(memkind_byte(a, off + sizeof(data)),
				  a->addr[off + sizeof(data)]);
		if (a->kind == MEMKIND_FILE) {
			ASSERT_EQ((ssize_t)sizeof(back),
				  pread(a->fd, back, sizeof(back), off));
			EXPECT_EQ(0, memcmp(back, data, sizeof(data)))
				TH_LOG("the file does not hold the write");
		}
	}
}

TEST_HARNESS_MAIN
