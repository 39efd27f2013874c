// SPDX-License-Identifier: GPL-2.0-only
/*
 * mtest_test: the lab's demonstration of /proc/mtest, done the seed's way.
 * Read one byte of our own memory with "r", change it with "w" and show
 * that it changed. Exits non-zero if anything goes wrong.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "memlab.h"

/* Global, so every library call may have changed it: no volatile needed. */
static unsigned char mtest_test_byte = 42;

/* One command per open, as the seed does it: fprintf, then close. */
static int mtest_test_send(const char *cmd)
{
	FILE *f = fopen(MEMLAB_MTEST_PATH, "w");

	if (!f) {
		perror(MEMLAB_MTEST_PATH);
		return -1;
	}
	fputs(cmd, f);
	if (fclose(f)) {
		fprintf(stderr, "mtest_test: \"%s\": %s\n", cmd, strerror(errno));
		return -1;
	}
	return 0;
}

/* Reopen and fscanf the result of the last "r". */
static int mtest_test_result(int *val)
{
	FILE *f = fopen(MEMLAB_MTEST_PATH, "r");
	int ok;

	if (!f) {
		perror(MEMLAB_MTEST_PATH);
		return -1;
	}
	ok = fscanf(f, "%d", val) == 1;
	fclose(f);
	if (!ok) {
		fprintf(stderr, "mtest_test: no number in the result\n");
		return -1;
	}
	return 0;
}

static int mtest_test_read(unsigned long addr, int *val)
{
	char cmd[64];

	snprintf(cmd, sizeof(cmd), "r %d %lx\n", getpid(), addr);
	if (mtest_test_send(cmd))
		return -1;
	return mtest_test_result(val);
}

int main(void)
{
	unsigned long addr = (unsigned long)&mtest_test_byte;
	int before, after, want = 137;
	char cmd[64];

	printf("mtest_test: pid %d, byte at 0x%lx\n", getpid(), addr);
	if (mtest_test_read(addr, &before))
		return 1;
	printf("mtest_test: r read %d (the variable holds %d)\n", before,
	       mtest_test_byte);
	if (before != mtest_test_byte)
		return 1;

	snprintf(cmd, sizeof(cmd), "w %d %lx %d\n", getpid(), addr, want);
	if (mtest_test_send(cmd))
		return 1;
	if (mtest_test_read(addr, &after))
		return 1;
	printf("mtest_test: after w %d: r reads %d, the variable holds %d\n",
	       want, after, mtest_test_byte);
	if (after != want || mtest_test_byte != want) {
		printf("mtest_test: FAIL: the byte did not change\n");
		return 1;
	}
	printf("mtest_test: PASS: %d -> %d\n", before, after);
	return 0;
}
