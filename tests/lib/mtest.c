// SPDX-License-Identifier: GPL-2.0-only
/*
 * memlab test library: commands and results of /proc/mtest.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mtest.h"

int mtest_open(void)
{
	int fd = open(MEMLAB_MTEST_PATH, O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

/* One command per write(): a short count would be a contract violation. */
int mtest_raw(int fd, const void *buf, size_t len)
{
	ssize_t n = write(fd, buf, len);

	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
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
	return mtest_raw(fd, cmd, len);
}

/* The result is read from offset 0 every time, as the contract allows. */
ssize_t mtest_result(int fd, char *buf, size_t size)
{
	size_t got = 0;
	ssize_t n;

	while (got < size - 1) {
		n = pread(fd, buf + got, size - 1 - got, got);
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		got += n;
	}
	buf[got] = '\0';
	return got;
}

/*
 * Strict parse of an "r" result: exactly @len unsigned decimals 0-255,
 * single spaces between them, one trailing newline. -EPROTO otherwise.
 */
int mtest_parse_bytes(const char *text, unsigned char *out, size_t len)
{
	const char *p = text;
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned int v = 0;
		int digits = 0;

		while (*p >= '0' && *p <= '9' && digits < 4) {
			v = v * 10 + (*p++ - '0');
			digits++;
		}
		/* "007" is not how the contract prints 7. */
		if (!digits || v > 255 || (digits > 1 && p[-digits] == '0'))
			return -EPROTO;
		out[i] = v;
		if (*p++ != (i + 1 == len ? '\n' : ' '))
			return -EPROTO;
	}
	return *p ? -EPROTO : 0;
}

int mtest_read(int fd, pid_t pid, unsigned long addr, void *out, size_t len)
{
	char *buf;
	ssize_t n;
	int ret;

	ret = mtest_cmd(fd, "r %d %#lx %zu", (int)pid, addr, len);
	if (ret)
		return ret;
	buf = malloc(MTEST_RESULT_BUF);
	if (!buf)
		return -ENOMEM;
	n = mtest_result(fd, buf, MTEST_RESULT_BUF);
	ret = n < 0 ? (int)n : mtest_parse_bytes(buf, out, len);
	free(buf);
	return ret;
}

/* A single "w" command, so that it either writes everything or nothing. */
int mtest_write(int fd, pid_t pid, unsigned long addr, const void *data,
		size_t len)
{
	const unsigned char *b = data;
	char cmd[2 * MTEST_CMD_MAX];
	int pos;
	size_t i;

	pos = snprintf(cmd, sizeof(cmd), "w %d %#lx", (int)pid, addr);
	for (i = 0; i < len && pos < MTEST_CMD_MAX; i++)
		pos += snprintf(cmd + pos, sizeof(cmd) - pos, " %u", b[i]);
	if (pos > MTEST_CMD_MAX)
		return -E2BIG;
	return mtest_raw(fd, cmd, pos);
}
