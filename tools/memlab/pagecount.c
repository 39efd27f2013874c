// SPDX-License-Identifier: GPL-2.0-only
/*
 * memlab: per-mapping page counts. pagemap says present or swapped for
 * every page (without root it hides the frame numbers, so THP, zero
 * and KSM pages, which need the frame's kpageflags, are then taken from
 * smaps where it has them: AnonHugePages and KSM).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pagecount.h"

#define ML_PM_PRESENT	(1ULL << 63)
#define ML_PM_SWAPPED	(1ULL << 62)
#define ML_PM_PFN	((1ULL << 55) - 1)
/* include/uapi/linux/kernel-page-flags.h */
#define ML_KPF_KSM	(1ULL << 21)
#define ML_KPF_THP	(1ULL << 22)
#define ML_KPF_ZERO	(1ULL << 24)
/* pagemap entries read at once. */
#define ML_PM_CHUNK	4096
/* Larger mappings (reservations of sanitizers, JITs) are not counted. */
#define ML_PM_LIMIT	(64ULL << 30)

void ml_pagecount_open(pid_t pid, struct ml_pagecount *pc)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)pid);
	pc->pagemap = open(path, O_RDONLY | O_CLOEXEC);
	pc->pagemap_err = pc->pagemap < 0 ? errno : 0;
	pc->kpageflags = open("/proc/kpageflags", O_RDONLY | O_CLOEXEC);
	pc->kpageflags_err = pc->kpageflags < 0 ? errno : 0;
}

void ml_pagecount_close(struct ml_pagecount *pc)
{
	if (pc->pagemap >= 0)
		close(pc->pagemap);
	if (pc->kpageflags >= 0)
		close(pc->kpageflags);
}

/* Adds @n pagemap entries (and their kpageflags, if @flags) to @c. */
void ml_counts_from_pagemap(struct ml_counts *c, const uint64_t *pm,
			    const uint64_t *flags, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		c->pages++;
		if (pm[i] & ML_PM_SWAPPED)
			c->swapped++;
		if (!(pm[i] & ML_PM_PRESENT))
			continue;
		c->present++;
		if (!flags)
			continue;
		c->thp += !!(flags[i] & ML_KPF_THP);
		c->zero += !!(flags[i] & ML_KPF_ZERO);
		c->ksm += !!(flags[i] & ML_KPF_KSM);
	}
}

/* The kpageflags of each present page's frame; 0 when unreadable. */
static int ml_read_kpageflags(int fd, const uint64_t *pm, uint64_t *flags,
			      size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		uint64_t pfn = pm[i] & ML_PM_PFN;

		flags[i] = 0;
		if (!(pm[i] & ML_PM_PRESENT))
			continue;
		/* A hidden frame number reads 0: no flags to be had. */
		if (!pfn)
			return -EPERM;
		if (pread(fd, &flags[i], 8, pfn * 8) != 8)
			flags[i] = 0;
	}
	return 0;
}

void ml_pagecount_vma(const struct ml_pagecount *pc, const struct ml_vma *v,
		      struct ml_counts *c)
{
	static uint64_t pm[ML_PM_CHUNK], flags[ML_PM_CHUNK];
	uint64_t psz = sysconf(_SC_PAGESIZE);
	uint64_t page, first = v->start / psz, last = v->end / psz;
	int use_flags = pc->kpageflags >= 0;

	if (pc->pagemap < 0 || v->end - v->start > ML_PM_LIMIT)
		return;
	for (page = first; page < last; ) {
		size_t n = last - page > ML_PM_CHUNK ? ML_PM_CHUNK :
			   last - page;
		ssize_t got = pread(pc->pagemap, pm, n * 8, page * 8);

		if (got <= 0)
			return;
		n = got / 8;
		if (use_flags &&
		    ml_read_kpageflags(pc->kpageflags, pm, flags, n))
			use_flags = 0;
		ml_counts_from_pagemap(c, pm, use_flags ? flags : NULL, n);
		page += n;
	}
	c->counted = 1;
	c->have_flags = use_flags;
}

/* One "Key:  N kB" line of smaps into the mapping's counts. */
static void ml_smaps_field(struct ml_counts *c, const char *line)
{
	unsigned long long kb;
	char key[64];

	if (sscanf(line, "%63[^:]: %llu kB", key, &kb) != 2)
		return;
	if (!strcmp(key, "Rss"))
		c->rss_kb = kb;
	else if (!strcmp(key, "Shared_Dirty") || !strcmp(key, "Private_Dirty"))
		c->dirty_kb += kb;
	else if (!strcmp(key, "Swap"))
		c->swap_kb = kb;
	else if (!strcmp(key, "AnonHugePages"))
		c->anon_huge_kb = kb;
	else if (!strcmp(key, "KSM"))
		c->ksm_kb = kb, c->have_ksm_kb = 1;
}

/* smaps lists the mappings of maps in the same order, with their fields. */
int ml_smaps_load(pid_t pid, const struct ml_maps *maps, struct ml_counts *c)
{
	char path[64], *line = NULL;
	struct ml_counts *cur = NULL;
	size_t lcap = 0, i = 0;
	struct ml_vma v;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/smaps", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (getline(&line, &lcap, f) > 0) {
		if (!ml_maps_parse_line(line, &v)) {
			free(v.path);
			cur = NULL;
			while (i < maps->n && maps->vma[i].start < v.start)
				i++;
			if (i < maps->n && maps->vma[i].start == v.start) {
				cur = &c[i];
				cur->have_smaps = 1;
			}
			continue;
		}
		if (cur)
			ml_smaps_field(cur, line);
	}
	free(line);
	fclose(f);
	return 0;
}
