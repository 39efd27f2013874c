// SPDX-License-Identifier: GPL-2.0-only
/*
 * mtest: the access path, done the way the lab asks and the way
 * access_process_vm() does it safely.
 *
 * get_user_pages_remote() finds (and faults in) the page, breaking
 * copy-on-write for writes, so a write never reaches the page
 * cache behind a private mapping, a page shared after fork, or the zero
 * page. The struct page is then mapped (kmap_local_page()) and copied.
 * Every page of the range is pinned before any byte is touched, so a range
 * that is partly unmapped fails as a whole.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include "memlab.h"
#include "memlab_compat.h"
#include "mtest_arch.h"
#include "access.h"

/* MTEST_READ_MAX and MTEST_WRITE_MAX bytes span at most two pages. */
#define MTEST_MAX_PAGES		2

struct mtest_span {
	struct page *pages[MTEST_MAX_PAGES];
	unsigned int nr;
};

static void mtest_unpin(struct mtest_span *span)
{
	while (span->nr)
		put_page(span->pages[--span->nr]);
}

static int mtest_gup_errno(long ret)
{
	/* Keep what the caller can act on; everything else is "not mapped". */
	if (ret == -ENOMEM || ret == -EINTR || ret == -ERESTARTSYS)
		return ret;
	return -EFAULT;
}

/* Pins every page of [addr, addr + len); the mmap lock is held. */
static int mtest_pin(struct mm_struct *mm, unsigned long addr,
		     unsigned int len, unsigned int gup_flags,
		     struct mtest_span *span)
{
	unsigned long last = addr + len - 1;
	unsigned long page_addr;
	long ret;

	span->nr = 0;
	if (last < addr)
		return -EFAULT;
	for (page_addr = addr & PAGE_MASK; page_addr <= last;
	     page_addr += PAGE_SIZE) {
		ret = memlab_gup_remote(mm, page_addr, gup_flags,
					&span->pages[span->nr]);
		if (ret != 1) {
			mtest_unpin(span);
			return mtest_gup_errno(ret);
		}
		span->nr++;
		if (page_addr + PAGE_SIZE < page_addr)
			break;
	}
	return 0;
}

/* Bytes of [addr, addr + left) that lie in addr's page. */
static unsigned int mtest_chunk(unsigned long addr, unsigned int left)
{
	return min_t(unsigned long, left, PAGE_SIZE - offset_in_page(addr));
}

/**
 * mtest_access_read() - read @len bytes at @addr of @mm
 * @mm: the target, referenced by the caller
 * @gup_flags: FOLL_FORCE where the target's protections may be overridden
 * @addr: first byte
 * @len: 1 to MTEST_READ_MAX bytes
 * @sink: called with each page's part of the range, in order
 * @ctx: passed to @sink
 *
 * Return: 0, -EFAULT if any part of the range is not mapped, -EINTR or
 * -ENOMEM. @sink sees nothing unless the whole range is readable.
 */
int mtest_access_read(struct mm_struct *mm, unsigned int gup_flags,
		      unsigned long addr, unsigned int len, mtest_sink_t sink,
		      void *ctx)
{
	struct mtest_span span;
	unsigned int i, n;
	u8 *kaddr;
	int err;

	if (mmap_read_lock_killable(mm))
		return -EINTR;
	err = mtest_pin(mm, addr, len, gup_flags, &span);
	mmap_read_unlock(mm);
	if (err)
		return err;

	/* The page references keep the pages alive without the lock. */
	for (i = 0; i < span.nr; i++) {
		n = mtest_chunk(addr, len);
		kaddr = memlab_kmap(span.pages[i]);
		sink(ctx, kaddr + offset_in_page(addr), n);
		memlab_kunmap(span.pages[i], kaddr);
		addr += n;
		len -= n;
	}
	mtest_unpin(&span);
	return 0;
}

static void mtest_poke(struct vm_area_struct *vma, struct page *page,
		       unsigned long addr, const u8 *src, unsigned int n)
{
	u8 *kaddr = memlab_kmap(page);

	mtest_arch_copy_to_user_page(vma, page, addr,
				     kaddr + offset_in_page(addr), src, n);
	memlab_kunmap(page, kaddr);
	set_page_dirty_lock(page);
}

/**
 * mtest_access_write() - write @len bytes from @src at @addr of @mm
 * @mm: the target, referenced by the caller
 * @gup_flags: FOLL_FORCE where the target's protections may be overridden
 * @addr: first byte
 * @src: the bytes
 * @len: 1 to MTEST_WRITE_MAX bytes
 *
 * Return: 0, -EFAULT if any part of the range is not mapped or cannot be
 * written (a read-only shared mapping), -EINTR or -ENOMEM. Nothing is
 * written unless the whole range can be.
 */
int mtest_access_write(struct mm_struct *mm, unsigned int gup_flags,
		       unsigned long addr, const u8 *src, unsigned int len)
{
	struct vm_area_struct *vma;
	struct mtest_span span;
	unsigned int i, n;
	int err;

	if (mmap_read_lock_killable(mm))
		return -EINTR;
	err = mtest_pin(mm, addr, len, gup_flags | FOLL_WRITE, &span);
	if (err)
		goto out_unlock;

	for (i = 0; i < span.nr; i++) {
		/* GUP succeeded under this lock, so the VMA is there. */
		vma = memlab_vma_lookup(mm, addr);
		n = mtest_chunk(addr, len);
		mtest_poke(vma, span.pages[i], addr, src, n);
		addr += n;
		src += n;
		len -= n;
	}
	mtest_unpin(&span);
out_unlock:
	mmap_read_unlock(mm);
	return err;
}
