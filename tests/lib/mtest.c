// SPDX-License-Identifier: GPL-2.0-only
/*
 * memlab test library: commands and results of /proc/mtest, through the
 * client that memlab itself uses (tools/memlab/client.c). What is left
 * here is the tests' calling convention: printf-style commands and
 * unsigned long addresses.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "client.h"
#include "mtest.h"

int mtest_open(void)
{
	int fd, ret = ml_mtest_open(&fd);

	return ret ? ret : fd;
}

/* One command per write(): a short count would be a contract violation. */
int mtest_raw(int fd, const void *buf, size_t len)
{
	return ml_mtest_send(fd, buf, len);
}

int mtest_cmd(int fd, const char *fmt, ...)
{
	char cmd[2 * MTEST_CMD_MAX];
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (len < 0 || (size_t)len >= sizeof(cmd))
		return -E2BIG;
	return ml_mtest_send(fd, cmd, len);
}

/* The result is read from offset 0 every time, as the contract allows. */
ssize_t mtest_result(int fd, char *buf, size_t size)
{
	return ml_mtest_result(fd, buf, size);
}

/*
 * Strict parse of an "r" result: exactly @len unsigned decimals 0-255,
 * single spaces between them, one trailing newline, no leading zeros.
 */
int mtest_parse_bytes(const char *text, unsigned char *out, size_t len)
{
	return ml_parse_r_result(text, out, len);
}

int mtest_read(int fd, pid_t pid, unsigned long addr, void *out, size_t len)
{
	return ml_mtest_read_text(fd, pid, addr, out, len);
}

/* A single "w" command, so that it either writes everything or nothing. */
int mtest_write(int fd, pid_t pid, unsigned long addr, const void *data,
		size_t len)
{
	return ml_mtest_write_one(fd, pid, addr, data, len);
}
