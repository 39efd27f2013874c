// SPDX-License-Identifier: GPL-2.0-only
/*
 * mtest_quota PER_UID: with mtest loaded as max_results_per_uid=PER_UID
 * (and a larger max_results), PER_UID processes of one unprivileged uid
 * hold results; one more process of that uid gets ENOSPC, and a process
 * of another uid (this one, root) still gets a result. Exit 0 when all of
 * that holds.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "client.h"
#include "priv.h"
#include "target.h"

#define MTEST_QUOTA_MAX	32

static unsigned char mtest_quota_byte = 6;

/* As nobody: one command; its outcome is the target's exit code. */
static int mtest_quota_try(void)
{
	int fd, ret;

	if (priv_drop(PRIV_NOBODY, PRIV_NOBODY))
		return 100;
	fd = ml_mtest_open();
	if (fd < 0)
		return 101;
	ret = ml_mtest_cmd(fd, "r %d %lx", getpid(),
			(unsigned long)&mtest_quota_byte);
	return -ret;
}

static int mtest_quota_hold(void *arg)
{
	(void)arg;
	return mtest_quota_try();
}

int main(int argc, char **argv)
{
	struct target t[MTEST_QUOTA_MAX];
	int n = argc > 1 ? atoi(argv[1]) : 0, fd, i, ret, status;
	pid_t pid;

	if (n < 1 || n > MTEST_QUOTA_MAX || !priv_root()) {
		fprintf(stderr, "usage (as root): mtest_quota PER_UID (1..32)\n");
		return 2;
	}
	for (i = 0; i < n; i++)
		if (target_start(&t[i], mtest_quota_hold, NULL)) {
			fprintf(stderr, "mtest_quota: holder %d got no result\n", i);
			return 1;
		}
	pid = fork();
	if (pid < 0)
		return 1;
	if (!pid)
		_exit(mtest_quota_try());
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != ENOSPC) {
		fprintf(stderr, "mtest_quota: uid %d over its quota: exit %d, want ENOSPC\n",
			PRIV_NOBODY, WEXITSTATUS(status));
		return 1;
	}
	fd = ml_mtest_open();
	ret = fd < 0 ? fd : ml_mtest_cmd(fd, "r %d %lx", getpid(),
				      (unsigned long)&mtest_quota_byte);
	if (ret) {
		fprintf(stderr, "mtest_quota: root, another uid: %s\n",
			strerror(-ret));
		return 1;
	}
	for (i = 0; i < n; i++)
		target_kill(&t[i]);
	printf("mtest_quota: %d results of uid %d, ENOSPC for one more, root still served\n",
	       n, PRIV_NOBODY);
	return 0;
}
