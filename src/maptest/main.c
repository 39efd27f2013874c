// SPDX-License-Identifier: GPL-2.0-only
/*
 * maptest: a kernel buffer filled with distinctive text at load time,
 * mapped into user space by mmap() of /proc/maptest and shown by read().
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include "memlab.h"
#include "maptest.h"

static umode_t mode = 0644;
module_param(mode, ushort, 0444);
MODULE_PARM_DESC(mode, "permissions of /proc/maptest (default 0644)");

static unsigned int pages = 1;
module_param(pages, uint, 0444);
MODULE_PARM_DESC(pages, "buffer size in pages, 1 to 1024 (default 1)");

static struct maptest_buf maptest_buf;
static struct proc_dir_entry *maptest_entry;

static ssize_t maptest_read(struct file *file, char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	return maptest_buf_read(&maptest_buf, ubuf, count, ppos);
}

static int maptest_mmap(struct file *file, struct vm_area_struct *vma)
{
	return maptest_buf_mmap(&maptest_buf, vma);
}

static const struct proc_ops maptest_proc_ops = {
	.proc_read	= maptest_read,
	.proc_mmap	= maptest_mmap,
	.proc_lseek	= default_llseek,
};

static int __init maptest_init(void)
{
	int err;

	if (!mode || (mode & ~0777)) {
		pr_err("mode %#o is not a permission mask\n", mode);
		return -EINVAL;
	}
	if (!pages || pages > MAPTEST_PAGES_MAX) {
		pr_err("pages must be 1 to %d\n", MAPTEST_PAGES_MAX);
		return -EINVAL;
	}

	/* The buffer exists before anyone can open the file. */
	err = maptest_buf_alloc(&maptest_buf, pages);
	if (err)
		return err;

	maptest_entry = proc_create("maptest", mode, NULL, &maptest_proc_ops);
	if (!maptest_entry) {
		err = -ENOMEM;
		goto err_buf;
	}
	return 0;

err_buf:
	maptest_buf_free(&maptest_buf);
	return err;
}

static void __exit maptest_exit(void)
{
	proc_remove(maptest_entry);
	maptest_buf_free(&maptest_buf);
}

module_init(maptest_init);
module_exit(maptest_exit);

MODULE_DESCRIPTION("Map a kernel buffer of distinctive text via /proc/maptest");
MODULE_AUTHOR("memlab developers");
MODULE_LICENSE("GPL");
