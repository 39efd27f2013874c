/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mtest: the text of results ("r" bytes, "t" walks), in one place, final
 * newline included.
 */
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

/* The "r" text being written: from @start, up to @end so far. */
struct mtest_text_out {
	char *start;
	char *end;
};

void mtest_text_init(void);
void mtest_text_bytes(void *ctx, const u8 *src, unsigned int n);
size_t mtest_text_bytes_finish(struct mtest_text_out *out);
int mtest_text_walk(const struct mtest_walk *w, char *buf, size_t size);

#endif /* _MTEST_TEXT_H */
