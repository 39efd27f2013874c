// SPDX-License-Identifier: GPL-2.0-only
/*
 * /proc/maptest: mmap bounds and offsets, private and shared mappings,
 * read() against the mapping, and the device-like MADV_DONTNEED.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/capability.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "client.h"
#include "mapbuf.h"
#include "priv.h"
#include "procfs.h"

#define PSZ	procfs_page_size()

FIXTURE(maptest) {
	int fd;
	long size;	/* buffer bytes */
	long pages;
	char *restore;	/* a shared-write test's byte to put back */
	char saved;
};

FIXTURE_SETUP(maptest)
{
	self->size = ml_mapbuf_size();
	ASSERT_LT(0, self->size) TH_LOG("read %s: %s", MEMLAB_MAPTEST_PATH,
				       strerror(-self->size));
	ASSERT_EQ(0, self->size % (long)PSZ)
		TH_LOG("read() gave %ld bytes, not whole pages less one",
		       self->size - 1);
	self->pages = self->size / PSZ;
	self->fd = open(MEMLAB_MAPTEST_PATH, O_RDONLY);
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(maptest)
{
	if (self->restore)
		*self->restore = self->saved;
	if (self->fd >= 0)
		close(self->fd);
}

static void *maptest_map(int fd, size_t len, int prot, int flags, off_t off)
{
	return mmap(NULL, len, prot, flags, fd, off);
}

/* The whole of read(), up to EOF. */
static long maptest_read_all(int fd, char *buf, size_t size)
{
	long got = 0;
	ssize_t n;

	while ((n = pread(fd, buf + got, size - got, got)) > 0)
		got += n;
	return n < 0 ? -errno : got;
}

TEST_F(maptest, banner_private_readonly)
{
	char *p = maptest_map(self->fd, PSZ, PROT_READ, MAP_PRIVATE, 0);

	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(0, strncmp(p, MAPTEST_BANNER "\n", strlen(MAPTEST_BANNER) + 1));
}

TEST_F(maptest, banner_shared_readonly)
{
	char *p = maptest_map(self->fd, PSZ, PROT_READ, MAP_SHARED, 0);

	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(0, strncmp(p, MAPTEST_BANNER "\n", strlen(MAPTEST_BANNER) + 1));
}

TEST_F(maptest, whole_buffer)
{
	char *p = maptest_map(self->fd, self->size, PROT_READ, MAP_SHARED, 0);
	const char *why;

	ASSERT_NE(MAP_FAILED, p);
	why = ml_mapbuf_check(p, self->size);
	EXPECT_EQ(NULL, why) TH_LOG("%s", why);
}

TEST_F(maptest, length_beyond_buffer)
{
	errno = 0;
	EXPECT_EQ(MAP_FAILED, maptest_map(self->fd, self->size + PSZ, PROT_READ,
					  MAP_PRIVATE, 0));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(maptest, offset_beyond_buffer)
{
	errno = 0;
	EXPECT_EQ(MAP_FAILED, maptest_map(self->fd, PSZ, PROT_READ, MAP_PRIVATE,
					  self->size));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	EXPECT_EQ(MAP_FAILED, maptest_map(self->fd, PSZ, PROT_READ, MAP_PRIVATE,
					  self->size + 16 * PSZ));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(maptest, offset_plus_length_beyond_buffer)
{
	errno = 0;
	EXPECT_EQ(MAP_FAILED, maptest_map(self->fd, 2 * PSZ, PROT_READ,
					  MAP_PRIVATE, self->size - PSZ));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	EXPECT_EQ(MAP_FAILED, maptest_map(self->fd, self->size, PROT_READ,
					  MAP_SHARED, PSZ));
	EXPECT_EQ(EINVAL, errno);
}

/* Page p mapped on its own shows "page %04u" p. */
TEST_F(maptest, offsets)
{
	long p;

	for (p = 0; p < self->pages; p++) {
		char *m = maptest_map(self->fd, PSZ, PROT_READ, MAP_PRIVATE,
				      p * PSZ);

		ASSERT_NE(MAP_FAILED, m) TH_LOG("page %ld: %s", p,
						strerror(errno));
		EXPECT_TRUE(ml_mapbuf_has_marker(m, PSZ, p)) TH_LOG("page %ld", p);
		if (p)
			EXPECT_NE(0, strncmp(m, MAPTEST_BANNER,
					     strlen(MAPTEST_BANNER)));
		munmap(m, PSZ);
	}
	/* A window of the last page with its neighbour. */
	if (self->pages > 1) {
		char *m = maptest_map(self->fd, 2 * PSZ, PROT_READ, MAP_SHARED,
				      self->size - 2 * PSZ);

		ASSERT_NE(MAP_FAILED, m);
		EXPECT_TRUE(ml_mapbuf_has_marker(m, PSZ, self->pages - 2));
		EXPECT_TRUE(ml_mapbuf_has_marker(m + PSZ, PSZ, self->pages - 1));
		EXPECT_EQ(0, m[2 * PSZ - 1]);
	}
}

TEST_F(maptest, private_write_stays_private)
{
	char *priv = maptest_map(self->fd, PSZ, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE, 0);
	char *other = maptest_map(self->fd, PSZ, PROT_READ, MAP_SHARED, 0);
	char buf[64];

	ASSERT_NE(MAP_FAILED, priv);
	ASSERT_NE(MAP_FAILED, other);
	priv[0] = '#';
	EXPECT_EQ('#', priv[0]);
	EXPECT_EQ(MAPTEST_BANNER[0], other[0]);
	ASSERT_EQ(16, pread(self->fd, buf, 16, 0));
	EXPECT_EQ(MAPTEST_BANNER[0], buf[0]);
}

TEST_F(maptest, shared_write_needs_rdwr)
{
	char *p;

	errno = 0;
	EXPECT_EQ(MAP_FAILED, maptest_map(self->fd, PSZ, PROT_READ | PROT_WRITE,
					  MAP_SHARED, 0));
	EXPECT_EQ(EACCES, errno);
	/* Nor can a read-only shared mapping be made writable later. */
	p = maptest_map(self->fd, PSZ, PROT_READ, MAP_SHARED, 0);
	ASSERT_NE(MAP_FAILED, p);
	errno = 0;
	EXPECT_EQ(-1, mprotect(p, PSZ, PROT_READ | PROT_WRITE));
	EXPECT_EQ(EACCES, errno);
}

/*
 * O_RDWR is root's alone (mode 0644). CAP_SYS_ADMIN is judged on the
 * opener's credentials: the privilege held at mmap() time is not asked.
 */
TEST_F(maptest, shared_write_needs_cap_sys_admin_at_open)
{
	char *p;
	int fd;

	if (!priv_root()) {
		errno = 0;
		EXPECT_EQ(-1, open(MEMLAB_MAPTEST_PATH, O_RDWR));
		EXPECT_EQ(EACCES, errno);
		return;
	}
	ASSERT_EQ(0, priv_cap_effective(CAP_SYS_ADMIN, false));
	fd = open(MEMLAB_MAPTEST_PATH, O_RDWR);
	ASSERT_EQ(0, priv_cap_effective(CAP_SYS_ADMIN, true));
	ASSERT_LE(0, fd);
	errno = 0;
	EXPECT_EQ(MAP_FAILED, maptest_map(fd, PSZ, PROT_READ | PROT_WRITE,
					  MAP_SHARED, 0));
	EXPECT_EQ(EPERM, errno);
	/*
	 * The file is writable, so only maptest can keep a read-only shared
	 * mapping from becoming writable (VM_MAYWRITE).
	 */
	p = maptest_map(fd, PSZ, PROT_READ, MAP_SHARED, 0);
	ASSERT_NE(MAP_FAILED, p);
	errno = 0;
	EXPECT_EQ(-1, mprotect(p, PSZ, PROT_READ | PROT_WRITE));
	EXPECT_EQ(EACCES, errno);
	close(fd);
}

/* ... and a file opened with it keeps the right after the caps are gone. */
TEST_F(maptest, shared_write_keeps_the_openers_cap)
{
	char *p;
	int fd;

	if (!priv_root())
		SKIP(return, "needs root (O_RDWR and CAP_SYS_ADMIN)");
	fd = open(MEMLAB_MAPTEST_PATH, O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, priv_drop_caps());
	p = maptest_map(fd, PSZ, PROT_READ, MAP_SHARED, 0);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(0, mprotect(p, PSZ, PROT_READ | PROT_WRITE));
	close(fd);
}

TEST_F(maptest, shared_write_visible)
{
	char *rw, *other, buf[256];
	long off;
	int fd;

	if (!priv_root())
		SKIP(return, "needs root (O_RDWR and CAP_SYS_ADMIN)");
	fd = open(MEMLAB_MAPTEST_PATH, O_RDWR);
	ASSERT_LE(0, fd);
	rw = maptest_map(fd, self->size, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	close(fd);
	ASSERT_NE(MAP_FAILED, rw) TH_LOG("mmap shared rw: %s", strerror(errno));
	other = maptest_map(self->fd, self->size, PROT_READ, MAP_SHARED, 0);
	ASSERT_NE(MAP_FAILED, other);
	/* Change one character of the banner; teardown puts it back. */
	off = 7;
	self->saved = rw[off];
	self->restore = rw + off;
	rw[off] = '#';
	EXPECT_EQ('#', other[off]);
	ASSERT_EQ((ssize_t)sizeof(buf), pread(self->fd, buf, sizeof(buf), 0));
	EXPECT_EQ('#', buf[off]);
	/* And in a new private mapping taken now. */
	EXPECT_EQ('#', ((char *)maptest_map(self->fd, PSZ, PROT_READ,
					    MAP_PRIVATE, 0))[off]);
}

TEST_F(maptest, read_equals_mapping)
{
	char *m = maptest_map(self->fd, self->size, PROT_READ, MAP_PRIVATE, 0);
	char *buf = malloc(self->size + PSZ);
	long n;

	ASSERT_NE(MAP_FAILED, m);
	ASSERT_NE(NULL, buf);
	n = maptest_read_all(self->fd, buf, self->size + PSZ);
	ASSERT_EQ((long)strlen(m), n);
	EXPECT_EQ(self->size - 1, n);
	EXPECT_EQ(0, memcmp(buf, m, n));
	/* Reading from an offset gives the rest. */
	ASSERT_EQ(10, pread(self->fd, buf, 10, self->size - 11));
	EXPECT_EQ(0, memcmp(buf, m + self->size - 11, 10));
	EXPECT_EQ(0, pread(self->fd, buf, 10, self->size - 1));
	free(buf);
}

/* mtest reads a maptest mapping like any other memory. */
TEST_F(maptest, mtest_reads_mapping)
{
	char *m = maptest_map(self->fd, PSZ, PROT_READ, MAP_PRIVATE, 0);
	unsigned char out[16];
	int fd = ml_mtest_open();

	ASSERT_NE(MAP_FAILED, m);
	if (fd < 0)
		SKIP(return, "/proc/mtest: %s", strerror(-fd));
	ASSERT_EQ(0, ml_mtest_read_text(fd, getpid(), (unsigned long)m, out, 16));
	EXPECT_EQ(0, memcmp(out, MAPTEST_BANNER, 16));
	close(fd);
}

/* Pages are inserted at mmap time; once zapped, nothing faults them back. */
TEST_F_SIGNAL(maptest, dontneed_then_sigbus, SIGBUS)
{
	char *m = maptest_map(self->fd, PSZ, PROT_READ, MAP_PRIVATE, 0);

	ASSERT_NE(MAP_FAILED, m);
	ASSERT_EQ(MAPTEST_BANNER[0], m[0]);
	ASSERT_EQ(0, madvise(m, PSZ, MADV_DONTNEED));
	/* The volatile-free way to force the load. */
	if (__atomic_load_n(m, __ATOMIC_RELAXED) != 'x')
		TH_LOG("no SIGBUS: re-touch read 0x%02x",
		       __atomic_load_n(m, __ATOMIC_RELAXED));
}

TEST_HARNESS_MAIN
