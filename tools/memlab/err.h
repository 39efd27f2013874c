/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * memlab: exit codes, and messages a student understands, each with its
 * fix. The bottom layer: it includes no other memlab header.
 */
#ifndef MEMLAB_ERR_H
#define MEMLAB_ERR_H

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

#ifndef __printf
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#endif

/* The exit codes, as memlab(1) documents them. */
enum ml_exit {
	ML_EXIT_OK	= 0,	/* done */
	ML_EXIT_FAIL	= 1,	/* anything else: I/O error, bad result */
	ML_EXIT_USAGE	= 2,	/* bad command line, unknown region */
	ML_EXIT_MODULE	= 3,	/* mtest or maptest not loaded */
	ML_EXIT_PERM	= 4,	/* no access: /proc/mtest or the ptrace rule */
	ML_EXIT_NOPROC	= 5,	/* no such process, or an ambiguous name */
	ML_EXIT_FAULT	= 6,	/* the address is not mapped */
};

__printf(1, 2) void ml_error(const char *fmt, ...);
__printf(1, 2) void ml_fix(const char *fmt, ...);
__printf(1, 2) void ml_note(const char *fmt, ...);

int ml_usage_error(const char *cmd, const char *what);

#endif /* MEMLAB_ERR_H */
