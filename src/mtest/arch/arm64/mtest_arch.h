/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mtest on arm64: what the page-table walk needs of the architecture and
 * has no generic accessor for. src/Kbuild puts this directory on the
 * include path for arm64 builds only. The differences between kernels
 * (LPA2 and its run-time folding, PTE_ADDR_HIGH, the contiguous-PTE view)
 * are in memlab_compat.h.
 */
#ifndef _MTEST_ARCH_H
#define _MTEST_ARCH_H

#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/string.h>
#include <asm/cache.h>
#include <asm/cacheflush.h>
#include <asm/cputype.h>
#include "memlab_compat.h"
#include "memlab.h"

/* 3 to 5: the page size, VA_BITS and arm64.nolva decide. */
static inline unsigned int mtest_arch_levels(void)
{
	return memlab_arm64_levels();
}

/*
 * The output-address bits of an entry. Bits 50 and 51 (BTI guarded, DBM)
 * and the attributes above them are flags, never address bits.
 */
static inline u64 mtest_arch_addr_bits(void)
{
	return memlab_arm64_addr_bits();
}

/* AP[1]: the page is accessible at EL0. */
static inline bool mtest_arch_user(u64 entry)
{
	return entry & PTE_USER;
}

/* UXN: execute-never at EL0, in a page or a block entry alike. */
static inline bool mtest_arch_nx(u64 entry)
{
	return entry & PTE_UXN;
}

/* A bit of a leaf entry that "t" shows as a key of its own. */
struct mtest_arch_bit {
	const char *key;
	u64 bit;
};

/*
 * The arm64 attributes of a leaf, raw, at the same place in page and
 * block entries. They say more than the generic flags: valid is 0 for a
 * PROT_NONE page that pte_present() counts, and writable and dirty are
 * derived from DBM, AP[2] and the software dirty bit together. The keys
 * and bits are the contract's, in the uapi header.
 */
#define MTEST_ARCH_BIT(key, bit, word)	{ key, BIT_ULL(bit) },

static inline const struct mtest_arch_bit *mtest_arch_leaf_bits(unsigned int *n)
{
	static const struct mtest_arch_bit bits[] =
		MEMLAB_ARM64_LEAF_BITS(MTEST_ARCH_BIT);

	*n = ARRAY_SIZE(bits);
	return bits;
}

/* pud_present() knows PROT_NONE leaves on arm64. */
static inline bool mtest_arch_pud_leaf_present(pud_t pud)
{
	return pud_present(pud);
}

/* arm64 has no pud_dirty(): a PUD leaf is read as a PTE. */
static inline bool mtest_arch_pud_dirty(pud_t pud)
{
	return pte_dirty(pud_pte(pud));
}

/*
 * The entry as the MMU reads it: with CONFIG_ARM64_CONTPTE, ptep_get()
 * merges accessed and dirty across a contiguous block.
 */
static inline pte_t mtest_arch_ptep_get(pte_t *ptep)
{
	return memlab_ptep_get_raw(ptep);
}

/*
 * Whether the I-cache may hold a line under another alias than the kernel
 * address written through: anything but PIPT. icache_is_aliasing() reads
 * __icache_flags, which is not exported; this errs towards invalidating.
 */
static inline bool mtest_arch_icache_aliasing(void)
{
	return CTR_L1IP(read_cpuid_cachetype()) != CTR_EL0_L1Ip_PIPT;
}

/*
 * A write into another process's page, as ptrace's access_process_vm():
 * copy_to_user_page() and its flush_ptrace_access() are not exported on
 * arm64, so their steps are here. For an executable mapping,
 * sync_icache_aliases() over the bytes written: clean the D-cache and
 * invalidate the I-cache to the point of unification by address, and the
 * whole I-cache where it may alias, since the user's alias of the page
 * is not the address written through. flush_icache_range() did only the
 * first (and a cross-call that kernel text needs, user pages do not).
 */
static inline void mtest_arch_copy_to_user_page(struct vm_area_struct *vma,
						struct page *page,
						unsigned long uaddr, void *dst,
						const void *src,
						unsigned long len)
{
	unsigned long start = (unsigned long)dst;

	memcpy(dst, src, len);
	if (!(vma->vm_flags & VM_EXEC))
		return;
	caches_clean_inval_pou(start, start + len);
	if (mtest_arch_icache_aliasing())
		icache_inval_all_pou();
}

#endif /* _MTEST_ARCH_H */
