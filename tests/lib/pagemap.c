// SPDX-License-Identifier: GPL-2.0-only
/*
 * memlab test library: /proc/PID/pagemap lookup.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "pagemap.h"

/* @pid 0 means the calling process. */
int pagemap_entry(pid_t pid, unsigned long addr, uint64_t *ent)
{
	char path[64];
	ssize_t n;
	int fd;

	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)pid);
	else
		snprintf(path, sizeof(path), "/proc/self/pagemap");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = pread(fd, ent, sizeof(*ent),
		  (addr / sysconf(_SC_PAGESIZE)) * sizeof(*ent));
	if (n < 0)
		n = -errno;
	close(fd);
	if (n < 0)
		return n;
	return n == sizeof(*ent) ? 0 : -EIO;
}
