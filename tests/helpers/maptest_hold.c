// SPDX-License-Identifier: GPL-2.0-only
/*
 * maptest_hold: map the whole /proc/maptest buffer, print "ready", wait for
 * SIGUSR1 (the guest suite unloads maptest meanwhile) and check that the
 * mapping still holds the same text. Exit 0 when it does.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include "mapbuf.h"
#include "memlab.h"
#include "procfs.h"

int main(void)
{
	long size = ml_mapbuf_size();
	const char *why;
	sigset_t set;
	char *p;
	int fd, sig;

	if (size <= 0) {
		fprintf(stderr, "maptest_hold: cannot read the buffer\n");
		return 1;
	}
	/* Block SIGUSR1 before saying ready, so it cannot be lost. */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	fd = open(MEMLAB_MAPTEST_PATH, O_RDONLY);
	if (fd < 0) {
		perror(MEMLAB_MAPTEST_PATH);
		return 1;
	}
	p = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	why = ml_mapbuf_check(p, size);
	if (why) {
		fprintf(stderr, "maptest_hold: before: %s\n", why);
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	if (sigwait(&set, &sig))
		return 1;
	why = ml_mapbuf_check(p, size);
	if (why) {
		fprintf(stderr, "maptest_hold: after: %s\n", why);
		return 1;
	}
	printf("maptest_hold: %ld pages still read right\n",
	       size / (long)procfs_page_size());
	munmap(p, size);
	return 0;
}
