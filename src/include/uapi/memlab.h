/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * memlab: the contract of /proc/mtest and /proc/maptest, shared by the
 * modules and their user-space tools.
 */
#ifndef _UAPI_MEMLAB_H
#define _UAPI_MEMLAB_H

#define MEMLAB_MTEST_PATH	"/proc/mtest"
#define MEMLAB_MAPTEST_PATH	"/proc/maptest"

/* Longest command accepted by one write(); longer ones fail with EINVAL. */
#define MTEST_CMD_MAX		256
/* Most bytes one "r" command reads. */
#define MTEST_READ_MAX		4096
/* Most bytes one "w" command writes. */
#define MTEST_WRITE_MAX		64
/* Longest "r" result: "255 " for every byte, the last space a newline. */
#define MTEST_RESULT_MAX	(4 * MTEST_READ_MAX)
/*
 * Longest "t" result: its lines but for a file's path take under 1024
 * bytes, and each byte of the path (at most 4096, PATH_MAX, with its NUL)
 * takes at most four once escaped.
 */
#define MTEST_WALK_MAX		(1024 + 4 * 4096)
/* Most bytes one "R" command reads; its result is the bytes themselves. */
#define MTEST_RAW_MAX		(1024 * 1024)

/*
 * arm64: the attributes of a leaf entry that "t" shows as keys of their
 * own, in the order it shows them: an array initializer of one X(key,
 * bit, word) per attribute, with the "t" key, its bit in a page or block
 * descriptor (as in the kernel's asm/pgtable-hwdef.h), and the word
 * memlab's walk picture prints for it.
 */
#define MEMLAB_ARM64_LEAF_BITS(X) {			\
	X("valid",	0,	"valid")		\
	X("af",		10,	"accessed")		\
	X("ng",		11,	"not-global")		\
	X("ap_user",	6,	"user")			\
	X("ap_rdonly",	7,	"read-only")		\
	X("dbm",	51,	"dbm")			\
	X("uxn",	54,	"no-exec")		\
	X("pxn",	53,	"no-exec-kernel")	\
	X("cont",	52,	"contiguous")		\
}

/* First line of the maptest buffer. */
#define MAPTEST_BANNER		"memlab maptest: this text was written by the kernel"
/* Largest buffer the "pages" parameter allows. */
#define MAPTEST_PAGES_MAX	1024

#endif /* _UAPI_MEMLAB_H */
