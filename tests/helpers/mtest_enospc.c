// SPDX-License-Identifier: GPL-2.0-only
/*
 * mtest_enospc MAX: with mtest loaded as max_results=MAX, MAX processes
 * that hold a result fill the table; one more process gets ENOSPC (and
 * no result), a holder can still replace its own result, and once a holder
 * is gone there is room again. Exit 0 when all of that holds.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client.h"
#include "target.h"

#define MTEST_ENOSPC_MAX	64

static unsigned char mtest_enospc_byte = 5;

/* A holder: one successful command, then it blocks (target_start). */
static int mtest_enospc_hold(void *arg)
{
	int fd = ml_mtest_open();

	(void)arg;
	if (fd < 0 || ml_mtest_cmd(fd, "r %d %lx", getpid(),
				(unsigned long)&mtest_enospc_byte))
		return 3;
	return 0;
}

static int mtest_enospc_fail(const char *what)
{
	fprintf(stderr, "mtest_enospc: %s\n", what);
	return 1;
}

int main(int argc, char **argv)
{
	struct target t[MTEST_ENOSPC_MAX];
	int max = argc > 1 ? atoi(argv[1]) : 0, fd, i, ret;
	char buf[16];

	if (max < 1 || max > MTEST_ENOSPC_MAX)
		return mtest_enospc_fail("usage: mtest_enospc MAX (1..64)");
	fd = ml_mtest_open();
	if (fd < 0)
		return mtest_enospc_fail("cannot open /proc/mtest");
	for (i = 0; i < max; i++)
		if (target_start(&t[i], mtest_enospc_hold, NULL))
			return mtest_enospc_fail("a holder could not get a result");
	ret = ml_mtest_cmd(fd, "r %d %lx", getpid(),
			(unsigned long)&mtest_enospc_byte);
	if (ret != -ENOSPC) {
		fprintf(stderr, "mtest_enospc: table full: got %s\n",
			strerror(-ret));
		return 1;
	}
	if (ml_mtest_result(fd, buf, sizeof(buf)) != 0)
		return mtest_enospc_fail("ENOSPC left a result behind");
	/* Errors that need no result still come first. */
	if (ml_mtest_cmd(fd, "x") != -EINVAL)
		return mtest_enospc_fail("EINVAL expected while full");
	target_kill(&t[0]);
	ret = ml_mtest_cmd(fd, "r %d %lx", getpid(),
			(unsigned long)&mtest_enospc_byte);
	if (ret) {
		fprintf(stderr, "mtest_enospc: after a holder exited: %s\n",
			strerror(-ret));
		return 1;
	}
	if (ml_mtest_result(fd, buf, sizeof(buf)) < 0 || strcmp(buf, "5\n"))
		return mtest_enospc_fail("wrong result after room was made");
	for (i = 1; i < max; i++)
		target_kill(&t[i]);
	printf("mtest_enospc: %d holders, ENOSPC, room again after one exited\n",
	       max);
	return 0;
}
