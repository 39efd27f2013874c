/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Every kernel API difference memlab meets, in one place, from 5.10 (Debian
 * bullseye) to 7.3 (trixie-backports). The MEMLAB_* macros come from the
 * header probes in src/Kbuild, never from version numbers.
 */
#ifndef _MEMLAB_COMPAT_H
#define _MEMLAB_COMPAT_H

#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/page-flags.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
/* swapops.h (5.10) and leafops.h (7.2) use swap.h before including it. */
#include <linux/swap.h>
#ifdef MEMLAB_HAVE_SOFTLEAF
#include <linux/leafops.h>
#else
#include <linux/swapops.h>
#endif
#ifdef MEMLAB_HAVE_LINUX_HEX_H
/* 7.2's kernel.h no longer declares hex_asc. */
#include <linux/hex.h>
#endif

/* 6.5 dropped the vmas argument of get_user_pages_remote(). */
static inline long memlab_gup_remote(struct mm_struct *mm, unsigned long addr,
				     unsigned long nr, unsigned int gup_flags,
				     struct page **pages)
{
#ifdef MEMLAB_GUP_HAS_VMAS
	return get_user_pages_remote(mm, addr, nr, gup_flags, pages, NULL,
				     NULL);
#else
	return get_user_pages_remote(mm, addr, nr, gup_flags, pages, NULL);
#endif
}

/* vma_lookup() came in 5.14. */
static inline struct vm_area_struct *memlab_vma_lookup(struct mm_struct *mm,
						       unsigned long addr)
{
#ifdef MEMLAB_HAVE_VMA_LOOKUP
	return vma_lookup(mm, addr);
#else
	struct vm_area_struct *vma = find_vma(mm, addr);

	return vma && addr >= vma->vm_start ? vma : NULL;
#endif
}

/*
 * kmap_local_page() came in 5.11. Before it, x86-64 (the only architecture
 * mtest walks) has no highmem, so the direct map is the mapping.
 */
static inline void *memlab_kmap(struct page *page)
{
#ifdef MEMLAB_HAVE_KMAP_LOCAL
	return kmap_local_page(page);
#else
	return page_address(page);
#endif
}

static inline void memlab_kunmap(struct page *page, void *addr)
{
#ifdef MEMLAB_HAVE_KMAP_LOCAL
	kunmap_local(addr);
#endif
}

/* vm_flags became read-only in 6.3: writers go through vm_flags_*(). */
static inline void memlab_vm_flags_set(struct vm_area_struct *vma,
				       vm_flags_t flags)
{
#ifdef MEMLAB_HAVE_VM_FLAGS_SET
	vm_flags_set(vma, flags);
#else
	vma->vm_flags |= flags;
#endif
}

static inline void memlab_vm_flags_clear(struct vm_area_struct *vma,
					 vm_flags_t flags)
{
#ifdef MEMLAB_HAVE_VM_FLAGS_SET
	vm_flags_clear(vma, flags);
#else
	vma->vm_flags &= ~flags;
#endif
}

/*
 * page_mapcount() is gone by 6.12; folio_mapcount() is not exported in 6.1.
 * So "mapcount" is that 4 KiB page's mappings up to 6.1 (a PMD mapping of
 * its THP included), and from 6.12 the mappings of any page of its folio.
 */
static inline int memlab_mapcount(struct page *page)
{
#ifdef MEMLAB_HAVE_PAGE_MAPCOUNT
	return page_mapcount(page);
#else
	return folio_mapcount(page_folio(page));
#endif
}

/*
 * What kind of memory a page is. The page tests (PageKsm() went in 7.2,
 * PageTransCompound() in 7.3) gave way to folio tests, which 5.10 lacks.
 */
static inline bool memlab_page_ksm(struct page *page)
{
#ifdef MEMLAB_HAVE_FOLIO_TESTS
	return folio_test_ksm(page_folio(page));
#else
	return PageKsm(page);
#endif
}

/* Part of a compound page: a THP unless the VMA is hugetlb. */
static inline bool memlab_page_large(struct page *page)
{
#ifdef MEMLAB_HAVE_FOLIO_TESTS
	return folio_test_large(page_folio(page));
#else
	return PageTransCompound(page);
#endif
}

/* Backed by a file: not anonymous, and with an address_space. */
static inline bool memlab_page_file(struct page *page)
{
#ifdef MEMLAB_HAVE_FOLIO_TESTS
	struct folio *folio = page_folio(page);

	return !folio_test_anon(folio) && folio->mapping;
#else
	return !PageAnon(page) && compound_head(page)->mapping;
#endif
}

