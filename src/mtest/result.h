/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Per-process mtest results: each thread group that issues commands owns
 * one result buffer, replaced by its next successful command. It stores
 * bytes; text.c makes the text of "r" and "t" that goes into it.
 */
#ifndef _MTEST_RESULT_H
#define _MTEST_RESULT_H

#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/uidgid.h>

struct pid;

struct mtest_text {
	char *data;
	size_t len;
	size_t cap;
	u64 exec_id;	/* self_exec_id of the program that made it */
};

/*
 * A command builds its text in @next; only success makes it @cur, so a
 * failed command leaves the previous result readable.
 */
struct mtest_result {
	struct hlist_node node;
	struct kref ref;
	struct pid *owner;	/* thread group; holds a reference */
	kuid_t uid;		/* its real uid, for the per-uid quota */
	size_t bytes;		/* cur.cap + next.cap; mtest_results_lock */
	struct mutex lock;	/* one command or read at a time */
	struct mtest_text cur;
	struct mtest_text next;
};

int mtest_results_init(unsigned int max, unsigned int max_per_uid);
void mtest_results_exit(void);

struct mtest_result *mtest_result_get(bool create);
void mtest_result_put(struct mtest_result *res);

char *mtest_result_prepare(struct mtest_result *res, size_t size);
void mtest_result_append(void *res, const u8 *src, unsigned int n);
void mtest_result_set_len(struct mtest_result *res, size_t len);
void mtest_result_commit(struct mtest_result *res);
void mtest_result_clear(struct mtest_result *res);
size_t mtest_result_len(const struct mtest_result *res);

#endif /* _MTEST_RESULT_H */
