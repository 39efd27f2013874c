/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * memlab test library: /proc/PID/pagemap entries
 * (Documentation/admin-guide/mm/pagemap.rst).
 */
#ifndef MEMLAB_TEST_PAGEMAP_H
#define MEMLAB_TEST_PAGEMAP_H

#include <stdint.h>
#include <sys/types.h>

#define PAGEMAP_PRESENT		(1ULL << 63)
#define PAGEMAP_SWAP		(1ULL << 62)
#define PAGEMAP_FILE		(1ULL << 61)
#define PAGEMAP_FRAME_MASK	((1ULL << 55) - 1)
/* A swap entry's frame is type in bits 0-4, offset above (MAX_SWAPFILES_SHIFT). */
#define PAGEMAP_SWAP_TYPE_BITS	5

int pagemap_entry(pid_t pid, unsigned long addr, uint64_t *ent);

static inline uint64_t pagemap_pfn(uint64_t ent)
{
	return ent & PAGEMAP_FRAME_MASK;
}

static inline unsigned int pagemap_swap_type(uint64_t ent)
{
	return ent & ((1U << PAGEMAP_SWAP_TYPE_BITS) - 1);
}

static inline uint64_t pagemap_swap_offset(uint64_t ent)
{
	return (ent & PAGEMAP_FRAME_MASK) >> PAGEMAP_SWAP_TYPE_BITS;
}

#endif /* MEMLAB_TEST_PAGEMAP_H */
