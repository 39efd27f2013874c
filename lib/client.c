// SPDX-License-Identifier: GPL-2.0-only
/*
 * libmemlab: the /proc/mtest client. One write() is one command; the result
 * is read back from offset 0. Reads go in "R" chunks of MTEST_RAW_MAX
 * bytes, or in "r" chunks of MTEST_READ_MAX from a module without "R";
 * writes go in chunks of MTEST_WRITE_MAX, the most one command takes.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client.h"

/* Returns the descriptor, or -errno (the caller explains it). */
int ml_mtest_open(void)
{
	int fd = open(MEMLAB_MTEST_PATH, O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

/* One write() of @len bytes, as they are: a short count breaks the contract. */
int ml_mtest_send(int fd, const void *buf, size_t len)
{
	ssize_t n = write(fd, buf, len);

	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

/*
 * A command from a format, sent in one write(). Room for twice the longest
 * command, so that a test can send one that is too long; -E2BIG beyond.
 */
int ml_mtest_cmd(int fd, const char *fmt, ...)
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

ssize_t ml_mtest_result(int fd, char *buf, size_t size)
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
 * "42 0 255\n": exactly @len decimal bytes as the contract prints them
 * (single spaces, one newline, no leading zeros), or -EIO.
 */
int ml_parse_r_result(const char *text, unsigned char *out, size_t len)
{
	const char *p = text;
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned int v = 0;
		const char *start = p;

		while (*p >= '0' && *p <= '9' && v <= 255)
			v = v * 10 + (*p++ - '0');
		/* "007" is not how the contract prints 7. */
		if (p == start || v > 255 || (p - start > 1 && *start == '0'))
			return -EIO;
		if (*p != (i + 1 == len ? '\n' : ' '))
			return -EIO;
		out[i] = v;
		p++;
	}
	return *p ? -EIO : 0;
}

/* One "r" of 1 to MTEST_READ_MAX bytes; safe in several threads at once. */
int ml_mtest_read_text(int fd, pid_t pid, uint64_t addr, void *out,
		       size_t len)
{
	char *result;
	ssize_t n;
	int err;

	err = ml_mtest_cmd(fd, "r %d %" PRIx64 " %zu", (int)pid, addr, len);
	if (err)
		return err;
	result = malloc(ML_RESULT_BUF);
	if (!result)
		return -ENOMEM;
	n = ml_mtest_result(fd, result, ML_RESULT_BUF);
	err = n < 0 ? (int)n : ml_parse_r_result(result, out, len);
	free(result);
	return err;
}

/* One "R" of 1 to MTEST_RAW_MAX bytes, read straight into @out. */
int ml_mtest_read_raw(int fd, pid_t pid, uint64_t addr, void *out,
		      size_t len)
{
	size_t got = 0;
	ssize_t n;
	int err;

	err = ml_mtest_cmd(fd, "R %d %" PRIx64 " %zu", (int)pid, addr, len);
	if (err)
		return err;
	while (got < len) {
		n = pread(fd, (unsigned char *)out + got, len - got, got);
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		got += n;
	}
	return 0;
}

/* Commands of @step bytes; how many were read before the first failure. */
static size_t ml_mtest_read_steps(int fd, pid_t pid, uint64_t addr,
				  unsigned char *out, size_t len, size_t step,
				  int raw, int *err)
{
	size_t done = 0;

	*err = 0;
	while (done < len) {
		size_t n = len - done < step ? len - done : step;

		if (raw)
			*err = ml_mtest_read_raw(fd, pid, addr + done,
						 out + done, n);
		else
			*err = ml_mtest_read_text(fd, pid, addr + done,
						  out + done, n);
		if (*err)
			break;
		done += n;
	}
	return done;
}

/*
 * Reads @len bytes. Returns how many were read before the first failure
 * (all of them when *@err is 0); *@err is the failure, -errno. A module
 * that answers EINVAL to "R" predates it: the rest goes through "r". A
 * failed "R" chunk is read again in MTEST_READ_MAX steps, so that the
 * count stops where "r" would stop (before the unmapped part, say).
 */
ssize_t ml_mtest_read(int fd, pid_t pid, uint64_t addr, void *buf,
		      size_t len, int *err)
{
	unsigned char *out = buf;
	size_t done = 0;

	*err = 0;
	while (done < len) {
		size_t n = len - done;

		if (n > MTEST_RAW_MAX)
			n = MTEST_RAW_MAX;
		*err = ml_mtest_read_raw(fd, pid, addr + done, out + done, n);
		if (*err == -EINVAL)
			return done + ml_mtest_read_steps(fd, pid, addr + done,
							  out + done,
							  len - done,
							  MTEST_READ_MAX, 0,
							  err);
		if (*err)
			n = ml_mtest_read_steps(fd, pid, addr + done,
						out + done, n, MTEST_READ_MAX,
						1, err);
		done += n;
		if (*err)
			break;
	}
	return done;
}

/* One "w": -E2BIG if the bytes do not fit one command. */
int ml_mtest_write_one(int fd, pid_t pid, uint64_t addr, const void *buf,
		       size_t len)
{
	const unsigned char *data = buf;
	char cmd[MTEST_CMD_MAX + 1];
	size_t i;
	int pos;

	pos = snprintf(cmd, sizeof(cmd), "w %d %" PRIx64, (int)pid, addr);
	for (i = 0; i < len; i++) {
		pos += snprintf(cmd + pos, sizeof(cmd) - pos, " %u", data[i]);
		if (pos >= (int)sizeof(cmd))
			return -E2BIG;
	}
	return ml_mtest_send(fd, cmd, pos);
}

/*
 * Writes @len bytes in commands that fit MTEST_CMD_MAX; returns how many
 * were written before the first failure (*@err).
 */
ssize_t ml_mtest_write(int fd, pid_t pid, uint64_t addr, const void *buf,
		       size_t len, int *err)
{
	const unsigned char *data = buf;
	/* "w PID ADDR": at most 2 + 11 + 17 bytes, then " 255" per byte. */
	const size_t per_cmd = (MTEST_CMD_MAX - 32) / 4;
	size_t done = 0;

	*err = 0;
	while (done < len) {
		size_t n = len - done;

		if (n > per_cmd)
			n = per_cmd;
		if (n > MTEST_WRITE_MAX)
			n = MTEST_WRITE_MAX;
		*err = ml_mtest_write_one(fd, pid, addr + done, data + done,
					  n);
		if (*err)
			break;
		done += n;
	}
	return done;
}

/* The "t" text for @addr, NUL-terminated in @buf. */
int ml_mtest_translate(int fd, pid_t pid, uint64_t addr, char *buf,
		       size_t size)
{
	ssize_t n;
	int err;

	err = ml_mtest_cmd(fd, "t %d %" PRIx64, (int)pid, addr);
	if (err)
		return err;
	n = ml_mtest_result(fd, buf, size);
	return n < 0 ? n : 0;
}
