/* SPDX-License-Identifier: GPL-2.0-only */
/* mtest: the text of results ("r" bytes, "t" walks), in one place. */
#ifndef _MTEST_TEXT_H
#define _MTEST_TEXT_H

#include <linux/build_bug.h>
#include <linux/limits.h>
#include <linux/types.h>
#include "memlab.h"

struct mtest_walk;

/* Room a byte of "r" text needs: "255 ". */
#define MTEST_TEXT_BYTE_MAX	4
/* Longest "t" text (the uapi's MTEST_WALK_MAX): lines, then an escaped path. */
#define MTEST_TEXT_WALK_LINES	1024
#define MTEST_TEXT_WALK_MAX	(MTEST_TEXT_WALK_LINES + 4 * PATH_MAX)
static_assert(MTEST_TEXT_WALK_MAX == MTEST_WALK_MAX);

void mtest_text_init(void);
char *mtest_text_bytes(char *p, const u8 *src, unsigned int n);
int mtest_text_walk(const struct mtest_walk *w, char *buf, size_t size);

#endif /* _MTEST_TEXT_H */
