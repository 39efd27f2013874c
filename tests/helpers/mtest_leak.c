// SPDX-License-Identifier: GPL-2.0-only
/*
 * mtest_leak [N]: N commands (default 100000) of every kind, successful and
 * failing, against a forked target that then exits, from this process and
 * from short-lived children. The guest suite compares /proc/meminfo before
 * and after (with the module unloaded) to catch leaks. Exit 0 when every
 * command gave the expected outcome.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "client.h"
#include "target.h"

static unsigned char mtest_leak_buf[4096];

/* One round of commands; returns the number of unexpected outcomes. */
static int mtest_leak_round(int fd, pid_t pid, long i)
{
	unsigned long a = (unsigned long)mtest_leak_buf;
	unsigned char out[8];
	int bad = 0;

	switch (i % 8) {
	case 0:
		bad += ml_mtest_read_text(fd, pid, a + i % 4000, out, 8) != 0;
		break;
	case 1:
		bad += ml_mtest_cmd(fd, "w %d %lx 1 2 3", pid, a + i % 4000) != 0;
		break;
	case 2:
		bad += ml_mtest_cmd(fd, "t %d %lx", pid, a) != 0;
		break;
	case 3:
		bad += ml_mtest_cmd(fd, "r %d %lx 4096", pid, a) != 0;
		break;
	case 4:
		bad += ml_mtest_cmd(fd, "r %d 0 8", pid) != -EFAULT;
		break;
	case 5:
		bad += ml_mtest_cmd(fd, "bogus %d", pid) != -EINVAL;
		break;
	case 6:
		bad += ml_mtest_cmd(fd, "r 4194304 %lx", a) != -ESRCH;
		break;
	default:
		bad += ml_mtest_cmd(fd, "t %d %lx", getpid(), a) != 0;
		break;
	}
	return bad;
}

/* A child that leaves a result behind and exits: the module must free it. */
static int mtest_leak_child(pid_t target)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return 1;
	if (!pid) {
		int fd = ml_mtest_open();

		_exit(fd < 0 || ml_mtest_cmd(fd, "r %d %lx 64", target,
					  (unsigned long)mtest_leak_buf));
	}
	if (waitpid(pid, &status, 0) != pid)
		return 1;
	return !WIFEXITED(status) || WEXITSTATUS(status);
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 100000, i, bad = 0;
	struct target t;
	int fd, status;
	pid_t gone;

	fd = ml_mtest_open();
	if (fd < 0) {
		fprintf(stderr, "mtest_leak: open: %s\n", strerror(-fd));
		return 1;
	}
	if (target_start(&t, NULL, NULL)) {
		fprintf(stderr, "mtest_leak: no target\n");
		return 1;
	}
	for (i = 0; i < n; i++) {
		if (i % 1000 == 999)
			bad += mtest_leak_child(t.pid);
		else
			bad += mtest_leak_round(fd, t.pid, i);
	}
	gone = t.pid;
	target_release(&t);
	status = target_reap(&t);
	if (ml_mtest_cmd(fd, "r %d %lx", gone, (unsigned long)mtest_leak_buf) !=
	    -ESRCH)
		bad++;
	close(fd);
	printf("mtest_leak: %ld commands, %ld unexpected outcomes, target status %d\n",
	       n, bad, status);
	return bad || status;
}
