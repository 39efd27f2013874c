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
 * - every leaf is inspected with its lock held, so its page stays mapped.
 * A leaf that changed before it was locked restarts the walk, a bounded
 * number of times.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitops.h>
#include <linux/fs.h>
#include <linux/hugetlb.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/pgtable.h>
#include <linux/string.h>
#include "memlab_compat.h"
#include "walk.h"

#ifndef CONFIG_X86_64
#error "the mtest page-table walk decodes x86-64 entries"
#endif

#define MTEST_WALK_RETRIES	16

enum mtest_level {
	MTEST_PGD,
	MTEST_P4D,
	MTEST_PUD,
	MTEST_PMD,
	MTEST_PTE,
	MTEST_NR_LEVELS,
};

static const char * const mtest_level_names[MTEST_NR_LEVELS] = {
	"pgd", "p4d", "pud", "pmd", "pte",
};

struct mtest_walk {
	unsigned long addr;
	unsigned long vm_start, vm_end, vm_flags;
	u64 entry[MTEST_NR_LEVELS];
	enum mtest_level level;		/* where the walk ended */
	bool present;
	bool swap;
	unsigned int swap_type;
	unsigned long swap_offset;
	unsigned long pfn;
	bool special;		/* no struct page to describe (vm_normal_page) */
	int refcount, mapcount;
	bool anon, file, ksm, zero, thp, hugetlb;
};

static void mtest_walk_record(struct mtest_walk *w, enum mtest_level level,
			      u64 val)
{
	w->entry[level] = val;
	w->level = level;
}

/*
 * The struct page behind a leaf, or NULL where vm_normal_page() (not
 * exported) would give none: special entries (the zero page, pfn maps),
 * VM_PFNMAP and VM_IO mappings, and pfns that are not online memory.
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

/* A present leaf; @pfn is the page of w->addr inside it. */
static void mtest_walk_present(struct mtest_walk *w,
			       struct vm_area_struct *vma, unsigned long pfn,
			       bool special)
{
	w->present = true;
	w->pfn = pfn;
	mtest_walk_page(w, vma, special);
}

static void mtest_walk_swap(struct mtest_walk *w, pte_t pte)
{
	/* Not migration, hwpoison or a marker. */
	w->swap = memlab_pte_swap(pte, &w->swap_type, &w->swap_offset);
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
	ptl = pte_lockptr(mm, &pmd);
	spin_lock(ptl);
	/* Still the table we read: it was not freed or replaced. */
	if (pmd_val(READ_ONCE(*pmdp)) == pmd_val(pmd)) {
		pte = ptep_get(ptep);
		mtest_walk_record(w, MTEST_PTE, pte_val(pte));
		if (pte_present(pte))
			mtest_walk_present(w, vma, pte_pfn(pte),
					   pte_special(pte));
		else if (!pte_none(pte))
			mtest_walk_swap(w, pte);
		ret = 0;
	}
	spin_unlock(ptl);
	return ret;
}

static int mtest_walk_pmd_leaf(struct mtest_walk *w, struct mm_struct *mm,
			       struct vm_area_struct *vma, pmd_t *pmdp,
			       pmd_t pmd)
{
	spinlock_t *ptl = pmd_lock(mm, pmdp);
	int ret = -EAGAIN;

	if (pmd_val(READ_ONCE(*pmdp)) == pmd_val(pmd)) {
		if (pmd_present(pmd))
			mtest_walk_present(w, vma, pmd_pfn(pmd) +
					   ((w->addr & ~PMD_MASK) >> PAGE_SHIFT),
					   false);
		ret = 0;
	}
	spin_unlock(ptl);
	return ret;
}

/*
 * x86's pud_present() tests _PAGE_PRESENT only, but a PROT_NONE leaf (a
 * 1 GiB hugetlb page after mprotect(PROT_NONE)) keeps its page with
 * _PAGE_PROTNONE instead, as pmd_present() knows for PMD leaves.
 */
static bool mtest_pud_leaf_present(pud_t pud)
{
	return pud_flags(pud) & (_PAGE_PRESENT | _PAGE_PROTNONE);
}

