// SPDX-License-Identifier: GPL-2.0-only
/*
 * maptest: the buffer. Pages are allocated one by one (no high-order
 * allocation to fail), filled with text that names each page, and released
 * with put_page(): a page that user space still maps keeps the reference
 * its mapping took and outlives the module.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "memlab.h"
#include "memlab_compat.h"
#include "maptest.h"

/* Fills page @idx of @nr: the banner on page 0, then lines naming the page. */
static void maptest_fill_page(struct page *page, unsigned int idx,
			      unsigned int nr)
{
	char *kaddr = memlab_kmap(page);
	unsigned int off = 0, line = 0;
	char text[80];
	int n;

	if (!idx)
		off = scnprintf(kaddr, PAGE_SIZE, "%s\n", MAPTEST_BANNER);
	while (off < PAGE_SIZE) {
		n = scnprintf(text, sizeof(text),
			      "page %04u of %04u, line %02u: memlab maptest text\n",
			      idx, nr, line++);
		n = min_t(unsigned int, n, PAGE_SIZE - off);
		memcpy(kaddr + off, text, n);
		off += n;
	}
	/* The whole buffer is one NUL-terminated string. */
	if (idx == nr - 1)
		kaddr[PAGE_SIZE - 1] = '\0';
	memlab_kunmap(page, kaddr);
}

/**
 * maptest_buf_alloc() - allocate and fill @nr pages
 * @buf: the buffer to set up
 * @nr: number of pages, 1 to MAPTEST_PAGES_MAX
 *
 * Return: 0 or -ENOMEM, with nothing left allocated.
 */
int maptest_buf_alloc(struct maptest_buf *buf, unsigned int nr)
{
	unsigned int i;

	buf->pages = kvcalloc(nr, sizeof(*buf->pages), GFP_KERNEL);
	if (!buf->pages)
		return -ENOMEM;
	for (buf->nr = 0; buf->nr < nr; buf->nr++) {
		buf->pages[buf->nr] = alloc_page(GFP_KERNEL);
		if (!buf->pages[buf->nr])
			goto err_pages;
	}
	for (i = 0; i < nr; i++)
		maptest_fill_page(buf->pages[i], i, nr);
	return 0;

err_pages:
	maptest_buf_free(buf);
	return -ENOMEM;
}

/* Drops the module's references; mappings keep theirs. */
void maptest_buf_free(struct maptest_buf *buf)
{
	while (buf->nr)
		put_page(buf->pages[--buf->nr]);
	kvfree(buf->pages);
	buf->pages = NULL;
}
