// SPDX-License-Identifier: GPL-2.0-only
/*
 * mtest: walk the target's page tables for one address and describe what
 * is found at each level, the leaf's flags and the page behind it.
 *
 * Safety while the target changes its mappings:
 * - the mmap lock, held for read, keeps the VMA and its upper-level tables
 *   (PGD to PMD) alive; entries are still read once (READ_ONCE), since
 *   faults fill them concurrently;
 * - PTE tables can be freed under RCU with only the mmap lock held for
 *   read (MADV_COLLAPSE and khugepaged retracting file tables since 6.5,
 *   MADV_DONTNEED with CONFIG_PT_RECLAIM since 6.14), so rcu_read_lock() is
 *   taken before the PMD is read, the table's lock is taken, and the PMD is
 *   re-checked under it before the PTE is trusted: the protocol of
 *   __pte_offset_map() and pte_offset_map_lock(), which modules cannot call
 *   from 6.5;
 * - a huge leaf is re-read under its PMD or PUD lock, and a shared hugetlb
 *   PMD table cannot be unshared while i_mmap_rwsem is held for read;
 * - a hugetlb leaf, at whatever level and size, is locked with the lock
 *   the kernel's huge_pte_lockptr() names for it (mm->page_table_lock for
 *   arm64's contiguous sizes on 6.1), not the split lock of its table;
 * - every leaf is inspected with its lock held, so its page stays mapped.
 * A leaf that changed before it was locked restarts the walk, a bounded
 * number of times.
 *
 * The walk uses the kernel's accessors (pte_write(), pmd_young(), ...);
 * what has none (the user bit, execute-never, the address bits of an
 * entry, how many levels are in use) comes from the arch part,
 * mtest/arch/ARCH/mtest_arch.h. It yields a struct mtest_walk; text.c
 * writes the "t" text.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitops.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/hugetlb.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/pgtable.h>
#include "memlab_compat.h"
#include "mtest_arch.h"
#include "walk.h"

#define MTEST_WALK_RETRIES	16

/*
 * @ptr is where the entry was read; below the root every table is one
 * page (the root may be smaller: mtest_walk_unfold() sets it).
 */
static void mtest_walk_record(struct mtest_walk *w, enum mtest_level level,
			      u64 val, void *ptr)
{
	w->entry[level] = val;
	w->table[level] = virt_to_phys(ptr) & PAGE_MASK;
	w->level = level;
}

/*
 * The struct page behind a leaf, or NULL where vm_normal_page() and
 * vm_normal_page_pmd()/_pud() (not exported) would give none: special
 * entries (the zero page, pfn maps, and huge pfn maps in VM_MIXEDMAP
 * areas where pmd_special()/pud_special() exist; in an anonymous VMA a
 * special PMD is the huge zero page, described as before), VM_PFNMAP and VM_IO
 * mappings, and pfns that are not online memory.
 */
static struct page *mtest_walk_normal_page(struct vm_area_struct *vma,
					   unsigned long pfn, bool special)
{
	if (special || (vma->vm_flags & (VM_PFNMAP | VM_IO)))
		return NULL;
	return pfn_to_online_page(pfn);
}

/*
 * An anonymous VMA maps anonymous pages and the shared zero pages only, so
 * a PMD-mapped page there that is not anonymous is the huge zero page
 * (is_huge_zero_pmd() reads a symbol that is not exported).
 */
static bool mtest_walk_huge_zero(struct vm_area_struct *vma,
				 struct page *page, bool pmd_leaf)
{
	return pmd_leaf && vma_is_anonymous(vma) && !PageAnon(page);
}

/* What the struct page says; its leaf is locked, so it stays mapped. */
static void mtest_walk_page(struct mtest_walk *w, struct vm_area_struct *vma,
			    bool special)
{
	struct page *page;

	w->zero = is_zero_pfn(w->pfn);
	w->hugetlb = is_vm_hugetlb_page(vma);
	page = mtest_walk_normal_page(vma, w->pfn, special || w->zero);
	if (!page) {
		w->special = !w->zero;
		return;
	}
	w->refcount = page_count(page);
	w->mapcount = memlab_mapcount(page);
	w->zero = mtest_walk_huge_zero(vma, page, w->level == MTEST_PMD);
	w->anon = PageAnon(page);
	w->ksm = memlab_page_ksm(page);
	w->file = memlab_page_file(page);
	w->thp = !w->hugetlb && !w->zero && memlab_page_large(page);
}

