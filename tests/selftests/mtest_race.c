// SPDX-License-Identifier: GPL-2.0-only
/*
 * "t" and "r" against page tables that change under them: one thread
 * walks a range while another collapses it into THPs (MADV_COLLAPSE,
 * anonymous and shmem: the collapse frees the old PTE table under RCU),
 * zaps it (MADV_DONTNEED), and unmaps and maps it again; and one thread
 * walks, reads and writes hugetlb pages of every size other than the
 * default (arm64's contiguous 64 KiB and 32 MiB pages, whose lock is
 * mm->page_table_lock on 6.1) while another faults, zaps and unmaps them.
 * The commands must answer 0, EFAULT (nothing mapped just then) or EAGAIN
 * (the tables kept changing), and the kernel log must stay clean (the VM
 * runner scans it; the debug kernel adds KASAN and lockdep).
 * MEMLAB_RACE_SECONDS sets the time per test (default 2).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>

#include "kselftest_harness.h"
#include "client.h"
#include "procfs.h"

/* Page and PMD leaf (THP) sizes, as this kernel has them. */
#define PSZ		procfs_page_size()
#define HPSZ		procfs_pmd_size()
#define RACE_LEN	(2 * HPSZ)

#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT	26
#endif

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE	23
#endif

#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE	25
#endif

struct race {
	char *base;		/* len bytes, aligned to the leaf size */
	size_t len;		/* RACE_LEN, or two hugetlb pages */
	unsigned long hsize;	/* hugetlb page size, 0: THP */
	int memfd;		/* -1: anonymous */
	volatile int stop;
	long walks, bad, changes;
	int last_err;
};

static double race_seconds(void)
{
	const char *s = getenv("MEMLAB_RACE_SECONDS");

	return s ? atof(s) : 2.0;
}

static void race_map(struct race *r)
{
	int flags = MAP_FIXED | (r->memfd < 0 ? MAP_PRIVATE | MAP_ANONYMOUS :
				 MAP_SHARED);

	if (r->hsize)
		flags |= MAP_HUGETLB |
			 (__builtin_ctzl(r->hsize) << MAP_HUGE_SHIFT);
	if (mmap(r->base, r->len, PROT_READ | PROT_WRITE, flags, r->memfd,
		 0) == MAP_FAILED)
		return;
	if (r->hsize) {
		/*
		 * Not memset: a page the walker still pins is not back in
		 * the pool yet, and a fault would then raise SIGBUS.
		 */
		madvise(r->base, r->len, MADV_POPULATE_WRITE);
		return;
	}
	madvise(r->base, r->len, MADV_HUGEPAGE);
	memset(r->base, 0x5a, r->len);
}

/* The walker's command at @off: t and r, and w on hugetlb pages. */
static const char *race_cmd(struct race *r, unsigned long off)
{
	static const char *const cmds[] = { "t %d %lx", "r %d %lx 64",
					    "w %d %lx 90 91 92" };

	return cmds[(off / PSZ) % (r->hsize ? 3 : 2)];
}

static void *race_walker(void *arg)
{
	struct race *r = arg;
	unsigned long off = 0;
	int fd = ml_mtest_open(), ret;

	if (fd < 0) {
		r->bad++;
		r->last_err = fd;
		return NULL;
	}
	while (!r->stop) {
		off = (off + PSZ * 37) % r->len;
		ret = ml_mtest_cmd(fd, race_cmd(r, off), getpid(),
				   (unsigned long)r->base + off);
		if (ret && ret != -EFAULT && ret != -EAGAIN) {
			r->bad++;
			r->last_err = ret;
		}
		r->walks++;
	}
	close(fd);
	return NULL;
}

/* One change of a THP range: collapse, zap, remap. */
static void race_change_thp(struct race *r, int step)
{
	switch (step % 4) {
	case 0:
		madvise(r->base, RACE_LEN, MADV_COLLAPSE);
		break;
	case 1:
		madvise(r->base + HPSZ / 2, HPSZ, MADV_DONTNEED);
		memset(r->base, 0x5b, RACE_LEN);
		break;
	case 2:
		munmap(r->base, RACE_LEN);
		race_map(r);
		break;
	default:
		madvise(r->base, RACE_LEN, MADV_COLLAPSE);
		memset(r->base + HPSZ, 0x5c, HPSZ);
		break;
	}
}

