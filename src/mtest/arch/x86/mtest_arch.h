/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mtest on x86-64: what the page-table walk needs of the architecture and
 * has no generic accessor for. src/Kbuild puts this directory on the
 * include path for x86 builds only.
 */
#ifndef _MTEST_ARCH_H
#define _MTEST_ARCH_H

#include <linux/highmem.h>
#include <linux/pgtable.h>

/* 4 or 5: la57 is chosen at boot (no5lvl). */
static inline unsigned int mtest_arch_levels(void)
{
	return pgtable_l5_enabled() ? 5 : 4;
}

/* The physical-address bits of an entry, at every level. */
static inline u64 mtest_arch_addr_bits(void)
{
	return PTE_PFN_MASK;
}

static inline bool mtest_arch_user(u64 entry)
{
	return entry & _PAGE_USER;
}

/* NX, where the CPU has it: the kernel clears the bit in entries if not. */
static inline bool mtest_arch_nx(u64 entry)
{
	return entry & _PAGE_NX;
}

/* A bit of a leaf entry that "t" shows as a key of its own. */
struct mtest_arch_bit {
	const char *key;
	u64 bit;
};

/*
 * None on x86: the generic flags and nx cover the bits a user page has
 * (global is never set in one), and the raw entry shows the rest.
 */
static inline const struct mtest_arch_bit *mtest_arch_leaf_bits(unsigned int *n)
{
	*n = 0;
	return NULL;
}

/*
 * pud_present() tests _PAGE_PRESENT only, but a PROT_NONE leaf (a 1 GiB
 * hugetlb page after mprotect(PROT_NONE)) keeps its page with
 * _PAGE_PROTNONE instead, as pmd_present() knows for PMD leaves.
 */
static inline bool mtest_arch_pud_leaf_present(pud_t pud)
{
	return pud_flags(pud) & (_PAGE_PRESENT | _PAGE_PROTNONE);
}

static inline bool mtest_arch_pud_dirty(pud_t pud)
{
	return pud_dirty(pud);
}

/* The entry as the MMU reads it. */
static inline pte_t mtest_arch_ptep_get(pte_t *ptep)
{
	return ptep_get(ptep);
}

/* A write into another process's page, as ptrace's access_process_vm(). */
static inline void mtest_arch_copy_to_user_page(struct vm_area_struct *vma,
						struct page *page,
						unsigned long uaddr, void *dst,
						const void *src,
						unsigned long len)
{
	copy_to_user_page(vma, page, uaddr, dst, src, len);
}

#endif /* _MTEST_ARCH_H */
