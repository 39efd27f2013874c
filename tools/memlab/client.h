/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * memlab: the /proc/mtest client. Commands and results as README.md's
 * contract has them; functions return 0 (or a count) or -errno. The one
 * client: memlab uses it, and so do the tests (tests/lib/mtest.c).
 */
#ifndef MEMLAB_CLIENT_H
#define MEMLAB_CLIENT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "memlab.h"

/* Room for the longest "r" result and its NUL. */
#define ML_RESULT_BUF	(MTEST_RESULT_MAX + 1)
/* Room for any "t" result: a few hundred bytes today, more keys later. */
#define ML_WALK_BUF	(MTEST_WALK_MAX + 1)

int ml_mtest_open(int *fd);
int ml_mtest_send(int fd, const void *buf, size_t len);
int ml_mtest_cmd(int fd, const char *cmd);
ssize_t ml_mtest_result(int fd, char *buf, size_t size);
int ml_parse_r_result(const char *text, unsigned char *out, size_t len);
/* One command each: "r", "R", "w". */
int ml_mtest_read_text(int fd, pid_t pid, uint64_t addr, unsigned char *out,
		       size_t len);
int ml_mtest_read_raw(int fd, pid_t pid, uint64_t addr, unsigned char *out,
		      size_t len);
int ml_mtest_write_one(int fd, pid_t pid, uint64_t addr,
		       const unsigned char *data, size_t len);
/* Any length, in as many commands as it takes. */
ssize_t ml_mtest_read(int fd, pid_t pid, uint64_t addr, unsigned char *out,
		      size_t len, int *err);
ssize_t ml_mtest_write(int fd, pid_t pid, uint64_t addr,
		       const unsigned char *data, size_t len, int *err);
int ml_mtest_translate(int fd, pid_t pid, uint64_t addr, char *buf,
		       size_t size);

#endif /* MEMLAB_CLIENT_H */