/*
 * A present leaf; @pfn is the page of w->addr inside it. Its flags were
 * read by the caller, with the accessors of its level.
 */
static void mtest_walk_present(struct mtest_walk *w,
			       struct vm_area_struct *vma, unsigned long pfn,
			       bool special)
{
	w->present = true;
	w->user = mtest_arch_user(w->entry[w->level]);
	w->nx = mtest_arch_nx(w->entry[w->level]);
	w->pfn = pfn;
	mtest_walk_page(w, vma, special);
}

static void mtest_walk_swap(struct mtest_walk *w, pte_t pte)
{
	/* Not migration, hwpoison or a marker. */
	w->swap = memlab_pte_swap(pte, &w->swap_type, &w->swap_offset);
}

/*
 * The lock of the leaf at @ptr, a @level entry: the kernel's own choice
 * for hugetlb (huge_pte_lockptr()), else the split lock of its table.
 */
static spinlock_t *mtest_walk_leaf_lock(struct mm_struct *mm,
					struct vm_area_struct *vma,
					enum mtest_level level, void *ptr,
					pmd_t *pmd)
{
	if (is_vm_hugetlb_page(vma))
		return huge_pte_lockptr(hstate_vma(vma), mm, ptr);
	switch (level) {
	case MTEST_PUD:
		return pud_lockptr(mm, ptr);
	case MTEST_PMD:
		return pmd_lockptr(mm, ptr);
	default:
		return pte_lockptr(mm, pmd);
	}
}

/* Called under rcu_read_lock(), which keeps the PTE table from being freed. */
static int mtest_walk_pte(struct mtest_walk *w, struct mm_struct *mm,
			  struct vm_area_struct *vma, pmd_t *pmdp, pmd_t pmd)
{
	spinlock_t *ptl;
	pte_t *ptep, pte;
	int ret = -EAGAIN;

	/* 64-bit has no HIGHPTE: the table is in the direct map. */
	ptep = (pte_t *)pmd_page_vaddr(pmd) + pte_index(w->addr);
	ptl = mtest_walk_leaf_lock(mm, vma, MTEST_PTE, ptep, &pmd);
	spin_lock(ptl);
	/* Still the table we read: it was not freed or replaced. */
	if (pmd_val(READ_ONCE(*pmdp)) == pmd_val(pmd)) {
		pte = mtest_arch_ptep_get(ptep);
		mtest_walk_record(w, MTEST_PTE, pte_val(pte), ptep);
		if (pte_present(pte)) {
			w->writable = pte_write(pte);
			w->accessed = pte_young(pte);
			w->dirty = pte_dirty(pte);
			mtest_walk_present(w, vma, pte_pfn(pte),
					   pte_special(pte));
		} else if (!pte_none(pte)) {
			mtest_walk_swap(w, pte);
		}
		ret = 0;
	}
	spin_unlock(ptl);
	return ret;
}

static int mtest_walk_pmd_leaf(struct mtest_walk *w, struct mm_struct *mm,
			       struct vm_area_struct *vma, pmd_t *pmdp,
			       pmd_t pmd)
{
	spinlock_t *ptl = mtest_walk_leaf_lock(mm, vma, MTEST_PMD, pmdp, NULL);
	int ret = -EAGAIN;

	spin_lock(ptl);
	if (pmd_val(READ_ONCE(*pmdp)) == pmd_val(pmd)) {
		if (pmd_present(pmd)) {
			w->writable = pmd_write(pmd);
			w->accessed = pmd_young(pmd);
			w->dirty = pmd_dirty(pmd);
			mtest_walk_present(w, vma, pmd_pfn(pmd) +
					   ((w->addr & ~PMD_MASK) >> PAGE_SHIFT),
					   memlab_pmd_special(pmd) &&
					   !vma_is_anonymous(vma));
		}
		ret = 0;
	}
	spin_unlock(ptl);
	return ret;
}