static int mtest_walk_pud_leaf(struct mtest_walk *w, struct mm_struct *mm,
			       struct vm_area_struct *vma, pud_t *pudp,
			       pud_t pud)
{
	spinlock_t *ptl = pud_lock(mm, pudp);
	int ret = -EAGAIN;

	if (pud_val(READ_ONCE(*pudp)) == pud_val(pud)) {
		if (mtest_pud_leaf_present(pud))
			mtest_walk_present(w, vma, pud_pfn(pud) +
					   ((w->addr & ~PUD_MASK) >> PAGE_SHIFT),
					   false);
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
	mtest_walk_record(w, MTEST_PMD, pmd_val(pmd));
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

static int mtest_walk_tables(struct mtest_walk *w, struct mm_struct *mm,
			     struct vm_area_struct *vma)
{
	pgd_t *pgdp = pgd_offset(mm, w->addr);
	pgd_t pgd = READ_ONCE(*pgdp);
	p4d_t *p4dp;
	pud_t *pudp;
	p4d_t p4d;
	pud_t pud;

	mtest_walk_record(w, MTEST_PGD, pgd_val(pgd));
	if (pgd_none(pgd) || pgd_bad(pgd))
		return 0;

	/* On 4-level paging the p4d is folded into the pgd. */
	p4dp = p4d_offset(pgdp, w->addr);
	p4d = READ_ONCE(*p4dp);
	mtest_walk_record(w, MTEST_P4D, p4d_val(p4d));
	if (p4d_none(p4d) || p4d_bad(p4d))
		return 0;

	pudp = pud_offset(p4dp, w->addr);
	pud = READ_ONCE(*pudp);
	mtest_walk_record(w, MTEST_PUD, pud_val(pud));
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

static int mtest_walk(struct mtest_walk *w, struct mm_struct *mm)
{
	struct address_space *mapping;
	struct vm_area_struct *vma;
	int tries = MTEST_WALK_RETRIES;
	int err;

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

	/* Keeps a shared hugetlb PMD table from being unshared under us. */
	mapping = mtest_hugetlb_mapping(vma);
	if (mapping)
		i_mmap_lock_read(mapping);
	do {
		err = mtest_walk_tables(w, mm, vma);
	} while (err == -EAGAIN && --tries);
	if (mapping)
		i_mmap_unlock_read(mapping);
out_unlock:
	mmap_read_unlock(mm);
	return err;
}

/* Raw entries as shown: without privilege, no physical address bits. */
static u64 mtest_walk_shown_entry(const struct mtest_walk *w,
				  enum mtest_level level, bool show_pfn)
{
	u64 val = w->entry[level];

	if (show_pfn)
		return val;
	if (level == w->level && !w->present)
		return 0;
	return val & PTE_FLAGS_MASK;
}

/*
 * The "t" text without vsnprintf. The longest text is under 500 bytes and
 * the buffer holds MTEST_WALK_TEXT_MAX, so the writers need no bounds
 * check; literal keys are fixed-size copies.
 */
#define mtest_put_lit(p, s)	(memcpy(p, s, sizeof(s) - 1), (p) + sizeof(s) - 1)

/* Level names are three letters. */
static char *mtest_put_level(char *p, enum mtest_level level)
{
	memcpy(p, mtest_level_names[level], 3);
	return p + 3;
}

static char *mtest_put_hex(char *p, u64 v)
{
	int n = v ? DIV_ROUND_UP(fls64(v), 4) : 1;
	char *end;

	*p++ = '0';
	*p++ = 'x';
	end = p + n;
	while (n--) {
		p[n] = hex_asc[v & 15];
		v >>= 4;
	}
	return end;
}

static char *mtest_put_dec(char *p, long v)
{
	unsigned long u = v < 0 ? -(unsigned long)v : v;
	char t[20];
	int i = 0;

	if (v < 0)
		*p++ = '-';
	do {
		t[i++] = '0' + u % 10;
		u /= 10;
	} while (u);
	while (i)
		*p++ = t[--i];
	return p;
}

static char *mtest_put_flag(char *p, bool v)
{
	*p++ = '0' + v;
	*p++ = '\n';
	return p;
}

static char *mtest_walk_format_leaf(const struct mtest_walk *w, bool show_pfn,
				    char *p)
{
	u64 val = w->entry[w->level];
	unsigned long pfn = show_pfn ? w->pfn : 0;
	u64 phys = show_pfn ? PFN_PHYS(w->pfn) | offset_in_page(w->addr) : 0;

	p = mtest_put_lit(p, "present: 1\nwritable: ");
	p = mtest_put_flag(p, val & _PAGE_RW);
	p = mtest_put_lit(p, "user: ");
	p = mtest_put_flag(p, val & _PAGE_USER);
	p = mtest_put_lit(p, "accessed: ");
	p = mtest_put_flag(p, val & _PAGE_ACCESSED);
	p = mtest_put_lit(p, "dirty: ");
	p = mtest_put_flag(p, val & _PAGE_DIRTY);
	p = mtest_put_lit(p, "huge: ");
	p = mtest_put_flag(p, w->level < MTEST_PTE);
	p = mtest_put_lit(p, "pfn: ");
	p = mtest_put_hex(p, pfn);
	p = mtest_put_lit(p, "\nphys: ");
	p = mtest_put_hex(p, phys);
	*p++ = '\n';
	/* Like pfns, they tell about other processes' use of the page. */
	p = mtest_put_lit(p, "refcount: ");
	p = mtest_put_dec(p, show_pfn ? w->refcount : 0);
	p = mtest_put_lit(p, "\nmapcount: ");
	p = mtest_put_dec(p, show_pfn ? w->mapcount : 0);
	p = mtest_put_lit(p, "\nanon: ");
	p = mtest_put_flag(p, w->anon);
	p = mtest_put_lit(p, "file: ");
	p = mtest_put_flag(p, w->file);
	p = mtest_put_lit(p, "ksm: ");
	p = mtest_put_flag(p, show_pfn && w->ksm);
	p = mtest_put_lit(p, "zero: ");
	p = mtest_put_flag(p, w->zero);
	p = mtest_put_lit(p, "thp: ");
	p = mtest_put_flag(p, w->thp);
	p = mtest_put_lit(p, "hugetlb: ");
	p = mtest_put_flag(p, w->hugetlb);
	p = mtest_put_lit(p, "special: ");
	return mtest_put_flag(p, w->special);
}

static char *mtest_walk_format_absent(const struct mtest_walk *w,
				      bool show_pfn, char *p)
{
	if (!w->swap)
		return mtest_put_lit(p, "present: 0\nswap: 0\n");
	p = mtest_put_lit(p, "present: 0\nswap: 1\nswap_type: ");
	p = mtest_put_dec(p, w->swap_type);
	p = mtest_put_lit(p, "\nswap_offset: ");
	p = mtest_put_hex(p, show_pfn ? w->swap_offset : 0);
	*p++ = '\n';
	return p;
}

static int mtest_walk_format(const struct mtest_walk *w, bool show_pfn,
			     char *buf, size_t size)
{
	unsigned long f = w->vm_flags;
	enum mtest_level level;
	char *p = buf;

	if (WARN_ON_ONCE(size < MTEST_WALK_TEXT_MAX))
		return -EINVAL;
	p = mtest_put_lit(p, "addr: ");
	p = mtest_put_hex(p, w->addr);
	p = mtest_put_lit(p, "\nvma: ");
	p = mtest_put_hex(p, w->vm_start);
	*p++ = '-';
	p = mtest_put_hex(p, w->vm_end);
	*p++ = ' ';
	*p++ = f & VM_READ ? 'r' : '-';
	*p++ = f & VM_WRITE ? 'w' : '-';
	*p++ = f & VM_EXEC ? 'x' : '-';
	*p++ = f & VM_SHARED ? 's' : 'p';
	p = mtest_put_lit(p, "\nlevels: ");
	*p++ = pgtable_l5_enabled() ? '5' : '4';
	*p++ = '\n';
	for (level = MTEST_PGD; level <= w->level; level++) {
		p = mtest_put_level(p, level);
		p = mtest_put_lit(p, ": ");
		p = mtest_put_hex(p, mtest_walk_shown_entry(w, level, show_pfn));
		*p++ = '\n';
	}
	p = mtest_put_lit(p, "level: ");
	p = mtest_put_level(p, w->level);
	*p++ = '\n';
	if (w->present)
		p = mtest_walk_format_leaf(w, show_pfn, p);
	else
		p = mtest_walk_format_absent(w, show_pfn, p);
	*p = '\0';
	return p - buf;
}

/**
 * mtest_translate() - describe how @mm maps @addr
 * @mm: the target, referenced by the caller
 * @addr: the address
 * @show_pfn: whether physical addresses may be shown to the caller
 * @buf: where the "key: value" text goes
 * @size: room in @buf, at least MTEST_WALK_TEXT_MAX
 *
 * Return: the text's length, -EFAULT if @addr is in no VMA, -EINTR, or
 * -EAGAIN if the tables kept changing under the walk.
 */
int mtest_translate(struct mm_struct *mm, unsigned long addr, bool show_pfn,
		    char *buf, size_t size)
{
	struct mtest_walk w = { .addr = addr };
	int err;

	err = mtest_walk(&w, mm);
	if (err)
		return err;
	return mtest_walk_format(&w, show_pfn, buf, size);
}
