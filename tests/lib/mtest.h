/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * memlab test library: commands and results of /proc/mtest.
 * Every function returns 0 (or a length) on success and -errno on failure.
 */
#ifndef MEMLAB_TEST_MTEST_H
#define MEMLAB_TEST_MTEST_H

#include <stddef.h>
#include <sys/types.h>

#include "memlab.h"

#ifndef __printf
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#endif

/* Room for the longest result plus a terminating NUL. */
#define MTEST_RESULT_BUF	(MTEST_RESULT_MAX + 1)

int mtest_open(void);
int mtest_raw(int fd, const void *buf, size_t len);
__printf(2, 3) int mtest_cmd(int fd, const char *fmt, ...);
ssize_t mtest_result(int fd, char *buf, size_t size);
int mtest_parse_bytes(const char *text, unsigned char *out, size_t len);
int mtest_read(int fd, pid_t pid, unsigned long addr, void *out, size_t len);
int mtest_write(int fd, pid_t pid, unsigned long addr, const void *data,
		size_t len);

#endif /* MEMLAB_TEST_MTEST_H */