/* One change of a hugetlb range: zap and fault again, or unmap and remap. */
static void race_change_hugetlb(struct race *r, int step)
{
	if (step % 2) {
		munmap(r->base, r->len);
		race_map(r);
		return;
	}
	madvise(r->base, r->hsize, MADV_DONTNEED);
	madvise(r->base, r->len, MADV_POPULATE_WRITE);
}

static void race_run(struct __test_metadata *_metadata, struct race *r)
{
	struct timespec t0, t;
	pthread_t walker;
	int step = 0;

	race_map(r);
	ASSERT_EQ(0, pthread_create(&walker, NULL, race_walker, r));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		if (r->hsize)
			race_change_hugetlb(r, step++);
		else
			race_change_thp(r, step++);
		r->changes++;
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while (t.tv_sec - t0.tv_sec + (t.tv_nsec - t0.tv_nsec) / 1e9 <
		 race_seconds());
	r->stop = 1;
	pthread_join(walker, NULL);
	TH_LOG("%ld commands against %ld changes", r->walks, r->changes);
	EXPECT_EQ(0, r->bad) TH_LOG("unexpected: %s", strerror(-r->last_err));
	EXPECT_LT(0, r->walks);
}

FIXTURE(race) {
	struct race r;
	char *raw;
};

FIXTURE_SETUP(race)
{
	memset(&self->r, 0, sizeof(self->r));
	self->r.memfd = -1;
	self->r.len = RACE_LEN;
	/* Room to align the range to the PMD size. */
	self->raw = mmap(NULL, RACE_LEN + HPSZ, PROT_NONE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->raw);
	self->r.base = (char *)(((unsigned long)self->raw + HPSZ - 1) &
				~(HPSZ - 1));
}

FIXTURE_TEARDOWN(race)
{
	munmap(self->raw, RACE_LEN + HPSZ);
	if (self->r.memfd >= 0)
		close(self->r.memfd);
}

TEST_F_TIMEOUT(race, anonymous, 300)
{
	race_run(_metadata, &self->r);
}

TEST_F_TIMEOUT(race, shmem, 300)
{
	self->r.memfd = memfd_create("memlab-race", 0);
	ASSERT_LE(0, self->r.memfd);
	ASSERT_EQ(0, ftruncate(self->r.memfd, RACE_LEN));
	race_run(_metadata, &self->r);
}

/* Races on two pages of @size, in a range of its own aligned to @size. */
static void race_hugetlb(struct __test_metadata *_metadata,
			 unsigned long size)
{
	struct race r = { .memfd = -1, .len = 2 * size, .hsize = size };
	char *raw = mmap(NULL, 3 * size, PROT_NONE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_NE(MAP_FAILED, raw);
	r.base = (char *)(((unsigned long)raw + size - 1) & ~(size - 1));
	TH_LOG("hugetlb pages of %lu kB", size >> 10);
	race_run(_metadata, &r);
	munmap(raw, 3 * size);
}

/*
 * Every hugetlb size but the default (which the other tests use) and the
 * PUD size, with two free pages: the guest reserves them (guest-init.sh).
 */
TEST_F_TIMEOUT(race, hugetlb_other_sizes, 300)
{
	unsigned long kb, dflt = procfs_hugetlb_size() >> 10;
	struct dirent *d;
	int sizes = 0;
	DIR *dir;

	dir = opendir("/sys/kernel/mm/hugepages");
	if (!dir)
		SKIP(return, "no hugetlb pages in this kernel");
	while ((d = readdir(dir))) {
		if (sscanf(d->d_name, "hugepages-%lukB", &kb) != 1 ||
		    kb == dflt || (kb << 10) >= procfs_pud_size() ||
		    procfs_hugetlb_free(kb << 10) < 2)
			continue;
		race_hugetlb(_metadata, kb << 10);
		sizes++;
	}
	closedir(dir);
	if (!sizes)
		SKIP(return, "no free hugetlb pages of a size other than %lu kB",
		     dflt);
}

TEST_HARNESS_MAIN
