// SPDX-License-Identifier: GPL-2.0-only
/*
 * mtest: the access path, done the way the lab asks and the way
 * access_process_vm() does it safely.
 *
 * get_user_pages_remote() finds (and faults in) the page, breaking
 * copy-on-write for writes, so a write never reaches the page
 * cache behind a private mapping, a page shared after fork, or the zero
 * page. The struct page is then mapped (kmap_local_page()) and copied.
 * Pages are pinned in batches of up to MTEST_BATCH_PAGES, each batch before
 * any of its bytes is touched: a range of "r" or "w" (two pages at most) is
 * one batch, so a range that is partly unmapped fails as a whole. A long
 * "R" is copied batch by batch into a result that is dropped on failure.
 *
 * Where GUP finds no page (VM_IO and VM_PFNMAP ranges, such as a PCI BAR
 * mapped from sysfs), the VMA's own ->access() is used, page by page, as
 * __access_remote_vm() does for /proc/PID/mem.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include "memlab.h"
#include "memlab_compat.h"
#include "mtest_arch.h"
#include "access.h"

/*
 * Pages pinned at once: every "r" and "w" fits (two pages at most), and an
 * "R" of 1 MiB takes 16 batches, as process_vm_readv() does it.
 */
#define MTEST_BATCH_PAGES	16

struct mtest_span {
	struct page *pages[MTEST_BATCH_PAGES];
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

/*
 * Pins the first pages of [addr, addr + len), all of them or
 * MTEST_BATCH_PAGES; the mmap lock is held. A range that wraps around the
 * top of the address space is refused.
 */
static int mtest_pin(struct mm_struct *mm, unsigned long addr,
		     unsigned int len, unsigned int gup_flags,
		     struct mtest_span *span)
{
	unsigned long first = addr & PAGE_MASK;
	unsigned long last = addr + len - 1;
	unsigned long want;
	long ret;

