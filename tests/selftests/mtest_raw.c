// SPDX-License-Identifier: GPL-2.0-only
/*
 * /proc/mtest "R": the bytes themselves, up to MTEST_RAW_MAX. They equal
 * the target's memory; the result reads in pieces and again from 0; errors
 * are those of "r" and keep the previous result; the per-uid byte budget
 * refuses with ENOBUFS.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include "kselftest_harness.h"
#include "client.h"
#include "memkind.h"
#include "priv.h"
#include "procfs.h"
#include "target.h"

#define PSZ		procfs_page_size()
#define MIB		(1024UL * 1024)
/* The area: 1 MiB of pattern, one more page, then a hole of one page. */
#define AREA		(MIB + PSZ)
#define BUDGET_PARAM	"/sys/module/mtest/parameters/max_result_bytes_per_uid"

FIXTURE(raw) {
	int fd;
	struct target t;
	unsigned char *area;
	unsigned char *out;	/* MTEST_RAW_MAX + 1 bytes */
	char budget[32];	/* the parameter's value to restore, or "" */
};

FIXTURE_SETUP(raw)
{
	unsigned long i;

	self->t.pid = -1;
	self->t.go = -1;
	self->budget[0] = '\0';
	self->fd = ml_mtest_open();
	ASSERT_LE(0, self->fd) TH_LOG("open: %s", strerror(-self->fd));
	self->area = mmap(NULL, AREA + PSZ, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->area);
	ASSERT_EQ(0, munmap(self->area + AREA, PSZ));
	/* Not a period of 256 bytes, so a shifted copy cannot match. */
	for (i = 0; i < AREA; i++)
		self->area[i] = (i * 7 + i / 251) & 0xff;
	self->out = malloc(MTEST_RAW_MAX + 1);
	ASSERT_NE(NULL, self->out);
}

FIXTURE_TEARDOWN(raw)
{
	int fd;

	if (self->budget[0]) {
		fd = open(BUDGET_PARAM, O_WRONLY);
		if (fd < 0 || write(fd, self->budget, strlen(self->budget)) < 0)
			TH_LOG("cannot restore %s", BUDGET_PARAM);
		if (fd >= 0)
			close(fd);
	}
	target_kill(&self->t);
	free(self->out);
	if (self->fd >= 0)
		close(self->fd);
}

/* The whole result from offset 0 in reads of @chunk; its length or -errno. */
static ssize_t raw_result(int fd, unsigned char *buf, size_t size,
			  size_t chunk)
{
	size_t got = 0;
	ssize_t n;

	if (lseek(fd, 0, SEEK_SET))
		return -errno;
	while (got < size) {
		n = read(fd, buf + got, chunk < size - got ? chunk : size - got);
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		got += n;
	}
	return got;
}

/* R, then the result: 0 when it is exactly @len bytes equal to @want. */
static int raw_check(int fd, pid_t pid, const void *addr, size_t len,
		     unsigned char *out, const void *want)
{
	ssize_t n;
	int ret;

	ret = ml_mtest_cmd(fd, "R %d %lx %zu", (int)pid, (unsigned long)addr,
			len);
	if (ret)
		return ret;
	n = raw_result(fd, out, MTEST_RAW_MAX + 1, MTEST_RAW_MAX + 1);
	if (n < 0)
		return n;
	if ((size_t)n != len)
		return -EMSGSIZE;
	return memcmp(out, want, len) ? -EPROTO : 0;
}

/* The seed: one known byte as the result that refusals must keep. */
#define RAW_SEED(self) \
	ASSERT_EQ(0, raw_check((self)->fd, getpid(), (self)->area + 5, 1, \
			       (self)->out, (self)->area + 5))

#define EXPECT_SEED_KEPT(self) do { \
		EXPECT_EQ(1, raw_result((self)->fd, (self)->out, 16, 16)); \
		EXPECT_EQ((self)->area[5], (self)->out[0]); \
	} while (0)

TEST_F(raw, one_byte)
{
	EXPECT_EQ(0, raw_check(self->fd, getpid(), self->area + 77, 1,
			       self->out, self->area + 77));
}

TEST_F(raw, one_page)
{
	EXPECT_EQ(0, raw_check(self->fd, getpid(), self->area + PSZ, PSZ,
			       self->out, self->area + PSZ));
}

TEST_F(raw, across_page_boundary)
{
	EXPECT_EQ(0, raw_check(self->fd, getpid(), self->area + PSZ - 3, 10,
			       self->out, self->area + PSZ - 3));
	/* Unaligned at both ends, over 16 pages: several pin batches. */
	EXPECT_EQ(0, raw_check(self->fd, getpid(), self->area + 123,
			       20 * PSZ + 45, self->out, self->area + 123));
}

