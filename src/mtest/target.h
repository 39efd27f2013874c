/* SPDX-License-Identifier: GPL-2.0-only */
/* mtest: the target process, judged by the kernel as /proc/PID/mem is. */
#ifndef _MTEST_TARGET_H
#define _MTEST_TARGET_H

#include <linux/types.h>

struct cred;
struct mm_struct;

int mtest_target_init(void);
void mtest_target_exit(void);
struct mm_struct *mtest_target_mm(int nr, const struct cred *cred,
				  bool write, unsigned int *gup_flags);

#endif /* _MTEST_TARGET_H */
