// SPDX-License-Identifier: GPL-2.0-only
/*
 * memlab test library: areas of each kind of memory. memkind_map() makes
 * the area in the calling process and checks that the kernel gave that
 * kind (a THP in smaps, a swap entry in pagemap); where it cannot, it
 * returns why, for a SKIP. The pattern depends on the offset only, so a
 * test compares with memkind_byte() without touching (and so faulting in
 * or copying) the page it checks.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include "memkind.h"
#include "pagemap.h"
#include "procfs.h"

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT	21
#endif

/* Base pages in the areas that have them. */
#define MEMKIND_PAGES	4

const char *memkind_name(enum memkind kind)
{
	static const char *const names[] = {
		"anonymous", "THP", "hugetlb", "shmem", "file-backed",
		"swapped", "zero page",
	};

	return names[kind];
}

/* The zero page reads as zeros; every other kind holds the pattern. */
unsigned char memkind_byte(const struct memkind_area *a, size_t off)
{
	if (a->kind == MEMKIND_ZERO)
		return 0;
	return (unsigned char)(off * 13 + (off >> 12) + 1);
}

/* The first byte of @len at @off that differs from the pattern, or -1. */
long memkind_mismatch(const struct memkind_area *a, size_t off,
		      const unsigned char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (buf[i] != memkind_byte(a, off + i))
			return i;
	return -1;
}

static void memkind_fill(struct memkind_area *a)
{
	size_t i;

	for (i = 0; i < a->size; i++)
		a->addr[i] = memkind_byte(a, i);
}

/* @len bytes at an address aligned to @align, from a larger mapping. */
static const char *memkind_mmap(struct memkind_area *a, size_t len,
				size_t align, int prot, int flags, int fd)
{
	uintptr_t p;

	a->maplen = len + align;
	a->map = mmap(NULL, a->maplen, prot, flags, fd, 0);
	if (a->map == MAP_FAILED) {
		a->map = NULL;
		return "mmap failed";
	}
	p = ((uintptr_t)a->map + align - 1) & ~(uintptr_t)(align - 1);
	a->addr = (unsigned char *)p;
	a->size = len;
	return NULL;
}

static const char *memkind_thp(struct memkind_area *a)
{
	const char *why;

	a->page = procfs_pmd_size();
	why = memkind_mmap(a, a->page, a->page, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1);
	if (why)
		return why;
	if (madvise(a->addr, a->size, MADV_HUGEPAGE))
		return "madvise(MADV_HUGEPAGE) failed: no THP in this kernel";
	memkind_fill(a);
	if (procfs_smaps(getpid(), (unsigned long)a->addr, "AnonHugePages") <
	    (long)(a->page >> 10))
		return "the kernel gave no THP (AnonHugePages)";
	return NULL;
}

static const char *memkind_hugetlb(struct memkind_area *a)
{
	a->page = procfs_hugetlb_size();
	if (!a->page || !procfs_hugetlb_has(a->page))
		return "no hugetlb pages in this kernel";
	a->map = mmap(NULL, a->page, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	if (a->map == MAP_FAILED) {
		a->map = NULL;
		return "no free hugetlb page (vm.nr_hugepages)";
	}
	a->maplen = a->page;
	a->addr = a->map;
	a->size = a->page;
	memkind_fill(a);
	return NULL;
}

/* A file of the pattern, mapped shared: its page cache pages. */
static const char *memkind_file(struct memkind_area *a)
{
	size_t i;

	strcpy(a->path, "/tmp/memlab-kind.XXXXXX");
	a->fd = mkstemp(a->path);
	if (a->fd < 0)
		return "mkstemp failed";
	a->size = MEMKIND_PAGES * a->page;
	for (i = 0; i < a->size; i++) {
		unsigned char b = memkind_byte(a, i);

		if (write(a->fd, &b, 1) != 1)
			return "cannot write the file";
	}
	a->map = mmap(NULL, a->size, PROT_READ | PROT_WRITE, MAP_SHARED,
		      a->fd, 0);
	if (a->map == MAP_FAILED) {
		a->map = NULL;
		return "mmap of the file failed";
	}
	a->maplen = a->size;
	a->addr = a->map;
	return NULL;
}

/* Anonymous pages pushed out to swap: pagemap must show swap entries. */
static const char *memkind_swap(struct memkind_area *a)
{
	const char *why;
	size_t off;

	if (!procfs_swap_on())
		return "no swap in this system";
	why = memkind_mmap(a, MEMKIND_PAGES * a->page, a->page,
			   PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1);
	if (why)
		return why;
	memkind_fill(a);
	if (madvise(a->addr, a->size, MADV_PAGEOUT))
		return errno == EINVAL ? "no MADV_PAGEOUT in this kernel" :
					 "madvise(MADV_PAGEOUT) failed";
	for (off = 0; off < a->size; off += a->page)
		if (!memkind_is(a, off))
			return "MADV_PAGEOUT left a page in memory";
	return NULL;
}

/* Read-only touches of private anonymous memory map the zero page. */
static const char *memkind_zero(struct memkind_area *a)
{
	volatile unsigned char sum = 0;
	const char *why;
	size_t off;

	why = memkind_mmap(a, MEMKIND_PAGES * a->page, a->page,
			   PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1);
	if (why)
		return why;
	/* No THP here: a huge zero page is another kind. */
	madvise(a->addr, a->size, MADV_NOHUGEPAGE);
	for (off = 0; off < a->size; off += a->page)
		sum += a->addr[off];
	(void)sum;
	return NULL;
}

/*
 * Maps an area of @kind and fills it. Returns NULL, or why this system
 * cannot give that kind (the test SKIPs with it).
 */
const char *memkind_map(struct memkind_area *a, enum memkind kind)
{
	memset(a, 0, sizeof(*a));
	a->kind = kind;
	a->fd = -1;
	a->page = procfs_page_size();
	switch (kind) {
	case MEMKIND_THP:
		return memkind_thp(a);
	case MEMKIND_HUGETLB:
		return memkind_hugetlb(a);
	case MEMKIND_FILE:
		return memkind_file(a);
	case MEMKIND_SWAP:
		return memkind_swap(a);
	case MEMKIND_ZERO:
		return memkind_zero(a);
	case MEMKIND_SHMEM:
	case MEMKIND_ANON:
	default:
		break;
	}
	a->size = MEMKIND_PAGES * a->page;
	a->map = mmap(NULL, a->size, PROT_READ | PROT_WRITE,
		      (kind == MEMKIND_SHMEM ? MAP_SHARED : MAP_PRIVATE) |
		      MAP_ANONYMOUS, -1, 0);
	if (a->map == MAP_FAILED) {
		a->map = NULL;
		return "mmap failed";
	}
	a->maplen = a->size;
	a->addr = a->map;
	memkind_fill(a);
	return NULL;
}

/*
 * Whether the page at @off still is of the area's kind, as far as pagemap
 * tells: swapped out for MEMKIND_SWAP, present for the others.
 */
int memkind_is(const struct memkind_area *a, size_t off)
{
	uint64_t ent;

	if (pagemap_entry(getpid(), (unsigned long)a->addr + off, &ent))
		return 0;
	if (a->kind == MEMKIND_SWAP)
		return !!(ent & PAGEMAP_SWAP);
	return !!(ent & PAGEMAP_PRESENT);
}

void memkind_unmap(struct memkind_area *a)
{
	if (a->map)
		munmap(a->map, a->maplen);
	a->map = NULL;
	if (a->fd >= 0)
		close(a->fd);
	a->fd = -1;
	if (a->path[0])
		unlink(a->path);
	a->path[0] = '\0';
}
