/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * memlab test library: one area of each kind of memory the kernel's
 * selftests/mm/cow.c varies over (anonymous, THP, hugetlb, shmem,
 * file-backed, swapped, the shared zero page), filled with a known
 * pattern, for FIXTURE_VARIANT tests of read, write and "R".
 */
#ifndef MEMLAB_TEST_MEMKIND_H
#define MEMLAB_TEST_MEMKIND_H

#include <stddef.h>

enum memkind {
	MEMKIND_ANON,
	MEMKIND_THP,
	MEMKIND_HUGETLB,
	MEMKIND_SHMEM,
	MEMKIND_FILE,
	MEMKIND_SWAP,
	MEMKIND_ZERO,
};

struct memkind_area {
	enum memkind kind;
	unsigned char *addr;	/* the area, aligned to its page size */
	size_t size;		/* bytes, a whole number of its pages */
	size_t page;		/* its page size: base, PMD or hugetlb */
	void *map;		/* what mmap returned, and its length */
	size_t maplen;
	int fd;			/* the file of MEMKIND_FILE, else -1 */
	char path[64];
};

const char *memkind_name(enum memkind kind);
unsigned char memkind_byte(const struct memkind_area *a, size_t off);
long memkind_mismatch(const struct memkind_area *a, size_t off,
		      const unsigned char *buf, size_t len);
const char *memkind_map(struct memkind_area *a, enum memkind kind);
int memkind_is(const struct memkind_area *a, size_t off);
void memkind_unmap(struct memkind_area *a);

#endif /* MEMLAB_TEST_MEMKIND_H */
