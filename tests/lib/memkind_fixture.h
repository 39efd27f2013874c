/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * memlab test library: the fixture "kinds", one variant per kind of
 * memory, as the kernel's selftests/mm/cow.c. self->a is an area of
 * variant->kind in the test's own process, made by memkind_map();
 * self->why says why this system cannot give that kind (the test SKIPs
 * with it), else is NULL; self->fd is /proc/mtest.
 *
 * One definition, so that the selftests of "r", "w" and "R" vary over the
 * same kinds under the same test names. Included once, by a kselftest
 * program, after kselftest_harness.h, client.h and memkind.h.
 */
#ifndef MEMLAB_TEST_MEMKIND_FIXTURE_H
#define MEMLAB_TEST_MEMKIND_FIXTURE_H

FIXTURE(kinds) {
	int fd;
	struct memkind_area a;
	const char *why;	/* this kind is not available: why */
};

FIXTURE_VARIANT(kinds) {
	enum memkind kind;
};

FIXTURE_VARIANT_ADD(kinds, anon) { .kind = MEMKIND_ANON };
FIXTURE_VARIANT_ADD(kinds, thp) { .kind = MEMKIND_THP };
FIXTURE_VARIANT_ADD(kinds, hugetlb) { .kind = MEMKIND_HUGETLB };
FIXTURE_VARIANT_ADD(kinds, shmem) { .kind = MEMKIND_SHMEM };
FIXTURE_VARIANT_ADD(kinds, file) { .kind = MEMKIND_FILE };
FIXTURE_VARIANT_ADD(kinds, swap) { .kind = MEMKIND_SWAP };
FIXTURE_VARIANT_ADD(kinds, zero) { .kind = MEMKIND_ZERO };

FIXTURE_SETUP(kinds)
{
	self->fd = ml_mtest_open();
	ASSERT_LE(0, self->fd) TH_LOG("open: %s", strerror(-self->fd));
	self->why = memkind_map(&self->a, variant->kind);
}

FIXTURE_TEARDOWN(kinds)
{
	memkind_unmap(&self->a);
	if (self->fd >= 0)
		close(self->fd);
}

#endif /* MEMLAB_TEST_MEMKIND_FIXTURE_H */