	span->nr = 0;
	if (last < addr)
		return -EFAULT;
	want = min_t(unsigned long, ((last & PAGE_MASK) - first) / PAGE_SIZE + 1,
		     MTEST_BATCH_PAGES);
	while (span->nr < want) {
		ret = memlab_gup_remote(mm, first + span->nr * PAGE_SIZE,
					want - span->nr, gup_flags,
					&span->pages[span->nr]);
		if (ret <= 0) {
			mtest_unpin(span);
			return mtest_gup_errno(ret);
		}
		span->nr += ret;
	}
	return 0;
}

/* Bytes of [addr, addr + left) that lie in addr's page. */
static unsigned int mtest_chunk(unsigned long addr, unsigned int left)
{
	return min_t(unsigned long, left, PAGE_SIZE - offset_in_page(addr));
}

/* Hands each pinned page's part of the range to @sink, in order. */
static void mtest_copy_span(struct mtest_span *span, unsigned long *addr,
			    unsigned int *len, mtest_sink_t sink, void *ctx)
{
	unsigned int i, n;
	u8 *kaddr;

	for (i = 0; i < span->nr; i++) {
		n = mtest_chunk(*addr, *len);
		kaddr = memlab_kmap(span->pages[i]);
		sink(ctx, kaddr + offset_in_page(*addr), n);
		memlab_kunmap(span->pages[i], kaddr);
		*addr += n;
		*len -= n;
	}
}

/*
 * The part of [addr, addr + len) in addr's page through the VMA's
 * ->access() (generic_access_phys() for I/O memory), where GUP found no
 * page; the mmap lock is held. Return: the bytes done, or -EFAULT.
 */
static int mtest_access_vma(struct mm_struct *mm, unsigned long addr,
			    void *buf, unsigned int len, int write)
{
	struct vm_area_struct *vma;
	int n = mtest_chunk(addr, len);

	if (!IS_ENABLED(CONFIG_HAVE_IOREMAP_PROT))
		return -EFAULT;
	vma = memlab_vma_lookup(mm, addr);
	if (!vma || !vma->vm_ops || !vma->vm_ops->access)
		return -EFAULT;
	if (vma->vm_ops->access(vma, addr, buf, n, write) != n)
		return -EFAULT;
	return n;
}

/*
 * After a batch failed: addr's page alone, by GUP or else by the VMA's
 * ->access(), into @sink through *@bounce (allocated on first use).
 */
static int mtest_read_page(struct mm_struct *mm, unsigned int gup_flags,
			   unsigned long *addr, unsigned int *len, u8 **bounce,
			   mtest_sink_t sink, void *ctx)
{
	unsigned int one = mtest_chunk(*addr, *len);
	struct mtest_span span;
	int n;

	if (!*bounce) {
		*bounce = kmalloc(PAGE_SIZE, GFP_KERNEL);
		if (!*bounce)
			return -ENOMEM;
	}
	if (mmap_read_lock_killable(mm))
		return -EINTR;
	n = mtest_pin(mm, *addr, one, gup_flags, &span);
	if (!n) {
		mmap_read_unlock(mm);
		mtest_copy_span(&span, addr, len, sink, ctx);
		mtest_unpin(&span);
		return 0;
	}
	if (n == -EFAULT)
		n = mtest_access_vma(mm, *addr, *bounce, one, 0);
	mmap_read_unlock(mm);
	if (n < 0)
		return n;
	sink(ctx, *bounce, n);
	*addr += n;
	*len -= n;
	return 0;
}

/**
 * mtest_access_read() - read @len bytes at @addr of @mm
 * @mm: the target, referenced by the caller
 * @gup_flags: FOLL_FORCE where the target's protections may be overridden
 * @addr: first byte
 * @len: 1 to MTEST_RAW_MAX bytes
 * @sink: called with each page's part of the range, in order
 * @ctx: passed to @sink
 *
 * Return: 0, -EFAULT if any part of the range is not mapped, -EINTR or
 * -ENOMEM. A range of up to MTEST_BATCH_PAGES pages reaches @sink only if
 * all of it is readable; of a longer one, @sink may have seen the first
 * batches when an error is returned, and the caller drops them.
 */
int mtest_access_read(struct mm_struct *mm, unsigned int gup_flags,
		      unsigned long addr, unsigned int len, mtest_sink_t sink,
		      void *ctx)
{
	struct mtest_span span;
	u8 *bounce = NULL;
	int err = 0;

	while (len) {
		/* A 1 MiB read is 16 batches: let a kill end it early. */
		if (fatal_signal_pending(current) ||
		    mmap_read_lock_killable(mm)) {
			err = -EINTR;
			break;
		}
		err = mtest_pin(mm, addr, len, gup_flags, &span);
		mmap_read_unlock(mm);
		if (err == -EFAULT) {
			err = mtest_read_page(mm, gup_flags, &addr, &len,
					      &bounce, sink, ctx);
		} else if (!err) {
			/* The references keep the pages alive without the lock. */
			mtest_copy_span(&span, &addr, &len, sink, ctx);
			mtest_unpin(&span);
		}
		if (err)
			break;
		cond_resched();
	}
	kfree(bounce);
	return err;
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

/* A range that has no struct page; the mmap lock is held. */
static int mtest_write_vma(struct mm_struct *mm, unsigned long addr,
			   const u8 *src, unsigned int len)
{
	int n;

	while (len) {
		/* ->access() takes a non-const buffer, and only reads it. */
		n = mtest_access_vma(mm, addr, (void *)src, len, FOLL_WRITE);
		if (n < 0)
			return n;
		addr += n;
		src += n;
		len -= n;
	}
	return 0;
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
 * written unless the whole range can be, but for a range without struct
 * pages, written through ->access() page by page.
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
	if (err == -EFAULT) {
		err = mtest_write_vma(mm, addr, src, len);
		goto out_unlock;
	}
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
