// SPDX-License-Identifier: GPL-2.0-only
/*
 * "t" and "r" against page tables that change under them: one thread
 * walks a range while another collapses it into THPs (MADV_COLLAPSE,
 * anonymous and shmem: the collapse frees the old PTE table under RCU),
 * zaps it (MADV_DONTNEED), and unmaps and maps it again. The commands must
 * answer 0, EFAULT (nothing mapped just then) or EAGAIN (the tables kept
 * changing), and the kernel log must stay clean (the VM runner scans it;
 * the debug kernel adds KASAN and lockdep). MEMLAB_RACE_SECONDS sets the
 * time per test (default 2).
 */
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

#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE	25
#endif

struct race {
	char *base;		/* RACE_LEN bytes, PMD aligned */
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

	if (mmap(r->base, RACE_LEN, PROT_READ | PROT_WRITE, flags, r->memfd,
		 0) == MAP_FAILED)
		return;
	madvise(r->base, RACE_LEN, MADV_HUGEPAGE);
	memset(r->base, 0x5a, RACE_LEN);
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
		off = (off + PSZ * 37) % RACE_LEN;
		ret = ml_mtest_cmd(fd, (off / PSZ) % 2 ? "t %d %lx" : "r %d %lx 64",
				getpid(), (unsigned long)r->base + off);
		if (ret && ret != -EFAULT && ret != -EAGAIN) {
			r->bad++;
			r->last_err = ret;
		}
		r->walks++;
	}
	close(fd);
	return NULL;
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
		switch (step++ % 4) {
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

TEST_HARNESS_MAIN
