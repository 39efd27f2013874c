// SPDX-License-Identifier: GPL-2.0-only
/*
 * mtest: find the target process and take its mm, if the opener of
 * /proc/mtest may, by the kernel's own verdict.
 *
 * The rule is /proc/PID/mem's: the ptrace attach check, LSMs included
 * (Yama's ptrace_scope, AppArmor, SELinux), made with the credentials of
 * whoever opened /proc/mtest (file->f_cred), never those of the task that
 * happens to write the command: a setuid program must not become a deputy
 * for the user who handed it the file.
 *
 * How the verdict is obtained. ptrace_may_access(), mm_access() and
 * security_ptrace_access_check() are not exported, and re-implementing
 * __ptrace_may_access() (as memlab did before) skips the LSM hook, so
 * Yama's scopes were ignored. What modules can reach is the VFS: mtest
 * opens the target's "mem" file in procfs under the opener's credentials,
 * and mem_open() runs mm_access(), LSMs included, then binds the mm it
 * checked. The open is made:
 * - in a procfs instance of mtest's own (kern_mount() at load), not the
 *   caller's /proc, which may be missing, mounted elsewhere, hidepid= or
 *   of another pid namespace; pids are translated into its namespace;
 * - with dentry_open(), which skips the 0600 mode of the mem inode: that
 *   DAC check is the file's, not ptrace's, and it refuses a caller with
 *   CAP_SYS_PTRACE alone that process_vm_readv() and PTRACE_ATTACH admit.
 * The mm used is the one that open checked, as for an open
 * /proc/PID/mem; it is compared, not dereferenced through the procfs file.
 *
 * The same procfs instance gives the kernel command line, for the
 * proc_mem.force_override= rule that /proc/PID/mem follows.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cred.h>
#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "memlab_compat.h"
#include "target.h"

enum mtest_force {
	MTEST_FORCE_ALWAYS,
	MTEST_FORCE_PTRACE,
	MTEST_FORCE_NEVER,
};

static struct vfsmount *mtest_proc_mnt;
static struct pid_namespace *mtest_proc_ns;
static enum mtest_force mtest_force;

/* Opens @dir/@name of mtest's procfs (@dir may be NULL) with @cred's rights. */
static struct file *mtest_proc_open(const char *dir, const char *name,
				    int flags, const struct cred *cred)
{
	struct path root = { .mnt = mtest_proc_mnt,
			     .dentry = mtest_proc_mnt->mnt_root };
	struct file *file = NULL;
	struct path subdir, path;
	const struct cred *old;
	int err;

	old = override_creds(cred);
	if (dir) {
		err = memlab_lookup_one(&root, dir, &subdir);
		if (err)
			goto out;
		err = memlab_lookup_one(&subdir, name, &path);
		path_put(&subdir);
	} else {
		err = memlab_lookup_one(&root, name, &path);
	}
	if (err)
		goto out;
	file = dentry_open(&path, flags, cred);
	path_put(&path);
out:
	revert_creds(old);
	return err ? ERR_PTR(err) : file;
}

/*
 * The kernel's default (CONFIG_PROC_MEM_*), then the last valid
 * proc_mem.force_override= of the command line, as early_param() applies
 * them. saved_command_line is not exported; /proc/cmdline is its text.
 */
static enum mtest_force mtest_force_default(void)
{
	if (IS_ENABLED(CONFIG_PROC_MEM_NO_FORCE))
		return MTEST_FORCE_NEVER;
	if (IS_ENABLED(CONFIG_PROC_MEM_FORCE_PTRACE))
		return MTEST_FORCE_PTRACE;
	return MTEST_FORCE_ALWAYS;
}

static enum mtest_force mtest_force_parse(char *cmdline, enum mtest_force f)
{
	static const char key[] = "proc_mem.force_override=";
	char *tok;

	cmdline[strcspn(cmdline, "\n")] = '\0';
	while ((tok = strsep(&cmdline, " "))) {
		if (strncmp(tok, key, sizeof(key) - 1))
			continue;
		tok += sizeof(key) - 1;
		if (!strcmp(tok, "always"))
			f = MTEST_FORCE_ALWAYS;
		else if (!strcmp(tok, "ptrace"))
			f = MTEST_FORCE_PTRACE;
		else if (!strcmp(tok, "never"))
			f = MTEST_FORCE_NEVER;
	}
	return f;
}

static enum mtest_force mtest_force_read(void)
{
	enum mtest_force f = mtest_force_default();
	const size_t size = PAGE_SIZE;
	struct file *file;
	loff_t pos = 0;
	ssize_t n;
	char *buf;

