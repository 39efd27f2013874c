/* SPDX-License-Identifier: GPL-2.0-only */
/* mtest: the target process, found and checked as ptrace would. */
#ifndef _MTEST_TARGET_H
#define _MTEST_TARGET_H

struct mm_struct;

struct mm_struct *mtest_target_mm(int nr, unsigned int *gup_flags);

#endif /* _MTEST_TARGET_H */
