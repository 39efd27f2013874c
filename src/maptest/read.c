// SPDX-License-Identifier: GPL-2.0-only
/*
 * maptest: read() of the buffer, so that `cat /proc/maptest` prints the
 * same text a mapping shows. Reading stops at the first NUL, the end of
 * the text.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include "memlab_compat.h"
#include "maptest.h"

/* Copies from one page; returns bytes copied, 0 at the NUL, or -EFAULT. */
static ssize_t maptest_read_page(struct page *page, unsigned int off,
				 char __user *ubuf, size_t count)
{
	size_t n = min_t(size_t, count, PAGE_SIZE - off);
	char *kaddr = memlab_kmap(page);
	char *nul = memchr(kaddr + off, '\0', n);
	unsigned long left;

	if (nul)
		n = nul - (kaddr + off);
	left = copy_to_user(ubuf, kaddr + off, n);
	memlab_kunmap(page, kaddr);
	return left ? -EFAULT : n;
}

ssize_t maptest_buf_read(struct maptest_buf *buf, char __user *ubuf,
			 size_t count, loff_t *ppos)
{
	loff_t size = (loff_t)buf->nr << PAGE_SHIFT;
	loff_t pos = *ppos;
	size_t done = 0;
	ssize_t n;

	while (done < count && pos >= 0 && pos < size) {
		n = maptest_read_page(buf->pages[pos >> PAGE_SHIFT],
				      offset_in_page(pos), ubuf + done,
				      count - done);
		if (n <= 0) {
			if (n < 0 && !done)
				return n;
			break;
		}
		done += n;
		pos += n;
	}
	*ppos = pos;
	return done;
}
