// SPDX-License-Identifier: GPL-2.0-only
/*
 * memlab maptest: what /proc/maptest holds, read through a mapping of it
 * (not read()): the pages the kernel allocated, as user space sees them.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cmd.h"
#include "diag.h"
#include "err.h"
#include "memlab.h"

/* maptest's buffer is made of kernel pages: this machine's page size. */
#define ML_PAGE		sysconf(_SC_PAGESIZE)

/* read() returns the text up to the NUL, the buffer's last byte. */
static long ml_maptest_size(int fd)
{
	char buf[65536];
	long total = 0;
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0)
		total += n;
	return n < 0 ? -errno : total + 1;
}

/* The first line of each page, as far as it goes in the page. */
static void ml_maptest_pages(const char *map, long size)
{
	long p;

	for (p = 0; p * ML_PAGE < size; p++) {
		const char *s = map + p * ML_PAGE;
		long room = size - p * ML_PAGE;
		int len = 0;

		if (room > ML_PAGE)
			room = ML_PAGE;
		while (len < room && len < 100 && s[len] && s[len] != '\n')
			len++;
		printf("page %04ld: %.*s\n", p, len, s);
	}
}

static int ml_maptest_show(int fd, long size, int text)
{
	const char *map;
	long pages = (size + ML_PAGE - 1) / ML_PAGE;

	map = mmap(NULL, pages * ML_PAGE, PROT_READ, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED) {
		ml_error("cannot map %s: %s", MEMLAB_MAPTEST_PATH,
			 strerror(errno));
		return ML_EXIT_FAIL;
	}
	printf("%s: %ld page%s (%ld bytes), mapped at %p (PROT_READ, MAP_SHARED)\n",
	       MEMLAB_MAPTEST_PATH, pages, pages == 1 ? "" : "s",
	       pages * ML_PAGE, (void *)map);
	printf("banner: %s\n", strncmp(map, MAPTEST_BANNER,
				       strlen(MAPTEST_BANNER)) ?
	       "missing!" : MAPTEST_BANNER);
	if (text)
		fwrite(map, 1, strnlen(map, size), stdout);
	else
		ml_maptest_pages(map, size);
	munmap((void *)map, pages * ML_PAGE);
	return ML_EXIT_OK;
}

static int ml_maptest_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "text", no_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, fd, ret, text = 0;
	long size;

	while ((c = getopt_long(argc, argv, "th", opts, NULL)) != -1) {
		if (c == 'h')
			return ml_cmd_help(&ml_cmd_maptest);
		if (c != 't')
			return ml_cmd_bad_option(&ml_cmd_maptest, argc, argv);
		text = 1;
	}
	if (argc != optind)
		return ml_usage_error("maptest", "maptest takes no arguments");
	fd = open(MEMLAB_MAPTEST_PATH, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ml_open_error(MEMLAB_MAPTEST_PATH, errno, "maptest");
	size = ml_maptest_size(fd);
	if (size < 0) {
		ml_error("cannot read %s: %s", MEMLAB_MAPTEST_PATH,
			 strerror(-size));
		ret = ML_EXIT_FAIL;
	} else {
		ret = ml_maptest_show(fd, size, text);
	}
	close(fd);
	return ret;
}

const struct ml_cmd ml_cmd_maptest = {
	.name = "maptest",
	.run = ml_maptest_run,
	.summary = "maptest                  what /proc/maptest holds, mapped",
	.help =
"usage: memlab maptest [--text]\n"
"\n"
"Maps /proc/maptest (PROT_READ, MAP_SHARED) and shows what the kernel put\n"
"in its pages: their number, the banner, and the first line of each page.\n"
"\n"
"  --text   print the whole text, read through the mapping\n",
};
