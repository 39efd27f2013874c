/* SPDX-License-Identifier: GPL-2.0-only */
/* mtest: the page-table walk behind the "t" command. */
#ifndef _MTEST_WALK_H
#define _MTEST_WALK_H

#include <linux/types.h>

struct mm_struct;

/* Longest "t" result. */
#define MTEST_WALK_TEXT_MAX	1024

int mtest_translate(struct mm_struct *mm, unsigned long addr, bool show_pfn,
		    char *buf, size_t size);

#endif /* _MTEST_WALK_H */
