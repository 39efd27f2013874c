/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * memlab: why an open or a command on /proc/mtest failed, found out from
 * /proc and told in words (err.h); each returns the exit code.
 */
#ifndef MEMLAB_DIAG_H
#define MEMLAB_DIAG_H

#include <stdint.h>
#include <sys/types.h>

int ml_open_error(const char *path, int err, const char *module);
int ml_access_error(int err, pid_t pid, uint64_t addr, const char *what);

#endif /* MEMLAB_DIAG_H */
