/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * memlab: what each mapping holds, page by page: present, swapped, THP,
 * zero and KSM pages, from /proc/PID/pagemap, /proc/kpageflags (root only)
 * and /proc/PID/smaps.
 */
#ifndef MEMLAB_PAGECOUNT_H
#define MEMLAB_PAGECOUNT_H

#include <stdint.h>
#include <sys/types.h>

#include "procmaps.h"

struct ml_counts {
	int counted;		/* pagemap was read for this mapping */
	uint64_t pages, present, swapped;
	int have_flags;		/* thp, zero and ksm come from kpageflags */
	uint64_t thp, zero, ksm;
	int have_smaps;
	uint64_t rss_kb, dirty_kb, swap_kb, anon_huge_kb;
	int have_ksm_kb;
	uint64_t ksm_kb;
};

struct ml_pagecount {
	int pagemap;		/* fd, or -1 */
	int kpageflags;		/* fd, or -1 without root */
	int pagemap_err, kpageflags_err;
};

void ml_pagecount_open(pid_t pid, struct ml_pagecount *pc);
void ml_pagecount_close(struct ml_pagecount *pc);
void ml_pagecount_vma(const struct ml_pagecount *pc, const struct ml_vma *v,
		      struct ml_counts *c);
int ml_smaps_load(pid_t pid, const struct ml_maps *maps, struct ml_counts *c);
void ml_counts_from_pagemap(struct ml_counts *c, const uint64_t *pm,
			    const uint64_t *flags, size_t n);

#endif /* MEMLAB_PAGECOUNT_H */
