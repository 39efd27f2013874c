// SPDX-License-Identifier: GPL-2.0-only
/*
 * mtest: the course's Project 3, task 1, solved the way a student would,
 * and correctly: /proc/mtest takes "r PID ADDR" and "w PID ADDR BYTE";
 * reading it gives the last byte read, in decimal. memlab-grade's tests
 * grade it as a submission (full marks), and each mutant beside it breaks
 * it in one way students do.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cred.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/proc_fs.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/uaccess.h>
#include <linux/version.h>

static struct proc_dir_entry *mtest_entry;
static DEFINE_MUTEX(mtest_lock);
/* The result of the last "r", for every reader: the course's way. */
static char mtest_result[8];

/* The caller may touch TASK's memory when it is the same user, or may ptrace. */
static bool mtest_may_access(struct task_struct *task)
{
	const struct cred *cred = get_task_cred(task);
	bool same = uid_eq(current_euid(), cred->euid);

	put_cred(cred);
	return same || capable(CAP_SYS_PTRACE);
}

/* Pin the page at ADDR; for a write, a private copy of it (copy-on-write). */
static struct page *mtest_get_page(struct mm_struct *mm, unsigned long addr,
				   bool write)
{
	unsigned int flags = FOLL_FORCE | (write ? FOLL_WRITE : 0);
	struct page *page;
	int locked = 1;
	long n;

	if (mmap_read_lock_killable(mm))
		return NULL;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
	n = get_user_pages_remote(mm, addr, 1, flags, &page, &locked);
#else
	n = get_user_pages_remote(mm, addr, 1, flags, &page, NULL, &locked);
#endif
	if (locked)
		mmap_read_unlock(mm);
	return n == 1 ? page : NULL;
}

static int mtest_do(char op, pid_t nr, unsigned long addr, unsigned int val)
{
	struct task_struct *task;
	struct mm_struct *mm;
	struct page *page;
	struct pid *pid;
	u8 *kaddr;
	int err = 0;

	pid = find_get_pid(nr);
	task = get_pid_task(pid, PIDTYPE_PID);
	put_pid(pid);
	if (!task)
		return -ESRCH;
	if (!mtest_may_access(task)) {
		err = -EACCES;
		goto out_task;
	}
	mm = get_task_mm(task);
	if (!mm) {
		err = -ESRCH;
		goto out_task;
	}
	page = mtest_get_page(mm, addr, op == 'w');
	if (!page) {
		err = -EFAULT;
		goto out_mm;
	}
	kaddr = kmap_local_page(page);
	if (op == 'w') {
		kaddr[offset_in_page(addr)] = val;
		set_page_dirty_lock(page);
	} else {
		snprintf(mtest_result, sizeof(mtest_result), "%u\n",
			 kaddr[offset_in_page(addr)]);
	}
	kunmap_local(kaddr);
	put_page(page);
out_mm:
	mmput(mm);
out_task:
	put_task_struct(task);
	return err;
}

static ssize_t mtest_write(struct file *file, const char __user *ubuf,
			   size_t count, loff_t *ppos)
{
	unsigned long addr;
	unsigned int val = 0;
	char buf[64], op;
	int n, pid, err;

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = 0;
	mutex_lock(&mtest_lock);
	n = sscanf(buf, " %c %d %lx %u", &op, &pid, &addr, &val);
	if (!((op == 'r' && n == 3) || (op == 'w' && n == 4))) {
		err = -EINVAL;
		goto out_unlock;
	}
	if (val > 255 || pid <= 0) {
		err = -EINVAL;
		goto out_unlock;
	}
	err = mtest_do(op, pid, addr, val);
out_unlock:
	mutex_unlock(&mtest_lock);
	return err ? err : count;
}

static ssize_t mtest_read(struct file *file, char __user *ubuf, size_t count,
			  loff_t *ppos)
{
	ssize_t n;

	mutex_lock(&mtest_lock);
	n = simple_read_from_buffer(ubuf, count, ppos, mtest_result,
				    strlen(mtest_result));
	mutex_unlock(&mtest_lock);
	return n;
}

static const struct proc_ops mtest_ops = {
	.proc_read	= mtest_read,
	.proc_write	= mtest_write,
	.proc_lseek	= default_llseek,
};

static int __init mtest_init(void)
{
	mtest_entry = proc_create("mtest", 0666, NULL, &mtest_ops);
	return mtest_entry ? 0 : -ENOMEM;
}

static void __exit mtest_exit(void)
{
	proc_remove(mtest_entry);
}

module_init(mtest_init);
module_exit(mtest_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Project 3 task 1: read and write another process's byte");
