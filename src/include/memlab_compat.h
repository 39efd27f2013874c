/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Every kernel API difference memlab meets, in one place, from 6.1
 * (Debian bookworm) to 6.12 (bookworm-backports). The MEMLAB_* macros come
 * from the header probes in src/Kbuild.
 */
#ifndef _MEMLAB_COMPAT_H
#define _MEMLAB_COMPAT_H

#include <linux/mm.h>

/* 6.5 dropped the vmas argument of get_user_pages_remote(). */
static inline long memlab_gup_remote(struct mm_struct *mm, unsigned long addr,
				     unsigned int gup_flags, struct page **page)
{
#ifdef MEMLAB_GUP_HAS_VMAS
	return get_user_pages_remote(mm, addr, 1, gup_flags, page, NULL, NULL);
#else
	return get_user_pages_remote(mm, addr, 1, gup_flags, page, NULL);
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

/* page_mapcount() is gone by 6.12; folio_mapcount() is not exported in 6.1. */
static inline int memlab_mapcount(struct page *page)
{
#ifdef MEMLAB_HAVE_PAGE_MAPCOUNT
	return page_mapcount(page);
#else
	return folio_mapcount(page_folio(page));
#endif
}

#endif /* _MEMLAB_COMPAT_H */
