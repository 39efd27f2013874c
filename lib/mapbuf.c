// SPDX-License-Identifier: GPL-2.0-only
/*
 * libmemlab: checks of the /proc/maptest buffer: its size, and its contents
 * as the module fills them (banner, page markers, a final NUL).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "memlab.h"
#include "mapbuf.h"

/*
 * The buffer size in bytes: read() returns everything up to the NUL, which
 * is the last byte of an unmodified buffer. -errno on failure.
 */
long ml_mapbuf_size(void)
{
	char buf[65536];
	long total = 0;
	ssize_t n;
	int fd;

	fd = open(MEMLAB_MAPTEST_PATH, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		total += n;
	if (n < 0)
		total = -errno;
	close(fd);
	return total < 0 ? total : total + 1;
}

int ml_mapbuf_has_marker(const char *page, size_t len, unsigned int p)
{
	char marker[16];

	snprintf(marker, sizeof(marker), "page %04u", p);
	return memmem(page, len, marker, strlen(marker)) != NULL;
}

/*
 * Check a whole unmodified buffer: the banner line first, every page's
 * marker, the last byte NUL and all others printable or newline.
 */
const char *ml_mapbuf_check(const char *buf, size_t size)
{
	static char why[96];
	long psz = sysconf(_SC_PAGESIZE);
	size_t i;

	if (!size || size % psz)
		return "size is not a whole number of pages";
	if (strncmp(buf, MAPTEST_BANNER "\n", strlen(MAPTEST_BANNER) + 1))
		return "banner line missing at offset 0";
	for (i = 0; i < size / psz; i++)
		if (!ml_mapbuf_has_marker(buf + i * psz, psz, i)) {
			snprintf(why, sizeof(why), "page %zu has no marker", i);
			return why;
		}
	if (buf[size - 1])
		return "last byte is not NUL";
	for (i = 0; i < size - 1; i++)
		if (buf[i] != '\n' && (buf[i] < 0x20 || buf[i] > 0x7e)) {
			snprintf(why, sizeof(why), "byte %zu is 0x%02x", i,
				 (unsigned char)buf[i]);
			return why;
		}
	return NULL;
}
