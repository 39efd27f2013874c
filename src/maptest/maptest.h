/* SPDX-License-Identifier: GPL-2.0-only */
/* maptest: a kernel buffer of whole pages, shown through /proc/maptest. */
#ifndef _MAPTEST_H
#define _MAPTEST_H

#include <linux/types.h>

struct file;
struct page;
struct vm_area_struct;

struct maptest_buf {
	struct page **pages;
	unsigned int nr;
};

int maptest_buf_alloc(struct maptest_buf *buf, unsigned int nr);
void maptest_buf_free(struct maptest_buf *buf);
int maptest_buf_mmap(struct maptest_buf *buf, struct vm_area_struct *vma);
ssize_t maptest_buf_read(struct maptest_buf *buf, char __user *ubuf,
			 size_t count, loff_t *ppos);

#endif /* _MAPTEST_H */
