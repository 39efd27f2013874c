/* SPDX-License-Identifier: GPL-2.0-only */
/* mtest: the text of results ("r" bytes, "t" walks), in one place. */
#ifndef _MTEST_TEXT_H
#define _MTEST_TEXT_H

#include <linux/limits.h>
#include <linux/types.h>

struct mtest_walk;

/* Room a byte of "r" text needs: "255 ". */
#define MTEST_TEXT_BYTE_MAX	4
/*
 * Longest "t" text: its lines but for the file's path take under
 * MTEST_TEXT_WALK_LINES bytes, and each byte of a path (at most PATH_MAX,
 * with its NUL) takes at most four once escaped.
 */
#define MTEST_TEXT_WALK_LINES	1024
#define MTEST_TEXT_WALK_MAX	(MTEST_TEXT_WALK_LINES + 4 * PATH_MAX)

void mtest_text_init(void);
char *mtest_text_bytes(char *p, const u8 *src, unsigned int n);
int mtest_text_walk(const struct mtest_walk *w, bool show_pfn, char *buf,
		    size_t size);

#endif /* _MTEST_TEXT_H */
