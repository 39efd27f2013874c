/* SPDX-License-Identifier: GPL-2.0-only */
/* mtest: the page-table walk behind the "t" command. */
#ifndef _MTEST_WALK_H
#define _MTEST_WALK_H

#include <linux/types.h>

struct file;
struct mm_struct;

enum mtest_level {
	MTEST_PGD,
	MTEST_P4D,
	MTEST_PUD,
	MTEST_PMD,
	MTEST_PTE,
	MTEST_NR_LEVELS,
};

/* What the walk found for one address; text.c turns it into "t" text. */
struct mtest_walk {
	unsigned long addr;
	unsigned long vm_start, vm_end, vm_flags;
	unsigned int levels;		/* paging levels in use */
	u64 entry[MTEST_NR_LEVELS];	/* raw entries, as the hardware reads them */
	phys_addr_t table[MTEST_NR_LEVELS];	/* the table each was read from */
	u64 addr_bits;			/* the physical-address bits of an entry */
	enum mtest_level level;		/* where the walk ended */
	bool present;
	/* A present leaf, by the kernel's accessors and the arch part. */
	bool writable, user, accessed, dirty, nx;
	unsigned long pfn;
	bool pfn_hidden;	/* by mtest_walk_hide(): no phys either */
	bool special;		/* no struct page to describe (vm_normal_page) */
	int refcount, mapcount;
	bool anon, file, ksm, zero, thp, hugetlb;
	/* A non-present leaf. */
	bool swap;
	unsigned int swap_type;
	unsigned long swap_offset;
	/* A VMA that maps a file: the file, referenced, and addr's page in it. */
	struct file *vm_file;
	u64 file_offset;
};

int mtest_walk(struct mm_struct *mm, unsigned long addr, struct mtest_walk *w);
void mtest_walk_release(struct mtest_walk *w);
void mtest_walk_hide(struct mtest_walk *w);

#endif /* _MTEST_WALK_H */
