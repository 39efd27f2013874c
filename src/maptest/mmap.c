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
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/user_namespace.h>
#include "memlab_compat.h"
#include "maptest.h"

/*
 * A shared mapping that may be written (the file is open for writing)
 * changes the buffer for every user: only for an opener with
 * CAP_SYS_ADMIN. Judged on the opener's credentials, as every later use of
 * an open file must be, and only when it matters, so that read-only use
 * raises no capability audit.
 */
static bool maptest_may_share_write(struct vm_area_struct *vma)
{
	if (!(vma->vm_flags & VM_SHARED) || !(vma->vm_flags & VM_MAYWRITE))
		return true;
	return file_ns_capable(vma->vm_file, &init_user_ns, CAP_SYS_ADMIN);
}

int maptest_buf_mmap(struct maptest_buf *buf, struct vm_area_struct *vma)
{
	unsigned long nr = vma_pages(vma);
	unsigned long off = vma->vm_pgoff;

	/* Never map past the buffer: the next physical page is not ours. */
	if (off >= buf->nr || nr > buf->nr - off)
		return -EINVAL;
	if (!maptest_may_share_write(vma)) {
		/* Shared writes change the buffer for every user ... */
		if (vma->vm_flags & VM_WRITE)
			return -EPERM;
		/* ... and mprotect() must not grant them later. */
		memlab_vm_flags_clear(vma, VM_MAYWRITE);
	}
	/* Growing by mremap() would leave pages nobody inserted. */
	memlab_vm_flags_set(vma, VM_DONTEXPAND);

	return vm_insert_pages(vma, vma->vm_start, buf->pages + off, &nr);
}