	/* Only kernels that have the option (CONFIG_PROC_MEM_*) parse it. */
	if (!IS_ENABLED(CONFIG_PROC_MEM_ALWAYS_FORCE) &&
	    !IS_ENABLED(CONFIG_PROC_MEM_FORCE_PTRACE) &&
	    !IS_ENABLED(CONFIG_PROC_MEM_NO_FORCE))
		return f;
	buf = kzalloc(size, GFP_KERNEL);
	if (!buf)
		return f;
	file = mtest_proc_open(NULL, "cmdline", O_RDONLY, current_cred());
	if (!IS_ERR(file)) {
		n = kernel_read(file, buf, size - 1, &pos);
		fput(file);
		if (n > 0)
			f = mtest_force_parse(buf, f);
	}
	kfree(buf);
	return f;
}

/**
 * mtest_target_init() - mount mtest's procfs instance
 *
 * Its pid namespace is that of the loading process (procfs takes the
 * mounter's), normally the initial one, which sees every process.
 *
 * Return: 0 or a negative errno.
 */
int mtest_target_init(void)
{
	/* procfs is built in: get_fs_type() took no module reference. */
	struct file_system_type *proc = get_fs_type("proc");

	if (!proc)
		return -ENODEV;
	mtest_proc_mnt = kern_mount(proc);
	if (IS_ERR(mtest_proc_mnt))
		return PTR_ERR(mtest_proc_mnt);
	mtest_proc_ns = get_pid_ns(task_active_pid_ns(current));
	mtest_force = mtest_force_read();
	return 0;
}

void mtest_target_exit(void)
{
	put_pid_ns(mtest_proc_ns);
	kern_unmount(mtest_proc_mnt);
}

/*
 * FOLL_FORCE (reading PROT_NONE and writing read-only mappings), where
 * /proc/PID/mem would use it: proc_mem_foll_force() with the kernel's rule.
 */
static unsigned int mtest_gup_force(struct task_struct *task,
				    struct mm_struct *mm)
{
	switch (mtest_force) {
	case MTEST_FORCE_NEVER:
		return 0;
	case MTEST_FORCE_PTRACE:
		if (READ_ONCE(task->ptrace) && READ_ONCE(task->mm) == mm &&
		    rcu_access_pointer(task->parent) == current)
			return FOLL_FORCE;
		return 0;
	default:
		return FOLL_FORCE;
	}
}

/*
 * The kernel's verdict on @task for @cred: mem_open() under @cred. On
 * success, returns @task's mm if it is the one that open checked.
 */
static struct mm_struct *mtest_mm_access(struct task_struct *task,
					 struct pid *pid,
					 const struct cred *cred, int flags)
{
	char dir[16];
	struct mm_struct *mm;
	struct file *mem;
	pid_t nr;

	nr = pid_nr_ns(pid, mtest_proc_ns);
	if (!nr)
		return ERR_PTR(-ESRCH);
	snprintf(dir, sizeof(dir), "%d", nr);
	mem = mtest_proc_open(dir, "mem", flags, cred);
	if (IS_ERR(mem))
		return ERR_PTR(PTR_ERR(mem) == -ENOENT ? -ESRCH : PTR_ERR(mem));

	mm = get_task_mm(task);
	if (!mm) {
		mm = ERR_PTR(-ESRCH);
	} else if (mm != mem->private_data) {
		/* Exec'd since the check: the verdict was for the old mm. */
		mmput(mm);
		mm = ERR_PTR(-EAGAIN);
	}
	fput(mem);
	return mm;
}

/**
 * mtest_target_mm() - the mm of process @nr, if @cred may touch it
 * @nr: a pid in the caller's pid namespace
 * @cred: the credentials of whoever opened /proc/mtest
 * @write: whether the command writes
 * @gup_flags: set to FOLL_FORCE where /proc/PID/mem would force, else 0
 *
 * Return: a referenced mm (release with mmput()), or ERR_PTR(-ESRCH) for
 * no such process or one without an mm, ERR_PTR(-EACCES) or
 * ERR_PTR(-EPERM) if the kernel refuses, ERR_PTR(-EAGAIN) if the target
 * exec'd while it was judged, ERR_PTR(-EINTR) on a fatal signal.
 */
struct mm_struct *mtest_target_mm(int nr, const struct cred *cred,
				  bool write, unsigned int *gup_flags)
{
	struct task_struct *task;
	struct mm_struct *mm;
	struct pid *pid;

	pid = find_get_pid(nr);
	task = get_pid_task(pid, PIDTYPE_PID);
	if (!task) {
		put_pid(pid);
		return ERR_PTR(-ESRCH);
	}
	mm = mtest_mm_access(task, pid, cred, write ? O_RDWR : O_RDONLY);
	if (!IS_ERR(mm))
		*gup_flags = mtest_gup_force(task, mm);
	put_task_struct(task);
	put_pid(pid);
	return mm;
}