/* The most one command reads, from another process, at an odd address. */
TEST_F(raw, one_mib_of_another_process)
{
	unsigned char *copy = malloc(MIB);

	ASSERT_NE(NULL, copy);
	memcpy(copy, self->area + 1, MIB);
	ASSERT_EQ(0, target_start(&self->t, NULL, NULL));
	/* Change ours after the fork: the target must still show the old. */
	memset(self->area, 0xee, AREA);
	EXPECT_EQ(0, raw_check(self->fd, self->t.pid, self->area + 1,
			       MTEST_RAW_MAX, self->out, copy));
	free(copy);
}

TEST_F(raw, untouched_memory_reads_zero)
{
	unsigned char *fresh, *zero;

	fresh = mmap(NULL, MIB, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, fresh);
	zero = calloc(1, MIB);
	ASSERT_NE(NULL, zero);
	EXPECT_EQ(0, raw_check(self->fd, getpid(), fresh, MIB, self->out,
			       zero));
	free(zero);
	munmap(fresh, MIB);
}

/* Small reads walk the file offset; lseek and pread start again at 0. */
/* A million 1-byte reads: minutes under TCG on a loaded host. */
TEST_F_TIMEOUT(raw, read_in_pieces_and_again, 300)
{
	const size_t chunks[] = { 1, 1000, PSZ, 65536 + 7 };
	unsigned int i;

	ASSERT_EQ(0, raw_check(self->fd, getpid(), self->area, MIB,
			       self->out, self->area));
	for (i = 0; i < ARRAY_SIZE(chunks); i++) {
		memset(self->out, 0, MIB);
		EXPECT_EQ((ssize_t)MIB, raw_result(self->fd, self->out,
						    MIB + 1, chunks[i]));
		EXPECT_EQ(0, memcmp(self->out, self->area, MIB))
			TH_LOG("in reads of %zu", chunks[i]);
	}
	/* At the end: nothing more, and pread from 0 sees it all again. */
	EXPECT_EQ(0, read(self->fd, self->out, 16));
	EXPECT_EQ(16, pread(self->fd, self->out, 16, 0));
	EXPECT_EQ(0, memcmp(self->out, self->area, 16));
	EXPECT_EQ(16, pread(self->fd, self->out, 16, MIB - 16));
	EXPECT_EQ(0, memcmp(self->out, self->area + MIB - 16, 16));
	EXPECT_EQ(0, pread(self->fd, self->out, 16, MIB));
}

/* "r" keeps its text; the two replace each other's result. */
TEST_F(raw, r_text_unchanged)
{
	static unsigned char bytes[] = { 0, 9, 255 };
	char text[64];

	RAW_SEED(self);
	ASSERT_EQ(0, ml_mtest_cmd(self->fd, "r %d %lx 3", getpid(),
			       (unsigned long)bytes));
	ASSERT_EQ(8, ml_mtest_result(self->fd, text, sizeof(text)));
	EXPECT_STREQ("0 9 255\n", text);
	EXPECT_EQ(0, raw_check(self->fd, getpid(), bytes, 3, self->out,
			       bytes));
}

TEST_F(raw, bad_len_einval)
{
	static const char * const lens[] = {
		"0", "1048577", "0x100001", "4294967296", "18446744073709551616",
		"99999999999999999999999999999999999999999999999999999999", "-1",
		"1M", "", "1 2",
	};
	const char *len;
	unsigned int i;

	RAW_SEED(self);
	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		len = lens[i];
		EXPECT_EQ(-EINVAL, ml_mtest_cmd(self->fd, "R %d %lx %s", getpid(),
					     (unsigned long)self->area, len))
			TH_LOG("len \"%s\"", len);
	}
	EXPECT_SEED_KEPT(self);
}

/* Running into the hole fails whole, even after 16 pages were copied. */
TEST_F(raw, partly_unmapped_efault)
{
	RAW_SEED(self);
	EXPECT_EQ(-EFAULT, ml_mtest_cmd(self->fd, "R %d %lx 8", getpid(),
				     (unsigned long)self->area + AREA - 4));
	EXPECT_EQ(-EFAULT, ml_mtest_cmd(self->fd, "R %d %lx %lu", getpid(),
				     (unsigned long)self->area + 2 * PSZ,
				     (unsigned long)MTEST_RAW_MAX));
	EXPECT_EQ(-EFAULT, ml_mtest_cmd(self->fd, "R %d %lx 1", getpid(),
				     (unsigned long)self->area + AREA));
	EXPECT_SEED_KEPT(self);
}

