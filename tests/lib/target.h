/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * memlab test library: a forked target process that sets itself up, says
 * it is ready and then blocks until released.
 */
#ifndef MEMLAB_TEST_TARGET_H
#define MEMLAB_TEST_TARGET_H

#include <sys/types.h>

struct target {
	pid_t pid;
	int go;		/* write end of the pipe the target blocks on */
};

/* Runs in the child before it reports ready; non-zero is its exit code. */
typedef int (*target_fn)(void *arg);

int target_start(struct target *t, target_fn fn, void *arg);
void target_release(struct target *t);
int target_reap(struct target *t);
void target_kill(struct target *t);

#endif /* MEMLAB_TEST_TARGET_H */
