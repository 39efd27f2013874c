// SPDX-License-Identifier: GPL-2.0-only
/*
 * mtest: read, write and translate bytes of another process through
 * /proc/mtest, with the semantics and the permission rule of
 * /proc/PID/mem. Each write() is one command; read() returns the calling
 * process's last result, from the file offset, so that a 1 MiB "R" result
 * can be read in pieces and again from 0.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/user_namespace.h>
#include <linux/uaccess.h>
#include "memlab.h"
#include "access.h"
#include "parse.h"
#include "result.h"
#include "target.h"
#include "text.h"
#include "walk.h"

static umode_t mode = 0600;
module_param(mode, ushort, 0444);
MODULE_PARM_DESC(mode, "permissions of /proc/mtest (default 0600)");

static unsigned int max_results = 1024;
module_param(max_results, uint, 0444);
MODULE_PARM_DESC(max_results,
		 "most processes holding a result at once (default 1024)");

static unsigned int max_results_per_uid = 256;
module_param(max_results_per_uid, uint, 0444);
MODULE_PARM_DESC(max_results_per_uid,
		 "most processes of one uid holding a result at once (default 256)");

static struct proc_dir_entry *mtest_entry;

/* What the open of /proc/mtest fixed for the life of the file. */
struct mtest_file {
	struct mtest_verdicts *verdicts;
	bool show_pfn;
};

/*
 * pagemap's rule: physical addresses are for CAP_SYS_ADMIN, judged once on
 * the opener's credentials, so that neither a later writer's privilege nor
 * every "t" (capable() would audit each and flag the task) comes into it.
 */
static int mtest_open(struct inode *inode, struct file *file)
{
	struct mtest_file *mf = kzalloc(sizeof(*mf), GFP_KERNEL);

	if (!mf)
		return -ENOMEM;
	mf->verdicts = mtest_verdicts_new(file->f_cred);
	if (!mf->verdicts) {
		kfree(mf);
		return -ENOMEM;
	}
	mf->show_pfn = file_ns_capable(file, &init_user_ns, CAP_SYS_ADMIN);
	file->private_data = mf;
	return 0;
}

static int mtest_release(struct inode *inode, struct file *file)
{
	struct mtest_file *mf = file->private_data;

	mtest_verdicts_free(mf->verdicts);
	kfree(mf);
	return 0;
}

static bool mtest_show_pfn(struct file *file)
{
	struct mtest_file *mf = file->private_data;

	return mf->show_pfn;
}

/* "r" makes decimal text, "R" stores the bytes themselves. */
static int mtest_do_read(struct mm_struct *mm, unsigned int gup_flags,
			 const struct mtest_cmd *cmd, struct mtest_result *res)
{
	struct mtest_text_out out;
	char *buf;
	int err;

	if (cmd->op == MTEST_READ_RAW) {
		buf = mtest_result_prepare(res, cmd->len);
		if (IS_ERR(buf))
			return PTR_ERR(buf);
		err = mtest_access_read(mm, gup_flags, cmd->addr, cmd->len,
					mtest_result_append, res);
	} else {
		buf = mtest_result_prepare(res, MTEST_TEXT_BYTE_MAX * cmd->len);
		if (IS_ERR(buf))
			return PTR_ERR(buf);
		out.start = buf;
		out.end = buf;
		err = mtest_access_read(mm, gup_flags, cmd->addr, cmd->len,
					mtest_text_bytes, &out);
		if (!err)
			mtest_result_set_len(res, mtest_text_bytes_finish(&out));
	}
	if (err)
		return err;
	mtest_result_commit(res);
	return 0;
}

static int mtest_do_write(struct mm_struct *mm, unsigned int gup_flags,
			  const struct mtest_cmd *cmd, struct mtest_result *res)
{
	int err;

	err = mtest_access_write(mm, gup_flags, cmd->addr, cmd->bytes,
				 cmd->len);
	if (!err)
		mtest_result_clear(res);
	return err;
}

static int mtest_do_translate(struct mm_struct *mm, bool show_pfn,
			      const struct mtest_cmd *cmd,
			      struct mtest_result *res)
{
	struct mtest_walk w;
	char *text;
	int len;

