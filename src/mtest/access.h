/* SPDX-License-Identifier: GPL-2.0-only */
/* mtest: reading and writing bytes of another process. */
#ifndef _MTEST_ACCESS_H
#define _MTEST_ACCESS_H

#include <linux/types.h>

struct mm_struct;

typedef void (*mtest_sink_t)(void *ctx, const u8 *src, unsigned int n);

int mtest_access_read(struct mm_struct *mm, unsigned int gup_flags,
		      unsigned long addr, unsigned int len, mtest_sink_t sink,
		      void *ctx);
int mtest_access_write(struct mm_struct *mm, unsigned int gup_flags,
		       unsigned long addr, const u8 *src, unsigned int len);

#endif /* _MTEST_ACCESS_H */
