// SPDX-License-Identifier: GPL-2.0-only
/*
 * mtest_churn N: N short-lived processes each leave a 4096-byte result
 * (16 KiB of text buffers) and exit. Only mtest's sweep frees them while
 * the module stays loaded: the guest suite measures Slab a few seconds
 * later. Exit 0 when every command succeeded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>

#include "client.h"

static unsigned char mtest_churn_buf[4096];

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 0, i, status, bad = 0;
	pid_t pid;

	if (n < 1) {
		fprintf(stderr, "usage: mtest_churn N\n");
		return 2;
	}
	for (i = 0; i < n; i++) {
		pid = fork();
		if (pid < 0)
			return 1;
		if (!pid) {
			int fd = ml_mtest_open();

			_exit(fd < 0 || ml_mtest_cmd(fd, "r %d %lx 4096", getpid(),
						  (unsigned long)mtest_churn_buf));
		}
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
		    WEXITSTATUS(status))
			bad++;
	}
	printf("mtest_churn: %d processes left a result and exited, %d failed\n",
	       n, bad);
	return bad ? 1 : 0;
}
