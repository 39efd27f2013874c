// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-process mtest results.
 *
 * A result belongs to the thread group that issued the command, so the
 * seed's "write, close, reopen, read" works, and two processes never see
 * each other's values. Entries are keyed by the struct pid of the thread
 * group (not its number, which can be reused) and freed by a periodic
 * sweep once that thread group is gone. A result is shown only to the
 * program that made it: an exec (of a setuid program, say) hides it, as
 * the kernel's /proc files compare self_exec_id. Each uid holds at most
 * max_results_per_uid entries, so that one user cannot take every slot,
 * and at most max_result_bytes_per_uid bytes of buffers, so that those
 * entries cannot pin 256 results of 1 MiB ("R") each; the memory is also
 * charged to the caller's memory cgroup.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/hashtable.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/pid.h>
#include <linux/cred.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include "result.h"

#define MTEST_SWEEP_DELAY	(2 * HZ)

/*
 * Here rather than in main.c: it may change at run time, and only the
 * buffer allocation reads it. 64 MiB lets 32 processes of one user hold
 * two 1 MiB "R" buffers each.
 */
static unsigned int max_result_bytes_per_uid = 64 << 20;
module_param(max_result_bytes_per_uid, uint, 0644);
MODULE_PARM_DESC(max_result_bytes_per_uid,
		 "most bytes of result buffers one uid holds; beyond, ENOBUFS (default 64 MiB)");

static DEFINE_HASHTABLE(mtest_results, 8);
static DEFINE_SPINLOCK(mtest_results_lock);	/* the table and the count */
static unsigned int mtest_results_count;
static unsigned int mtest_results_max;
static unsigned int mtest_results_max_per_uid;

static void mtest_sweep_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(mtest_sweep_work, mtest_sweep_fn);

static void mtest_result_release(struct kref *ref)
{
	struct mtest_result *res = container_of(ref, struct mtest_result, ref);

	put_pid(res->owner);
	kvfree(res->cur.data);
	kvfree(res->next.data);
	kfree(res);
}

void mtest_result_put(struct mtest_result *res)
{
	kref_put(&res->ref, mtest_result_release);
}

static bool mtest_result_orphaned(struct mtest_result *res)
{
	return !pid_has_task(res->owner, PIDTYPE_TGID);
}

/* Unhashes entries (all, or those whose process is gone); caller puts them. */
static void mtest_results_unhash(struct hlist_head *dead, bool all)
{
	struct mtest_result *res;
	struct hlist_node *tmp;
	int bkt;

	hash_for_each_safe(mtest_results, bkt, tmp, res, node) {
		if (!all && !mtest_result_orphaned(res))
			continue;
		hash_del(&res->node);
		hlist_add_head(&res->node, dead);
		mtest_results_count--;
	}
}

static void mtest_results_put_list(struct hlist_head *dead)
{
	struct mtest_result *res;
	struct hlist_node *tmp;

	hlist_for_each_entry_safe(res, tmp, dead, node)
		mtest_result_put(res);
}

static void mtest_sweep_fn(struct work_struct *work)
{
	HLIST_HEAD(dead);

	spin_lock(&mtest_results_lock);
	mtest_results_unhash(&dead, false);
	if (mtest_results_count)
		schedule_delayed_work(&mtest_sweep_work, MTEST_SWEEP_DELAY);
	spin_unlock(&mtest_results_lock);
	mtest_results_put_list(&dead);
}

static struct mtest_result *mtest_result_find(struct pid *owner)
{
	struct mtest_result *res;

	hash_for_each_possible(mtest_results, res, node, (unsigned long)owner)
		if (res->owner == owner)
			return res;
	return NULL;
}

static struct mtest_result *mtest_result_alloc(struct pid *owner)
{
	struct mtest_result *res = kzalloc(sizeof(*res), GFP_KERNEL_ACCOUNT);

	if (!res)
		return NULL;
	kref_init(&res->ref);
	mutex_init(&res->lock);
	res->owner = get_pid(owner);
	res->uid = current_uid();
	return res;
}

/* What one uid holds: entries, and bytes of their buffers. */
struct mtest_usage {
	unsigned int entries;
	size_t bytes;
};

/* The table lock is held. */
static struct mtest_usage mtest_usage_of(kuid_t uid)
{
	struct mtest_usage u = { 0 };
	struct mtest_result *res;
	int bkt;

	hash_for_each(mtest_results, bkt, res, node) {
		if (uid_eq(res->uid, uid)) {
			u.entries++;
			u.bytes += res->bytes;
		}
	}
	return u;
}

/* Room for one more entry of @uid; may free those of exited processes. */
static bool mtest_results_room(kuid_t uid, struct hlist_head *dead)
{
	if (mtest_results_count >= mtest_results_max ||
	    mtest_usage_of(uid).entries >= mtest_results_max_per_uid)
		mtest_results_unhash(dead, false);
	return mtest_results_count < mtest_results_max &&
	       mtest_usage_of(uid).entries < mtest_results_max_per_uid;
}

/* Adds @res, or returns the entry another thread added first. */
static struct mtest_result *mtest_result_insert(struct mtest_result *res)
{
	struct mtest_result *old;
	HLIST_HEAD(dead);

