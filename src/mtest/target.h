/* SPDX-License-Identifier: GPL-2.0-only */
/* mtest: the target process, judged by the kernel as /proc/PID/mem is. */
#ifndef _MTEST_TARGET_H
#define _MTEST_TARGET_H

#include <linux/types.h>

struct cred;
struct mm_struct;
struct mtest_verdicts;

int mtest_target_init(void);
void mtest_target_exit(void);
struct mtest_verdicts *mtest_verdicts_new(const struct cred *cred);
void mtest_verdicts_free(struct mtest_verdicts *v);
struct mm_struct *mtest_target_mm(struct mtest_verdicts *v, int nr,
				  bool write, unsigned int *gup_flags);

#endif /* _MTEST_TARGET_H */
