// SPDX-License-Identifier: GPL-2.0-only
/*
 * maptest: mmap of the buffer.
 *
 * The pages are inserted with vm_insert_pages(), which takes a reference
 * per mapping, and no vm_ops are installed: the mapping then refers to
 * nothing in the module and stays valid after rmmod.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/mm.h>
#include "memlab_compat.h"
#include "maptest.h"

int maptest_buf_mmap(struct maptest_buf *buf, struct vm_area_struct *vma)
{
	unsigned long nr = vma_pages(vma);
	unsigned long off = vma->vm_pgoff;
	bool admin = capable(CAP_SYS_ADMIN);

	/* Never map past the buffer: the next physical page is not ours. */
	if (off >= buf->nr || nr > buf->nr - off)
		return -EINVAL;
	/* Shared writes change the buffer for every user. */
	if ((vma->vm_flags & VM_SHARED) && (vma->vm_flags & VM_WRITE) && !admin)
		return -EPERM;
	/* ... and mprotect() must not grant them later. */
	if ((vma->vm_flags & VM_SHARED) && !admin)
		memlab_vm_flags_clear(vma, VM_MAYWRITE);
	/* Growing by mremap() would leave pages nobody inserted. */
	memlab_vm_flags_set(vma, VM_DONTEXPAND);

	return vm_insert_pages(vma, vma->vm_start, buf->pages + off, &nr);
}