/*
 * A non-present PTE that holds a swap slot, with its type and offset. 7.2
 * reads such entries as software leaves (leafops.h); before it, a swap entry
 * is one that is not a migration, hwpoison or marker entry.
 */
static inline bool memlab_pte_swap(pte_t pte, unsigned int *type,
				   unsigned long *offset)
{
#ifdef MEMLAB_HAVE_SOFTLEAF
	softleaf_t entry = softleaf_from_pte(pte);

	if (!softleaf_is_swap(entry))
		return false;
#else
	swp_entry_t entry = pte_to_swp_entry(pte);

	if (non_swap_entry(entry))
		return false;
#endif
	*type = swp_type(entry);
	*offset = swp_offset(entry);
	return true;
}

/*
 * Looks up the entry @name of the directory @dir, with the permission
 * checks of a path walk. vfs_path_lookup() is exported on every kernel but
 * declared for modules only from 6.2 (namei.h); before, and where it is
 * not, lookup_positive_unlocked() does the one component.
 */
static inline int memlab_lookup_one(const struct path *dir, const char *name,
				    struct path *path)
{
#ifdef MEMLAB_HAVE_VFS_PATH_LOOKUP
	return vfs_path_lookup(dir->dentry, dir->mnt, name, 0, path);
#else
	struct dentry *dentry;

	dentry = lookup_positive_unlocked(name, dir->dentry, strlen(name));
	if (IS_ERR(dentry))
		return PTR_ERR(dentry);
	path->dentry = dentry;
	path->mnt = mntget(dir->mnt);
	return 0;
#endif
}

/*
 * The path a mapped file shows in /proc/PID/maps: from 6.8, a file mapped
 * through overlayfs is a backing file whose f_path is the layer's file.
 */
static inline const struct path *memlab_file_user_path(struct file *file)
{
#ifdef MEMLAB_HAVE_FILE_USER_PATH
	return file_user_path(file);
#else
	return &file->f_path;
#endif
}

/*
 * Huge pfnmap leaves (6.12): a PMD or PUD leaf with no struct page to
 * read. Before pmd_special()/pud_special(), huge leaves were never special.
 */
static inline bool memlab_pmd_special(pmd_t pmd)
{
#ifdef MEMLAB_HAVE_PMD_SPECIAL
	return pmd_special(pmd);
#else
	return false;
#endif
}

static inline bool memlab_pud_special(pud_t pud)
{
#ifdef MEMLAB_HAVE_PUD_SPECIAL
	return pud_special(pud);
#else
	return false;
#endif
}

#ifdef CONFIG_ARM64
/*
 * Paging levels in use. From 6.9, LPA2 kernels fold the top level at boot
 * when the CPU lacks 52-bit VAs or arm64.nolva is given; 6.1 has no such
 * tests, and its levels are CONFIG_PGTABLE_LEVELS.
 */
static inline unsigned int memlab_arm64_levels(void)
{
	unsigned int levels = CONFIG_PGTABLE_LEVELS;

#ifdef MEMLAB_HAVE_PGTABLE_L5_ENABLED
	if (levels == 5 && !pgtable_l5_enabled())
		levels--;
#endif
#ifdef MEMLAB_HAVE_PGTABLE_L4_ENABLED
	if (levels == 4 && !pgtable_l4_enabled())
		levels--;
#endif
	return levels;
}

/*
 * An entry's output-address bits: 6.1's PTE_ADDR_MASK; 6.12 split it into
 * PTE_ADDR_LOW (up to bit 49) and, for 52-bit PAs, PTE_ADDR_HIGH (bits
 * 12-15 with 64K pages, 8-9 with LPA2).
 */
static inline u64 memlab_arm64_addr_bits(void)
{
#ifdef MEMLAB_HAVE_PTE_ADDR_MASK
	return PTE_ADDR_MASK;
#elif defined(CONFIG_ARM64_PA_BITS_52)
	return PTE_ADDR_LOW | PTE_ADDR_HIGH;
#else
	return PTE_ADDR_LOW;
#endif
}

/* The raw entry: 6.9's contiguous-PTE ptep_get() merges a block's A and D. */
static inline pte_t memlab_ptep_get_raw(pte_t *ptep)
{
#ifdef MEMLAB_HAVE_RAW_PTEP_GET
	return __ptep_get(ptep);
#else
	return ptep_get(ptep);
#endif
}
#endif /* CONFIG_ARM64 */

#endif /* _MEMLAB_COMPAT_H */
