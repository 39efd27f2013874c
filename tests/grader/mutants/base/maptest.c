// SPDX-License-Identifier: GPL-2.0-only
/*
 * maptest: the course's Project 3, task 2, solved the way a student would,
 * and correctly: one page of text, mapped by mmap of /proc/maptest and
 * given by read(). The mapping holds its own reference to the page
 * (vm_insert_page), so rmmod while it is mapped frees nothing it shows.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/proc_fs.h>

#define MAPTEST_TEXT "memlab maptest: this text was written by the kernel\n" \
		     "(the course's Project 3, task 2)\n"

static struct proc_dir_entry *maptest_entry;
static struct page *maptest_page;

static int maptest_mmap(struct file *file, struct vm_area_struct *vma)
{
	/* One page from offset 0: anything more would show other memory. */
	if (vma->vm_pgoff || vma->vm_end - vma->vm_start > PAGE_SIZE)
		return -EINVAL;
	return vm_insert_page(vma, vma->vm_start, maptest_page);
}

static ssize_t maptest_read(struct file *file, char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	const char *text = page_address(maptest_page);

	return simple_read_from_buffer(ubuf, count, ppos, text, strlen(text));
}

static const struct proc_ops maptest_ops = {
	.proc_read	= maptest_read,
	.proc_mmap	= maptest_mmap,
	.proc_lseek	= default_llseek,
};

static int __init maptest_init(void)
{
	maptest_page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!maptest_page)
		return -ENOMEM;
	strscpy(page_address(maptest_page), MAPTEST_TEXT, PAGE_SIZE);
	maptest_entry = proc_create("maptest", 0444, NULL, &maptest_ops);
	if (!maptest_entry) {
		__free_page(maptest_page);
		return -ENOMEM;
	}
	return 0;
}

static void __exit maptest_exit(void)
{
	proc_remove(maptest_entry);
	/* A mapping still holds its own reference: the page lives on. */
	__free_page(maptest_page);
}

module_init(maptest_init);
module_exit(maptest_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Project 3 task 2: a kernel page mapped by mmap");
