/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mtest command parsing. Pure: it touches no kernel state, so the unit test
 * builds the same file in user space.
 */
#ifndef _MTEST_PARSE_H
#define _MTEST_PARSE_H

#include <linux/types.h>
#include "memlab.h"

enum mtest_op {
	MTEST_READ	= 'r',
	MTEST_READ_RAW	= 'R',
	MTEST_WRITE	= 'w',
	MTEST_TRANSLATE	= 't',
};

struct mtest_cmd {
	enum mtest_op op;
	int pid;
	unsigned long addr;
	unsigned int len;		/* bytes to read or to write */
	__u8 bytes[MTEST_WRITE_MAX];	/* what "w" writes */
};

int mtest_parse(const char *buf, unsigned int count, struct mtest_cmd *cmd);

#endif /* _MTEST_PARSE_H */
