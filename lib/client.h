/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libmemlab: the /proc/mtest client. Commands and results as the
 * /proc/mtest contract has them; functions return 0 (or a count, or a
 * descriptor) or -errno. The one client: memlab, memlab-selftest and the
 * tests use it.
 */
#ifndef MEMLAB_CLIENT_H
#define MEMLAB_CLIENT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "memlab.h"

#ifndef __printf
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#endif

/* Room for the longest "r" result and its NUL. */
#define ML_RESULT_BUF	(MTEST_RESULT_MAX + 1)
/* Room for any "t" result: a few hundred bytes today, more keys later. */
#define ML_WALK_BUF	(MTEST_WALK_MAX + 1)

int ml_mtest_open(void);
int ml_mtest_send(int fd, const void *buf, size_t len);
__printf(2, 3) int ml_mtest_cmd(int fd, const char *fmt, ...);
ssize_t ml_mtest_result(int fd, char *buf, size_t size);
int ml_parse_r_result(const char *text, unsigned char *out, size_t len);
/* One command each: "r", "R", "w". */
int ml_mtest_read_text(int fd, pid_t pid, uint64_t addr, void *out,
		       size_t len);
int ml_mtest_read_raw(int fd, pid_t pid, uint64_t addr, void *out,
		      size_t len);
int ml_mtest_write_one(int fd, pid_t pid, uint64_t addr, const void *data,
		       size_t len);
/* Any length, in as many commands as it takes. */
ssize_t ml_mtest_read(int fd, pid_t pid, uint64_t addr, void *out,
		      size_t len, int *err);
ssize_t ml_mtest_write(int fd, pid_t pid, uint64_t addr, const void *data,
		       size_t len, int *err);
int ml_mtest_translate(int fd, pid_t pid, uint64_t addr, char *buf,
		       size_t size);

#endif /* MEMLAB_CLIENT_H */