static int mtest_walk_pud_leaf(struct mtest_walk *w, struct mm_struct *mm,
			       struct vm_area_struct *vma, pud_t *pudp,
			       pud_t pud)
{
	spinlock_t *ptl = mtest_walk_leaf_lock(mm, vma, MTEST_PUD, pudp, NULL);
	int ret = -EAGAIN;

	spin_lock(ptl);
	if (pud_val(READ_ONCE(*pudp)) == pud_val(pud)) {
		if (mtest_arch_pud_leaf_present(pud)) {
			w->writable = pud_write(pud);
			w->accessed = pud_young(pud);
			w->dirty = mtest_arch_pud_dirty(pud);
			mtest_walk_present(w, vma, pud_pfn(pud) +
					   ((w->addr & ~PUD_MASK) >> PAGE_SHIFT),
					   memlab_pud_special(pud));
		}
		ret = 0;
	}
	spin_unlock(ptl);
	return ret;
}

static int mtest_walk_pmd(struct mtest_walk *w, struct mm_struct *mm,
			  struct vm_area_struct *vma, pud_t *pudp)
{
	pmd_t *pmdp = pmd_offset(pudp, w->addr);
	pmd_t pmd;
	int ret = 0;

	/* Before the read: the table it points to may be freed under RCU. */
	rcu_read_lock();
	pmd = READ_ONCE(*pmdp);
	mtest_walk_record(w, MTEST_PMD, pmd_val(pmd), pmdp);
	if (pmd_none(pmd))
		goto out;
	/* A huge leaf, or a non-present one (THP under migration). */
	if (pmd_leaf(pmd) || !pmd_present(pmd))
		ret = mtest_walk_pmd_leaf(w, mm, vma, pmdp, pmd);
	else if (!pmd_bad(pmd))
		ret = mtest_walk_pte(w, mm, vma, pmdp, pmd);
out:
	rcu_read_unlock();
	return ret;
}

/*
 * A level folded away holds no entry of its own: show the entry of the
 * first level in use there, as compile-time folding (x86's p4d on 4-level
 * paging) does by itself. Folding at boot (arm64 LPA2 kernels without
 * 52-bit VAs) leaves the pointer at the folded level meaningless. The
 * first level in use, and those folded into it, read the root table,
 * which may be smaller than a page (arm64's 16-entry PGD with LPA2).
 */
static void mtest_walk_unfold(struct mtest_walk *w, struct mm_struct *mm)
{
	unsigned int level, root = MTEST_NR_LEVELS - w->levels;

	if (w->levels < 4)
		w->entry[MTEST_P4D] = w->entry[MTEST_PUD];
	if (w->levels < 5)
		w->entry[MTEST_PGD] = w->entry[MTEST_P4D];
	for (level = MTEST_PGD; level <= root; level++)
		w->table[level] = virt_to_phys(mm->pgd);
}

/* The file a VMA maps, and the offset in it of addr's page. */
static void mtest_walk_file(struct mtest_walk *w, struct vm_area_struct *vma)
{
	if (!vma->vm_file)
		return;
	w->vm_file = get_file(vma->vm_file);
	w->file_offset = ((u64)vma->vm_pgoff << PAGE_SHIFT) +
			 ((w->addr & PAGE_MASK) - vma->vm_start);
}

static int mtest_walk_tables(struct mtest_walk *w, struct mm_struct *mm,
			     struct vm_area_struct *vma)
{
	pgd_t *pgdp = pgd_offset(mm, w->addr);
	pgd_t pgd = READ_ONCE(*pgdp);
	p4d_t *p4dp;
	pud_t *pudp;
	p4d_t p4d;
	pud_t pud;

	mtest_walk_record(w, MTEST_PGD, pgd_val(pgd), pgdp);
	if (pgd_none(pgd) || pgd_bad(pgd))
		return 0;