	spin_lock(&mtest_results_lock);
	old = mtest_result_find(res->owner);
	if (old) {
		kref_get(&old->ref);
		spin_unlock(&mtest_results_lock);
		mtest_result_put(res);
		return old;
	}
	if (!mtest_results_room(res->uid, &dead)) {
		spin_unlock(&mtest_results_lock);
		mtest_results_put_list(&dead);
		mtest_result_put(res);
		return ERR_PTR(-ENOSPC);
	}
	hash_add(mtest_results, &res->node, (unsigned long)res->owner);
	kref_get(&res->ref);		/* the table's reference */
	if (!mtest_results_count++)
		schedule_delayed_work(&mtest_sweep_work, MTEST_SWEEP_DELAY);
	spin_unlock(&mtest_results_lock);
	mtest_results_put_list(&dead);
	return res;
}

/**
 * mtest_result_get() - the calling thread group's result entry
 * @create: make one if there is none
 *
 * Return: a referenced entry; NULL if there is none and @create is false;
 * ERR_PTR(-ENOMEM) or ERR_PTR(-ENOSPC) if one cannot be made.
 */
struct mtest_result *mtest_result_get(bool create)
{
	struct pid *owner = task_tgid(current);
	struct mtest_result *res;

	spin_lock(&mtest_results_lock);
	res = mtest_result_find(owner);
	if (res)
		kref_get(&res->ref);
	spin_unlock(&mtest_results_lock);
	if (res || !create)
		return res;

	res = mtest_result_alloc(owner);
	if (!res)
		return ERR_PTR(-ENOMEM);
	return mtest_result_insert(res);
}

/*
 * Counts @size more bytes for @res if its uid stays within
 * max_result_bytes_per_uid, freeing the entries of exited processes first
 * if need be.
 */
static int mtest_result_charge(struct mtest_result *res, size_t size)
{
	size_t limit = READ_ONCE(max_result_bytes_per_uid);
	HLIST_HEAD(dead);
	bool room;

	spin_lock(&mtest_results_lock);
	room = mtest_usage_of(res->uid).bytes + size <= limit;
	if (!room) {
		mtest_results_unhash(&dead, false);
		room = mtest_usage_of(res->uid).bytes + size <= limit;
	}
	if (room)
		res->bytes += size;
	spin_unlock(&mtest_results_lock);
	mtest_results_put_list(&dead);
	return room ? 0 : -ENOBUFS;
}

static void mtest_result_uncharge(struct mtest_result *res, size_t size)
{
	spin_lock(&mtest_results_lock);
	res->bytes -= size;
	spin_unlock(&mtest_results_lock);
}

/* Replaces the spare buffer, whose contents do not matter, by a larger one. */
static int mtest_result_grow(struct mtest_result *res, size_t size)
{
	struct mtest_text *next = &res->next;
	int err;

	kvfree(next->data);
	next->data = NULL;
	mtest_result_uncharge(res, next->cap);
	next->cap = 0;
	err = mtest_result_charge(res, size);
	if (err)
		return err;
	next->data = kvmalloc(size, GFP_KERNEL_ACCOUNT);
	if (!next->data) {
		mtest_result_uncharge(res, size);
		return -ENOMEM;
	}
	next->cap = size;
	return 0;
}

/**
 * mtest_result_prepare() - start a new result with room for @size bytes
 * @res: the entry, locked by the caller
 * @size: bytes needed, at least 1
 *
 * Return: the new result's buffer, ERR_PTR(-ENOMEM), or ERR_PTR(-ENOBUFS)
 * when the caller's uid would hold more than max_result_bytes_per_uid.
 */
char *mtest_result_prepare(struct mtest_result *res, size_t size)
{
	struct mtest_text *next = &res->next;
	int err;

	if (next->cap < size) {
		err = mtest_result_grow(res, size);
		if (err)
			return ERR_PTR(err);
	}
	next->len = 0;
	next->exec_id = current->self_exec_id;
	return next->data;
}

/* Appends @n bytes ("R"); the caller prepared room for all. */
void mtest_result_append(void *ctx, const u8 *src, unsigned int n)
{
	struct mtest_text *next = &((struct mtest_result *)ctx)->next;

	memcpy(next->data + next->len, src, n);
	next->len += n;
}

/* The length of what the caller wrote into the prepared buffer. */
void mtest_result_set_len(struct mtest_result *res, size_t len)
{
	res->next.len = len;
}

/* The new text becomes the result; the old buffer is kept for reuse. */
void mtest_result_commit(struct mtest_result *res)
{
	swap(res->cur, res->next);
}

/* A command that has no text to show ("w"). */
void mtest_result_clear(struct mtest_result *res)
{
	res->cur.len = 0;
}

/* What the calling program may read: nothing made before its exec. */
size_t mtest_result_len(const struct mtest_result *res)
{
	if (res->cur.exec_id != current->self_exec_id)
		return 0;
	return res->cur.len;
}

int mtest_results_init(unsigned int max, unsigned int max_per_uid)
{
	if (!max || !max_per_uid)
		return -EINVAL;
	mtest_results_max = max;
	mtest_results_max_per_uid = max_per_uid;
	return 0;
}

/* Called once nothing can issue commands any more. */
void mtest_results_exit(void)
{
	HLIST_HEAD(dead);

	cancel_delayed_work_sync(&mtest_sweep_work);
	spin_lock(&mtest_results_lock);
	mtest_results_unhash(&dead, true);
	spin_unlock(&mtest_results_lock);
	mtest_results_put_list(&dead);
}