/* Wrapping ranges, kernel addresses and page 0: EFAULT, no splat. */
TEST_F(raw, address_edges_efault)
{
	static const char * const addrs[] = {
		"ffffffffffffffff", "fffffffffffff001", "fffffffffff00000",
		"ffff888000000000", "ffffffff81000000", "0", "1000",
	};
	unsigned int i;

	RAW_SEED(self);
	for (i = 0; i < ARRAY_SIZE(addrs); i++) {
		EXPECT_EQ(-EFAULT, ml_mtest_cmd(self->fd, "R %d %s 2", getpid(),
					     addrs[i])) TH_LOG("%s", addrs[i]);
		EXPECT_EQ(-EFAULT, ml_mtest_cmd(self->fd, "R %d %s %lu", getpid(),
					     addrs[i], (unsigned long)MTEST_RAW_MAX))
			TH_LOG("%s", addrs[i]);
	}
	EXPECT_SEED_KEPT(self);
}

TEST_F(raw, no_such_process_esrch)
{
	RAW_SEED(self);
	EXPECT_EQ(-ESRCH, ml_mtest_cmd(self->fd, "R 0 %lx 1",
				    (unsigned long)self->area));
	EXPECT_EQ(-ESRCH, ml_mtest_cmd(self->fd, "R 4194304 %lx 1",
				    (unsigned long)self->area));
	EXPECT_SEED_KEPT(self);
}

static int raw_set_budget(const char *value)
{
	int fd = open(BUDGET_PARAM, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, value, strlen(value));
	close(fd);
	return n < 0 ? -errno : 0;
}

/*
 * A budget of 1.5 MiB: one 1 MiB result fits; a second needs another
 * 1 MiB buffer while the first is held, so it fails with ENOBUFS and
 * keeps the first; small commands still fit.
 */
TEST_F(raw, byte_budget_enobufs)
{
	char text[64];
	int ret;

	if (!priv_root())
		SKIP(return, "needs root to set max_result_bytes_per_uid");
	ASSERT_LT(0, procfs_read(BUDGET_PARAM, self->budget,
				 sizeof(self->budget)));
	ret = raw_set_budget("1572864");
	ASSERT_EQ(0, ret) TH_LOG("set %s: %s", BUDGET_PARAM, strerror(-ret));
	ret = raw_check(self->fd, getpid(), self->area, MIB, self->out,
			self->area);
	if (ret == -ENOBUFS)
		SKIP(return, "other live processes of this uid hold results");
	ASSERT_EQ(0, ret);
	EXPECT_EQ(-ENOBUFS, ml_mtest_cmd(self->fd, "R %d %lx %lu", getpid(),
				      (unsigned long)self->area + 1, MIB));
	EXPECT_EQ((ssize_t)MIB, raw_result(self->fd, self->out, MIB + 1,
					    MIB + 1));
	EXPECT_EQ(0, memcmp(self->out, self->area, MIB));
	EXPECT_EQ(0, raw_check(self->fd, getpid(), self->area + 9, PSZ,
			       self->out, self->area + 9));
	EXPECT_EQ(0, ml_mtest_cmd(self->fd, "r %d %lx", getpid(),
			       (unsigned long)self->area));
	EXPECT_LT(0, ml_mtest_result(self->fd, text, sizeof(text)));
	/* Room again once the limit is raised back. */
	ASSERT_EQ(0, raw_set_budget(self->budget));
	self->budget[0] = '\0';
	EXPECT_EQ(0, raw_check(self->fd, getpid(), self->area + 1, MIB,
			       self->out, self->area + 1));
}

/*
 * One check over every kind of memory, as the kernel's selftests/mm/cow.c
 * (the fixture "kinds", tests/lib/memkind_fixture.h): a kind this system
 * cannot give is a SKIP that says why. Defined here, not at the top: the
 * harness runs the fixtures in the order they are defined.
 */
#include "memkind_fixture.h"

/*
 * "R" of as much of the area as one command reads (all of it but for a
 * THP or hugetlb page larger than MTEST_RAW_MAX), from its start and up
 * to its end: every byte is the pattern.
 */
TEST_F(kinds, R_reads_each_kind)
{
	const struct memkind_area *a = &self->a;
	size_t len, off;
	unsigned char *buf;
	long bad;

	if (self->why)
		SKIP(return, "%s: %s", memkind_name(a->kind), self->why);
	len = a->size < MTEST_RAW_MAX ? a->size : MTEST_RAW_MAX;
	buf = malloc(len);
	ASSERT_NE(NULL, buf);
	for (off = 0; ; off = a->size - len) {
		memset(buf, 0xa5, len);
		ASSERT_EQ(0, ml_mtest_read_raw(self->fd, getpid(),
					       (unsigned long)a->addr + off,
					       buf, len))
			TH_LOG("%s at +%#zx", memkind_name(a->kind), off);
		bad = memkind_mismatch(a, off, buf, len);
		EXPECT_EQ(-1, bad)
			TH_LOG("%s: byte +%#zx", memkind_name(a->kind),
			       off + (size_t)bad);
		if (off == a->size - len)
			break;
	}
	free(buf);
}

TEST_HARNESS_MAIN
