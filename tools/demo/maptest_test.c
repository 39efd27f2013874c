// SPDX-License-Identifier: GPL-2.0-only
/*
 * maptest_test: the lab's demonstration of /proc/maptest. Map the first
 * page of the kernel buffer read-only and print its text. Exits non-zero
 * if the banner is missing.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include "memlab.h"

#define MAPTEST_TEST_LEN	4096

int main(void)
{
	char *p;
	int fd;

	fd = open(MEMLAB_MAPTEST_PATH, O_RDONLY);
	if (fd < 0) {
		perror(MEMLAB_MAPTEST_PATH);
		return 1;
	}
	p = mmap(NULL, MAPTEST_TEST_LEN, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	/* The buffer is NUL-terminated only at its very end: bound the print. */
	fwrite(p, 1, strnlen(p, MAPTEST_TEST_LEN), stdout);
	if (strncmp(p, MAPTEST_BANNER "\n", strlen(MAPTEST_BANNER) + 1)) {
		fprintf(stderr, "maptest_test: FAIL: banner missing\n");
		munmap(p, MAPTEST_TEST_LEN);
		return 1;
	}
	munmap(p, MAPTEST_TEST_LEN);
	return 0;
}
