// SPDX-License-Identifier: GPL-2.0-only
/*
 * mtest: find the target process and take its mm, if the caller may.
 *
 * ptrace_may_access() and mm_access() are not exported to modules, so the
 * PTRACE_MODE_ATTACH_REALCREDS rule is implemented here. It mirrors
 * __ptrace_may_access() except for the LSM hook (security_ptrace_access_check
 * is not exported either): Yama and other LSMs are not consulted.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/err.h>
#include <linux/pid.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include "memlab_compat.h"
#include "target.h"

/* The caller's real ids equal every id of the target. */
static bool mtest_creds_match(const struct cred *cred,
			      const struct cred *tcred)
{
	return uid_eq(cred->uid, tcred->euid) &&
	       uid_eq(cred->uid, tcred->suid) &&
	       uid_eq(cred->uid, tcred->uid) &&
	       gid_eq(cred->gid, tcred->egid) &&
	       gid_eq(cred->gid, tcred->sgid) &&
	       gid_eq(cred->gid, tcred->gid);
}

static bool mtest_may_access(struct task_struct *task, struct mm_struct *mm)
{
	const struct cred *tcred;
	bool ok;

	if (same_thread_group(task, current))
		return true;

	rcu_read_lock();
	tcred = __task_cred(task);
	ok = mtest_creds_match(current_cred(), tcred) ||
	     ns_capable(tcred->user_ns, CAP_SYS_PTRACE);
	rcu_read_unlock();
	if (!ok)
		return false;

	/* A setuid or prctl(PR_SET_DUMPABLE, 0) target needs privilege. */
	return memlab_dumpable_for(task, mm);
}

/*
 * FOLL_FORCE (reading PROT_NONE and writing read-only mappings), where
 * /proc/PID/mem would use it: proc_mem_foll_force() with the kernel's
 * configured default (Debian's 7.x kernels force only for the target's
 * ptracer). The proc_mem.force_override= boot option is not visible to
 * modules.
 */
static unsigned int mtest_gup_force(struct task_struct *task,
				    struct mm_struct *mm)
{
	if (IS_ENABLED(CONFIG_PROC_MEM_NO_FORCE))
		return 0;
	if (IS_ENABLED(CONFIG_PROC_MEM_FORCE_PTRACE) &&
	    !(READ_ONCE(task->ptrace) && READ_ONCE(task->mm) == mm &&
	      READ_ONCE(task->parent) == current))
		return 0;
	return FOLL_FORCE;
}

/* Like mm_access(): the exec lock keeps the check and the mm in step. */
static struct mm_struct *mtest_mm_access(struct task_struct *task)
{
	struct mm_struct *mm;
	int err;

	err = down_read_killable(&task->signal->exec_update_lock);
	if (err)
		return ERR_PTR(err);

	mm = get_task_mm(task);
	if (!mm) {
		mm = ERR_PTR(-ESRCH);
	} else if (mm != current->mm && !mtest_may_access(task, mm)) {
		mmput(mm);
		mm = ERR_PTR(-EACCES);
	}
	up_read(&task->signal->exec_update_lock);
	return mm;
}

/**
 * mtest_target_mm() - the mm of process @nr, if the caller may touch it
 * @nr: a pid in the caller's pid namespace
 * @gup_flags: set to FOLL_FORCE where /proc/PID/mem would force, else 0
 *
 * Return: a referenced mm (release with mmput()), or ERR_PTR(-ESRCH) for
 * no such process or one without an mm, ERR_PTR(-EACCES) if the caller is
 * not allowed, ERR_PTR(-EINTR) on a fatal signal.
 */
struct mm_struct *mtest_target_mm(int nr, unsigned int *gup_flags)
{
	struct task_struct *task;
	struct mm_struct *mm;
	struct pid *pid;

	pid = find_get_pid(nr);
	task = get_pid_task(pid, PIDTYPE_PID);
	put_pid(pid);
	if (!task)
		return ERR_PTR(-ESRCH);

	mm = mtest_mm_access(task);
	if (!IS_ERR(mm))
		*gup_flags = mtest_gup_force(task, mm);
	put_task_struct(task);
	return mm;
}