	text = mtest_result_prepare(res, MTEST_TEXT_WALK_MAX);
	if (IS_ERR(text))
		return PTR_ERR(text);
	len = mtest_walk(mm, cmd->addr, &w);
	if (len)
		return len;
	if (!show_pfn)
		mtest_walk_hide(&w);
	len = mtest_text_walk(&w, text, MTEST_TEXT_WALK_MAX);
	mtest_walk_release(&w);
	if (len < 0)
		return len;
	mtest_result_set_len(res, len);
	mtest_result_commit(res);
	return 0;
}

static int mtest_do(struct file *file, struct mm_struct *mm,
		    unsigned int gup_flags, const struct mtest_cmd *cmd,
		    struct mtest_result *res)
{
	switch (cmd->op) {
	case MTEST_READ:
	case MTEST_READ_RAW:
		return mtest_do_read(mm, gup_flags, cmd, res);
	case MTEST_WRITE:
		return mtest_do_write(mm, gup_flags, cmd, res);
	case MTEST_TRANSLATE:
		return mtest_do_translate(mm, mtest_show_pfn(file), cmd, res);
	}
	return -EINVAL;
}

/* Every decision is the opener's (file->f_cred), as for /proc/PID/mem. */
static int mtest_run(struct file *file, const struct mtest_cmd *cmd)
{
	struct mtest_file *mf = file->private_data;
	struct mtest_result *res;
	unsigned int gup_flags;
	struct mm_struct *mm;
	int err;

	mm = mtest_target_mm(mf->verdicts, cmd->pid, cmd->op == MTEST_WRITE,
			     &gup_flags);
	if (IS_ERR(mm))
		return PTR_ERR(mm);

	res = mtest_result_get(true);
	if (IS_ERR(res)) {
		err = PTR_ERR(res);
		goto out_mm;
	}
	err = mutex_lock_killable(&res->lock);
	if (err)
		goto out_res;
	err = mtest_do(file, mm, gup_flags, cmd, res);
	mutex_unlock(&res->lock);
out_res:
	mtest_result_put(res);
out_mm:
	mmput(mm);
	return err;
}

static ssize_t mtest_write(struct file *file, const char __user *ubuf,
			   size_t count, loff_t *ppos)
{
	char buf[MTEST_CMD_MAX];
	struct mtest_cmd cmd;
	int err;

	/* An oversized command is refused, never truncated. */
	if (!count || count > sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	err = mtest_parse(buf, count, &cmd);
	if (!err)
		err = mtest_run(file, &cmd);
	return err ? err : count;
}

static ssize_t mtest_read(struct file *file, char __user *ubuf, size_t count,
			  loff_t *ppos)
{
	struct mtest_result *res;
	ssize_t ret;

	res = mtest_result_get(false);
	if (!res)
		return 0;
	ret = mutex_lock_killable(&res->lock);
	if (!ret) {
		ret = simple_read_from_buffer(ubuf, count, ppos, res->cur.data,
					      mtest_result_len(res));
		mutex_unlock(&res->lock);
	}
	mtest_result_put(res);
	return ret;
}

static const struct proc_ops mtest_proc_ops = {
	.proc_open	= mtest_open,
	.proc_release	= mtest_release,
	.proc_read	= mtest_read,
	.proc_write	= mtest_write,
	.proc_lseek	= default_llseek,
};

static int __init mtest_init(void)
{
	int err;

	if (!mode || (mode & ~0777)) {
		pr_err("mode %#o is not a permission mask\n", mode);
		return -EINVAL;
	}
	mtest_text_init();
	err = mtest_results_init(max_results, max_results_per_uid);
	if (err) {
		pr_err("max_results and max_results_per_uid must be at least 1\n");
		return err;
	}
	err = mtest_target_init();
	if (err) {
		pr_err("cannot mount procfs for the ptrace verdict: %d\n", err);
		goto err_results;
	}
	mtest_entry = proc_create("mtest", mode, NULL, &mtest_proc_ops);
	if (!mtest_entry) {
		err = -ENOMEM;
		goto err_target;
	}
	return 0;

err_target:
	mtest_target_exit();
err_results:
	mtest_results_exit();
	return err;
}

static void __exit mtest_exit(void)
{
	proc_remove(mtest_entry);
	mtest_target_exit();
	mtest_results_exit();
}

module_init(mtest_init);
module_exit(mtest_exit);

MODULE_DESCRIPTION("Read, write and translate bytes of a process via /proc/mtest");
MODULE_AUTHOR("memlab developers");
MODULE_LICENSE("GPL");