	/* On 4-level paging the p4d is folded into the pgd. */
	p4dp = p4d_offset(pgdp, w->addr);
	p4d = READ_ONCE(*p4dp);
	mtest_walk_record(w, MTEST_P4D, p4d_val(p4d), p4dp);
	if (p4d_none(p4d) || p4d_bad(p4d))
		return 0;

	pudp = pud_offset(p4dp, w->addr);
	pud = READ_ONCE(*pudp);
	mtest_walk_record(w, MTEST_PUD, pud_val(pud), pudp);
	if (pud_none(pud))
		return 0;
	if (pud_leaf(pud) || !pud_present(pud))
		return mtest_walk_pud_leaf(w, mm, vma, pudp, pud);
	if (pud_bad(pud))
		return 0;
	return mtest_walk_pmd(w, mm, vma, pudp);
}

static struct address_space *mtest_hugetlb_mapping(struct vm_area_struct *vma)
{
	if (is_vm_hugetlb_page(vma) && vma->vm_file)
		return vma->vm_file->f_mapping;
	return NULL;
}

/**
 * mtest_walk() - walk @mm's page tables for @addr
 * @mm: the target, referenced by the caller
 * @addr: the address
 * @w: filled with what the walk found
 *
 * Return: 0, -EFAULT if @addr is in no VMA, -EINTR, or -EAGAIN if the
 * tables kept changing under the walk. On success the caller passes @w to
 * mtest_walk_release() once done with it.
 */
int mtest_walk(struct mm_struct *mm, unsigned long addr, struct mtest_walk *w)
{
	struct address_space *mapping;
	struct vm_area_struct *vma;
	int tries = MTEST_WALK_RETRIES;
	int err;

	memset(w, 0, sizeof(*w));
	w->addr = addr;
	w->levels = mtest_arch_levels();
	w->addr_bits = mtest_arch_addr_bits();
	if (mmap_read_lock_killable(mm))
		return -EINTR;
	vma = memlab_vma_lookup(mm, w->addr);
	if (!vma) {
		err = -EFAULT;
		goto out_unlock;
	}
	w->vm_start = vma->vm_start;
	w->vm_end = vma->vm_end;
	w->vm_flags = vma->vm_flags;
	mtest_walk_file(w, vma);

	/* Keeps a shared hugetlb PMD table from being unshared under us. */
	mapping = mtest_hugetlb_mapping(vma);
	if (mapping)
		i_mmap_lock_read(mapping);
	do {
		err = mtest_walk_tables(w, mm, vma);
	} while (err == -EAGAIN && --tries);
	mtest_walk_unfold(w, mm);
	if (mapping)
		i_mmap_unlock_read(mapping);
out_unlock:
	mmap_read_unlock(mm);
	if (err)
		mtest_walk_release(w);
	return err;
}

/* Drops what mtest_walk() holds for the text: the file's reference. */
void mtest_walk_release(struct mtest_walk *w)
{
	if (w->vm_file)
		fput(w->vm_file);
	w->vm_file = NULL;
}

/**
 * mtest_walk_hide() - apply pagemap's rule to a walk before it is shown
 * @w: what mtest_walk() found
 *
 * pagemap shows no pfn and no swap entry (type nor offset) without
 * CAP_SYS_ADMIN. Likewise here: physical addresses (pfn, page-table
 * tables, the address bits of entries), the whole swap entry, and what
 * tells of other processes' use of the page (its counts, KSM) are zeroed.
 */
void mtest_walk_hide(struct mtest_walk *w)
{
	enum mtest_level level;

	for (level = MTEST_PGD; level < MTEST_NR_LEVELS; level++) {
		w->entry[level] &= ~w->addr_bits;
		w->table[level] = 0;
	}
	/* A swap or migration entry keeps its bits elsewhere. */
	if (!w->present)
		w->entry[w->level] = 0;
	w->pfn = 0;
	w->pfn_hidden = true;
	w->refcount = 0;
	w->mapcount = 0;
	w->ksm = false;
	w->swap_type = 0;
	w->swap_offset = 0;
}
