// SPDX-License-Identifier: GPL-2.0-only
/*
 * maptest_map [PAGES]: map the whole /proc/maptest buffer and check it
 * (banner, every page's marker, the final NUL). With PAGES, the buffer must
 * be that many pages. Exit 0 when all is right.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include "mapbuf.h"
#include "memlab.h"
#include "procfs.h"

int main(int argc, char **argv)
{
	long size = ml_mapbuf_size(), want;
	const char *why;
	char *p;
	int fd;

	if (size < 0) {
		fprintf(stderr, "maptest_map: read: %s\n", strerror(-size));
		return 1;
	}
	want = argc > 1 ? atol(argv[1]) * (long)procfs_page_size() : size;
	if (size != want) {
		fprintf(stderr, "maptest_map: buffer is %ld bytes, want %ld\n",
			size, want);
		return 1;
	}
	fd = open(MEMLAB_MAPTEST_PATH, O_RDONLY);
	if (fd < 0) {
		perror(MEMLAB_MAPTEST_PATH);
		return 1;
	}
	p = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	close(fd);
	why = ml_mapbuf_check(p, size);
	if (why) {
		fprintf(stderr, "maptest_map: %s\n", why);
		return 1;
	}
	printf("maptest_map: %ld pages mapped and checked\n",
	       size / (long)procfs_page_size());
	return 0;
}
