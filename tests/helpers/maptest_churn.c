// SPDX-License-Identifier: GPL-2.0-only
/*
 * maptest_churn SECONDS: map /proc/maptest, mremap the mapping (growing
 * must fail, shrinking works), fork a child that reads it, and unmap, in a
 * loop, while the guest script unloads and reloads maptest. Opening fails
 * while the module is gone; a mapping made before must keep reading the
 * banner. Exit 0 unless a mapping read something else.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "client.h"
#include "procfs.h"

#define PSZ	procfs_page_size()

int main(int argc, char **argv)
{
	time_t end = time(NULL) + (argc > 1 ? atoi(argv[1]) : 5);
	long maps = 0, opens_failed = 0, bad = 0;
	char *p, *q;
	pid_t pid;
	int fd, status;

	while (time(NULL) < end) {
		fd = open(MEMLAB_MAPTEST_PATH, O_RDONLY);
		if (fd < 0) {
			opens_failed++;
			continue;
		}
		p = mmap(NULL, PSZ, PROT_READ, MAP_PRIVATE, fd, 0);
		close(fd);
		if (p == MAP_FAILED)
			continue;
		maps++;
		/* VM_DONTEXPAND: growing fails; nothing else may happen. */
		q = mremap(p, PSZ, 2 * PSZ, MREMAP_MAYMOVE);
		if (q != MAP_FAILED) {
			bad++;
			p = q;
		}
		pid = fork();
		if (!pid)
			_exit(strncmp(p, "memlab maptest", 14) != 0);
		if (pid > 0 && (waitpid(pid, &status, 0) != pid ||
				!WIFEXITED(status) || WEXITSTATUS(status)))
			bad++;
		if (strncmp(p, "memlab maptest", 14))
			bad++;
		munmap(p, PSZ);
	}
	printf("maptest_churn: %ld mappings, %ld opens while unloaded, %ld bad\n",
	       maps, opens_failed, bad);
	return bad ? 1 : 0;
}
