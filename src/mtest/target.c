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
 * Whose verdict: the opener's, whoever writes the command. Written from
 * the opener's process image (the mm it had at open), the open runs in
 * the writer, as the opener's own open of /proc/PID/mem would. Written
 * from anywhere else, it runs in mtest's kernel thread, where no relation
 * of the writer to the target (same process, same mm, Yama's descendants)
 * can stand in for the opener's (mtest_judge()).
 *
 * The kernel pays for its check once, at open; mtest keeps each granted
 * verdict per open file and target for the mm it was judged for.
 *
 * The same procfs instance gives the kernel command line, for the
 * proc_mem.force_override= rule that /proc/PID/mem follows.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cred.h>
#include <linux/ctype.h>
#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/lockdep.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/rcupdate.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
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
static struct kthread_worker mtest_judge_worker;
static struct task_struct *mtest_judge_task;

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

/* parameq(): dashes and underscores are the same character. */
static bool mtest_param_eq(const char *a, const char *b)
{
	for (; *a || *b; a++, b++) {
		if ((*a == '-' ? '_' : *a) != (*b == '-' ? '_' : *b))
			return false;
	}
	return true;
}

/*
 * One argument of a command line, as lib/cmdline.c's next_arg() splits it
 * (not exported on every kernel that has the option, 5.10 of Debian):
 * words end at spaces outside double quotes; quotes around the value,
 * or around the whole argument, are dropped.
 */
static char *mtest_next_arg(char *args, char **param, char **val)
{
	unsigned int i, equals = 0;
	bool in_quote = false, quoted = false;

	if (*args == '"') {
		args++;
		in_quote = true;
		quoted = true;
	}
	for (i = 0; args[i]; i++) {
		if (isspace(args[i]) && !in_quote)
			break;
		if (!equals && args[i] == '=')
			equals = i;
		if (args[i] == '"')
			in_quote = !in_quote;
	}
	*param = args;
	*val = NULL;
	if (equals) {
		args[equals] = '\0';
		*val = args + equals + 1;
		if (**val == '"') {
			(*val)++;
			if (args[i - 1] == '"')
				args[i - 1] = '\0';
		}
	}
	if (quoted && i > 0 && args[i - 1] == '"')
		args[i - 1] = '\0';
	if (args[i]) {
		args[i] = '\0';
		args += i + 1;
	} else {
		args += i;
	}
	return skip_spaces(args);
}

/*
 * How many arguments bootconfig's "kernel" keys put in front of
 * /proc/cmdline: one per value (xbc_make_cmdline()), one for a key
 * without. /proc/bootconfig shows each key as KEY = "V"[, "V"...], a
 * value holding '"' between single quotes.
 */
static unsigned int mtest_bootconfig_args(char *text)
{
	unsigned int n = 0, vals;
	char *line, *p, *end;

	while ((line = strsep(&text, "\n"))) {
		if (strncmp(line, "kernel.", 7))
			continue;
		p = strstr(line, " = ");
		vals = 0;
		while (p && (p = strpbrk(p, "\"'"))) {
			end = strchr(p + 1, *p);
			if (!end)
				break;
			vals++;
			p = end + 1;
		}
		n += vals ? vals : 1;
	}
	return n;
}

/*
 * The kernel's early parameters: next_arg()'s words and quotes, dashes
 * equal to underscores, nothing after "--", and not the @skip arguments
 * that bootconfig added (they are applied after the early ones).
 */
static enum mtest_force mtest_force_parse(char *args, unsigned int skip,
					  enum mtest_force f)
{
	char *param, *val;

	args[strcspn(args, "\n")] = '\0';
	args = skip_spaces(args);
	while (*args) {
		args = mtest_next_arg(args, &param, &val);
		if (skip) {
			skip--;
			continue;
		}
		if (!val && !strcmp(param, "--"))
			break;
		if (!val || !mtest_param_eq(param, "proc_mem.force_override"))
			continue;
		if (!strcmp(val, "always"))
			f = MTEST_FORCE_ALWAYS;
		else if (!strcmp(val, "ptrace"))
			f = MTEST_FORCE_PTRACE;
		else if (!strcmp(val, "never"))
			f = MTEST_FORCE_NEVER;
	}
	return f;
}

/* The text of /proc/@name in a new buffer of PAGE_SIZE, or NULL. */
static char *mtest_proc_text(const char *name)
{
	struct file *file;
	loff_t pos = 0;
	ssize_t n;
	char *buf;

	buf = kzalloc(PAGE_SIZE, GFP_KERNEL);
	if (!buf)
		return NULL;
	file = mtest_proc_open(NULL, name, O_RDONLY, current_cred());
	if (IS_ERR(file)) {
		kfree(buf);
		return NULL;
	}
	n = kernel_read(file, buf, PAGE_SIZE - 1, &pos);
	fput(file);
	if (n < 0) {
		kfree(buf);
		return NULL;
	}
	return buf;
}

static enum mtest_force mtest_force_read(void)
{
	enum mtest_force f = mtest_force_default();
	unsigned int skip = 0;
	char *cmdline, *boot;

	/* Only kernels that have the option (CONFIG_PROC_MEM_*) parse it. */
	if (!(IS_ENABLED(CONFIG_PROC_MEM_ALWAYS_FORCE) ||
	      IS_ENABLED(CONFIG_PROC_MEM_FORCE_PTRACE) ||
	      IS_ENABLED(CONFIG_PROC_MEM_NO_FORCE)))
		return f;
	cmdline = mtest_proc_text("cmdline");
	if (!cmdline)
		return f;
	boot = mtest_proc_text("bootconfig");
	if (boot) {
		skip = mtest_bootconfig_args(boot);
		kfree(boot);
	}
	f = mtest_force_parse(cmdline, skip, f);
	kfree(cmdline);
	return f;
}

/*
 * The kernel thread that judges commands written outside the opener's
 * process image (mtest_judge()). While it runs, its task lock has a
 * lockdep class of its own: when Yama refuses a kernel thread, some
 * kernels' report takes the agent's task lock (get_task_comm()) under the
 * target's, two locks of one class to lockdep. It gives the class back
 * before it exits, so that no lock outlives the module's key.
 */
#ifdef CONFIG_DEBUG_LOCK_ALLOC
static struct lock_class_key mtest_judge_lock_key;

static int mtest_judge_thread(void *worker)
{
	struct lock_class_key *key = current->alloc_lock.dep_map.key;
	const char *name = current->alloc_lock.dep_map.name;
	int ret;

	lockdep_set_class(&current->alloc_lock, &mtest_judge_lock_key);
	ret = kthread_worker_fn(worker);
	lockdep_set_class_and_name(&current->alloc_lock, key, name);
	return ret;
}
#else
static int mtest_judge_thread(void *worker)
{
	return kthread_worker_fn(worker);
}
#endif

static int mtest_judge_start(void)
{
	kthread_init_worker(&mtest_judge_worker);
	mtest_judge_task = kthread_run(mtest_judge_thread, &mtest_judge_worker,
				       "mtest_judge");
	return PTR_ERR_OR_ZERO(mtest_judge_task);
}

static void mtest_judge_stop(void)
{
	kthread_flush_worker(&mtest_judge_worker);
	kthread_stop(mtest_judge_task);
}

/**
 * mtest_target_init() - mount mtest's procfs instance, start the judge
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
	int err;

	if (!proc)
		return -ENODEV;
	mtest_proc_mnt = kern_mount(proc);
	if (IS_ERR(mtest_proc_mnt))
		return PTR_ERR(mtest_proc_mnt);
	err = mtest_judge_start();
	if (err) {
		kern_unmount(mtest_proc_mnt);
		return err;
	}
	mtest_proc_ns = get_pid_ns(task_active_pid_ns(current));
	mtest_force = mtest_force_read();
	return 0;
}

void mtest_target_exit(void)
{
	mtest_judge_stop();
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

/* One open of TARGET/mem, in mtest's kernel thread: see mtest_judge(). */
struct mtest_judge_work {
	struct kthread_work work;
	const char *dir;
	const struct cred *cred;
	int flags;
	struct file *mem;
};

static void mtest_judge_fn(struct kthread_work *work)
{
	struct mtest_judge_work *j =
		container_of(work, struct mtest_judge_work, work);

	j->mem = mtest_proc_open(j->dir, "mem", j->flags, j->cred);
}

/*
 * The kernel's verdict on @pid for @cred: mem_open() under @cred, which
 * binds the mm it checked; 0 if that is @mm.
 *
 * Where the open runs matters: mm_access() and __ptrace_may_access() wave
 * through current's own mm and thread group before any credential is
 * looked at, and Yama's relational scope asks whether the target descends
 * from current. In the opener's own process image (@in_image) current
 * stands for the opener, as in /proc/PID/mem. Anywhere else (an inherited
 * or passed file, a setuid program, an opener that exec'd or exited),
 * current is not the opener and must not lend its relations: the open
 * runs in mtest's kernel thread, no process's relative and sharing no mm,
 * where only @cred is judged.
 */
static int mtest_judge(struct pid *pid, struct mm_struct *mm,
		       const struct cred *cred, int flags, bool in_image)
{
	struct mtest_judge_work j = { .cred = cred, .flags = flags };
	char dir[16];
	pid_t nr;
	int err = 0;

	nr = pid_nr_ns(pid, mtest_proc_ns);
	if (!nr)
		return -ESRCH;
	snprintf(dir, sizeof(dir), "%d", nr);
	j.dir = dir;
	if (in_image) {
		j.mem = mtest_proc_open(dir, "mem", flags, cred);
	} else {
		kthread_init_work(&j.work, mtest_judge_fn);
		kthread_queue_work(&mtest_judge_worker, &j.work);
		kthread_flush_work(&j.work);
	}
	if (IS_ERR(j.mem))
		return PTR_ERR(j.mem) == -ENOENT ? -ESRCH : PTR_ERR(j.mem);
	/* Exec'd since the check: the verdict was for another mm. */
	if (j.mem->private_data != mm)
		err = -EAGAIN;
	fput(j.mem);
	return err;
}

/*
 * The verdicts of one open file. A granted one holds for the mm it was
 * judged for, as an open /proc/PID/mem keeps the mm it bound: a target
 * that execs has a new mm and is judged again; one that exits takes its
 * mm (and its struct pid's number) with it. Refusals are not kept.
 */
struct mtest_verdict {
	struct pid *pid;
	struct mm_struct *mm;	/* mmgrab()bed: never another mm's address */
	bool in_image;		/* judged from the opener's process image */
	u8 modes;		/* MTEST_MODE_READ, MTEST_MODE_WRITE */
};

#define MTEST_MODE_READ		BIT(0)
#define MTEST_MODE_WRITE	BIT(1)
#define MTEST_VERDICTS		4

struct mtest_verdicts {
	struct mm_struct *opener_mm;
	const struct cred *cred;
	spinlock_t lock;	/* protects the slots below */
	struct mtest_verdict slot[MTEST_VERDICTS];
	unsigned int next;
};

/**
 * mtest_verdicts_new() - the verdict state of a newly opened file
 * @cred: the opener's credentials (file->f_cred, which outlives this)
 *
 * Records the opener's mm: a command written from it is judged there.
 *
 * Return: the state, or NULL without memory.
 */
struct mtest_verdicts *mtest_verdicts_new(const struct cred *cred)
{
	struct mtest_verdicts *v = kzalloc(sizeof(*v), GFP_KERNEL);

	if (!v)
		return NULL;
	spin_lock_init(&v->lock);
	v->cred = cred;
	v->opener_mm = current->mm;
	if (v->opener_mm)
		mmgrab(v->opener_mm);
	return v;
}

static void mtest_verdict_clear(struct mtest_verdict *e)
{
	if (e->pid) {
		put_pid(e->pid);
		mmdrop(e->mm);
	}
	memset(e, 0, sizeof(*e));
}

void mtest_verdicts_free(struct mtest_verdicts *v)
{
	unsigned int i;

	for (i = 0; i < MTEST_VERDICTS; i++)
		mtest_verdict_clear(&v->slot[i]);
	if (v->opener_mm)
		mmdrop(v->opener_mm);
	kfree(v);
}

static struct mtest_verdict *mtest_verdict_find(struct mtest_verdicts *v,
						struct pid *pid,
						struct mm_struct *mm,
						bool in_image)
{
	unsigned int i;

	for (i = 0; i < MTEST_VERDICTS; i++) {
		struct mtest_verdict *e = &v->slot[i];

		if (e->pid == pid && e->mm == mm && e->in_image == in_image)
			return e;
	}
	return NULL;
}

/* Records a grant; the entry it replaces is dropped outside the lock. */
static void mtest_verdict_grant(struct mtest_verdicts *v, struct pid *pid,
				struct mm_struct *mm, bool in_image, u8 mode)
{
	struct mtest_verdict *e, old = { 0 };

	spin_lock(&v->lock);
	e = mtest_verdict_find(v, pid, mm, in_image);
	if (!e) {
		e = &v->slot[v->next++ % MTEST_VERDICTS];
		old = *e;
		e->pid = get_pid(pid);
		mmgrab(mm);
		e->mm = mm;
		e->in_image = in_image;
		e->modes = 0;
	}
	e->modes |= mode;
	spin_unlock(&v->lock);
	mtest_verdict_clear(&old);
}

/* The cache holds @pid and @mm, so equal pointers are the same objects. */
static bool mtest_verdict_granted(struct mtest_verdicts *v, struct pid *pid,
				  struct mm_struct *mm, bool in_image, u8 mode)
{
	struct mtest_verdict *e;
	bool ok;

	spin_lock(&v->lock);
	e = mtest_verdict_find(v, pid, mm, in_image);
	ok = e && (e->modes & mode);
	spin_unlock(&v->lock);
	return ok;
}

/* Judges @task's @mm for the opener and records a grant; 0 if granted. */
static int mtest_verdict_judge(struct mtest_verdicts *v,
			       struct task_struct *task, struct mm_struct *mm,
			       bool in_image, bool write)
{
	struct pid *pid = get_task_pid(task, PIDTYPE_PID);
	int err;

	err = mtest_judge(pid, mm, v->cred, write ? O_RDWR : O_RDONLY,
			  in_image);
	if (!err)
		mtest_verdict_grant(v, pid, mm, in_image,
				    write ? MTEST_MODE_WRITE : MTEST_MODE_READ);
	put_pid(pid);
	return err;
}

/**
 * mtest_target_mm() - the mm of process @nr, if the opener may touch it
 * @v: the verdicts of the open file
 * @nr: a pid in the caller's pid namespace
 * @write: whether the command writes
 * @gup_flags: set to FOLL_FORCE where /proc/PID/mem would force, else 0
 *
 * A command for a target already granted takes no reference but the
 * mm's: the task is looked up and checked under RCU.
 *
 * Return: a referenced mm (release with mmput()), or ERR_PTR(-ESRCH) for
 * no such process or one without an mm, ERR_PTR(-EACCES) or
 * ERR_PTR(-EPERM) if the kernel refuses, ERR_PTR(-EAGAIN) if the target
 * exec'd while it was judged.
 */
struct mm_struct *mtest_target_mm(struct mtest_verdicts *v, int nr,
				  bool write, unsigned int *gup_flags)
{
	u8 mode = write ? MTEST_MODE_WRITE : MTEST_MODE_READ;
	bool in_image = v->opener_mm && current->mm == v->opener_mm;
	struct task_struct *task;
	struct mm_struct *mm;
	int err;

	rcu_read_lock();
	task = pid_task(find_vpid(nr), PIDTYPE_PID);
	mm = task ? get_task_mm(task) : NULL;
	if (!mm) {
		rcu_read_unlock();
		return ERR_PTR(-ESRCH);
	}
	if (mtest_verdict_granted(v, task_pid(task), mm, in_image, mode)) {
		*gup_flags = mtest_gup_force(task, mm);
		rcu_read_unlock();
		return mm;
	}
	get_task_struct(task);
	rcu_read_unlock();

	err = mtest_verdict_judge(v, task, mm, in_image, write);
	if (err) {
		mmput(mm);
		mm = ERR_PTR(err);
	} else {
		*gup_flags = mtest_gup_force(task, mm);
	}
	put_task_struct(task);
	return mm;
}
