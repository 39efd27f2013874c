// SPDX-License-Identifier: GPL-2.0-only
/*
 * /proc/mtest command parsing: every malformed command of the contract
 * fails with EINVAL, writes nothing and keeps the previous result; the
 * accepted spellings (blanks, 0x, trailing newline, 256 bytes) work.
 * All commands target the test process itself, so any user can run them.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "client.h"

FIXTURE(parse) {
	int fd;
	int pid;
	unsigned long addr;
	unsigned char buf[128];
};

FIXTURE_SETUP(parse)
{
	int i;

	self->fd = ml_mtest_open();
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", MEMLAB_MTEST_PATH,
				      strerror(-self->fd));
	self->pid = getpid();
	for (i = 0; i < (int)sizeof(self->buf); i++)
		self->buf[i] = 100 + i;
	self->addr = (unsigned long)self->buf;
}

FIXTURE_TEARDOWN(parse)
{
	if (self->fd >= 0)
		close(self->fd);
}

/* The result text, for comparisons. */
static const char *parse_result(int fd)
{
	static char text[ML_RESULT_BUF];

	if (ml_mtest_result(fd, text, sizeof(text)) < 0)
		return "(read error)";
	return text;
}

/* Seed a known result ("100\n") to see that failures keep it. */
#define parse_seed(self) \
	ml_mtest_cmd((self)->fd, "r %d %lx", (self)->pid, (self)->addr)

TEST_F(parse, unknown_op)
{
	ASSERT_EQ(0, parse_seed(self));
	EXPECT_EQ(-EINVAL, ml_mtest_cmd(self->fd, "x %d %lx", self->pid, self->addr));
	EXPECT_EQ(-EINVAL, ml_mtest_cmd(self->fd, "R %d %lx", self->pid, self->addr));
	EXPECT_EQ(-EINVAL, ml_mtest_cmd(self->fd, "rw %d %lx", self->pid, self->addr));
	EXPECT_EQ(-EINVAL, ml_mtest_cmd(self->fd, "read %d %lx", self->pid,
				     self->addr));
	EXPECT_EQ(-EINVAL, ml_mtest_cmd(self->fd, "%d %lx", self->pid, self->addr));
	EXPECT_STREQ("100\n", parse_result(self->fd));
}

TEST_F(parse, missing_fields)
{
	ASSERT_EQ(0, parse_seed(self));
	EXPECT_EQ(-EINVAL, ml_mtest_cmd(self->fd, "r"));
	EXPECT_EQ(-EINVAL, ml_mtest_cmd(self->fd, "r\n"));
	EXPECT_EQ(-EINVAL, ml_mtest_cmd(self->fd, "r %d", self->pid));
	EXPECT_EQ(-EINVAL, ml_mtest_cmd(self->fd, "w %d %lx", self->pid, self->addr));
	EXPECT_EQ(-EINVAL, ml_mtest_cmd(self->fd, "w %d %lx\n", self->pid,
				     self->addr));
	EXPECT_EQ(-EINVAL, ml_mtest_cmd(self->fd, "t %d", self->pid));
	EXPECT_EQ(-EINVAL, ml_mtest_cmd(self->fd, "\n"));
	EXPECT_EQ(-EINVAL, ml_mtest_cmd(self->fd, "   "));
	EXPECT_STREQ("100\n", parse_result(self->fd));
}

TEST_F(parse, extra_fields)
{
	ASSERT_EQ(0, parse_seed(self));
	EXPECT_EQ(-EINVAL, ml_mtest_cmd(self->fd, "r %d %lx 1 1", self->pid,
				     self->addr));
	EXPECT_EQ(-EINVAL, ml_mtest_cmd(self->fd, "t %d %lx 1", self->pid,
				     self->addr));
	EXPECT_STREQ("100\n", parse_result(self->fd));
}

TEST_F(parse, non_numbers)
{
	ASSERT_EQ(0, parse_seed(self));
	EXPECT_EQ(-EINVAL, ml_mtest_cmd(self->fd, "r abc %lx", self->addr));
	EXPECT_EQ(-EINVAL, ml_mtest_cmd(self->fd, "r %dx %lx", self->pid, self->addr));
	EXPECT_EQ(-EINVAL, ml_mtest_cmd(self->fd, "r 0x%x %lx", self->pid,
				     self->addr));
	EXPECT_EQ(-EINVAL, ml_mtest_cmd(self->fd, "r %d xyz", self->pid));
	EXPECT_EQ(-EINVAL, ml_mtest_cmd(self->fd, "r %d 0x", self->pid));
	EXPECT_EQ(-EINVAL, ml_mtest_cmd(self->fd, "r %d %lxg", self->pid,
				     self->addr));
	EXPECT_EQ(-EINVAL, ml_mtest_cmd(self->fd, "r %d %lx ten", self->pid,
				     self->addr));
	EXPECT_EQ(-EINVAL, ml_mtest_cmd(self->fd, "r %d %lx 1k", self->pid,
				     self->addr));
	EXPECT_EQ(-EINVAL, ml_mtest_cmd(self->fd, "w %d %lx z", self->pid,
				     self->addr));
	EXPECT_EQ(-EINVAL, ml_mtest_cmd(self->fd, "w %d %lx 1.5", self->pid,
				     self->addr));
	EXPECT_EQ(-EINVAL, ml_mtest_cmd(self->fd, "w %d %lx 0xg", self->pid,
				     self->addr));
	EXPECT_STREQ("100\n", parse_result(self->fd));
	EXPECT_EQ(100, self->buf[0]);
}

/* An address that does not fit in 64 bits is not a number we accept. */
TEST_F(parse, address_overflow)
{
	ASSERT_EQ(0, parse_seed(self));
	EXPECT_EQ(-EINVAL, ml_mtest_cmd(self->fd, "r %d 1%016lx", self->pid,
				     self->addr));
	EXPECT_STREQ("100\n", parse_result(self->fd));
}

TEST_F(parse, byte_over_255)
{
	ASSERT_EQ(0, parse_seed(self));
	EXPECT_EQ(-EINVAL, ml_mtest_cmd(self->fd, "w %d %lx 256", self->pid,
				     self->addr));
	EXPECT_EQ(-EINVAL, ml_mtest_cmd(self->fd, "w %d %lx 0x100", self->pid,
				     self->addr));
	EXPECT_EQ(-EINVAL, ml_mtest_cmd(self->fd, "w %d %lx 1000", self->pid,
				     self->addr));
	EXPECT_EQ(-EINVAL, ml_mtest_cmd(self->fd, "w %d %lx -1", self->pid,
				     self->addr));
	EXPECT_EQ(100, self->buf[0]);
	EXPECT_STREQ("100\n", parse_result(self->fd));
	/* The largest byte is fine. */
	EXPECT_EQ(0, ml_mtest_cmd(self->fd, "w %d %lx 255", self->pid, self->addr));
	EXPECT_EQ(255, self->buf[0]);
}

TEST_F(parse, len_zero)
{
	ASSERT_EQ(0, parse_seed(self));
	EXPECT_EQ(-EINVAL, ml_mtest_cmd(self->fd, "r %d %lx 0", self->pid,
				     self->addr));
	EXPECT_EQ(-EINVAL, ml_mtest_cmd(self->fd, "r %d %lx 0x0", self->pid,
				     self->addr));
	EXPECT_STREQ("100\n", parse_result(self->fd));
}

TEST_F(parse, len_4097)
{
	ASSERT_EQ(0, parse_seed(self));
	EXPECT_EQ(-EINVAL, ml_mtest_cmd(self->fd, "r %d %lx 4097", self->pid,
				     self->addr));
	EXPECT_EQ(-EINVAL, ml_mtest_cmd(self->fd, "r %d %lx 0x1001", self->pid,
				     self->addr));
	EXPECT_STREQ("100\n", parse_result(self->fd));
}

TEST_F(parse, len_4096_and_hex)
{
	static unsigned char big[2 * 4096];
	unsigned char out[4096];
	int i;

	for (i = 0; i < 4096; i++)
		big[i] = i * 7;
	EXPECT_EQ(0, ml_mtest_read_text(self->fd, self->pid, (unsigned long)big, out,
				4096));
	EXPECT_EQ(0, memcmp(big, out, 4096));
	/* "0x10" is sixteen bytes. */
	ASSERT_EQ(0, ml_mtest_cmd(self->fd, "r %d %lx 0x10", self->pid,
			       self->addr));
	EXPECT_EQ(0, ml_parse_r_result(parse_result(self->fd), out, 16))
		TH_LOG("result \"%s\"", parse_result(self->fd));
	EXPECT_EQ(0, memcmp(self->buf, out, 16));
}

/* Decimal everywhere a decimal is allowed, whatever the leading zeros. */
TEST_F(parse, octal_looking_is_decimal)
{
	unsigned char out[10];

	ASSERT_EQ(0, ml_mtest_cmd(self->fd, "w %d %lx 010 0x10 08 09", self->pid,
			       self->addr));
	EXPECT_EQ(10, self->buf[0]);
	EXPECT_EQ(16, self->buf[1]);
	EXPECT_EQ(8, self->buf[2]);
	EXPECT_EQ(9, self->buf[3]);
	/* len "010" reads ten bytes, not eight. */
	ASSERT_EQ(0, ml_mtest_cmd(self->fd, "r %d %lx 010", self->pid, self->addr));
	EXPECT_EQ(0, ml_parse_r_result(parse_result(self->fd), out, 10))
		TH_LOG("result \"%s\"", parse_result(self->fd));
	/* pid "0PID" is still the pid. */
	EXPECT_EQ(0, ml_mtest_cmd(self->fd, "r 0%d %lx", self->pid, self->addr));
	EXPECT_STREQ("10\n", parse_result(self->fd));
}

TEST_F(parse, nothing_written_on_error)
{
	unsigned char before[8];

	memcpy(before, self->buf, sizeof(before));
	EXPECT_EQ(-EINVAL, ml_mtest_cmd(self->fd, "w %d %lx 1 2 3 256", self->pid,
				     self->addr));
	EXPECT_EQ(-EINVAL, ml_mtest_cmd(self->fd, "w %d %lx 1 2 x", self->pid,
				     self->addr));
	EXPECT_EQ(-EINVAL, ml_mtest_cmd(self->fd, "w %d %lx 1 2 3\n\n", self->pid,
				     self->addr));
	EXPECT_EQ(0, memcmp(before, self->buf, sizeof(before)));
}

TEST_F(parse, cmd_257_bytes)
{
	char cmd[MTEST_CMD_MAX + 2];
	int head;

	ASSERT_EQ(0, parse_seed(self));
	/* A valid command padded with blanks to 257 bytes: never truncated. */
	head = snprintf(cmd, sizeof(cmd), "w %d", self->pid);
	memset(cmd + head, ' ', sizeof(cmd) - head);
	/* "%016lx 7\n" is 19 bytes, placed to end at byte 257. */
	snprintf(cmd + MTEST_CMD_MAX + 1 - 19, 20, "%016lx 7\n", self->addr);
	ASSERT_EQ(MTEST_CMD_MAX + 1, (int)strlen(cmd));
	EXPECT_EQ(-EINVAL, ml_mtest_send(self->fd, cmd, strlen(cmd)));
	EXPECT_EQ(100, self->buf[0]);
	EXPECT_STREQ("100\n", parse_result(self->fd));
	/* Longer still. */
	EXPECT_EQ(-EINVAL, ml_mtest_send(self->fd, cmd, sizeof(cmd)));
}

TEST_F(parse, cmd_256_bytes)
{
	char cmd[MTEST_CMD_MAX + 1];
	int head;

	head = snprintf(cmd, sizeof(cmd), "w %d", self->pid);
	memset(cmd + head, ' ', sizeof(cmd) - head);
	snprintf(cmd + MTEST_CMD_MAX - 19, 20, "%016lx 7\n", self->addr);
	ASSERT_EQ(MTEST_CMD_MAX, (int)strlen(cmd));
	EXPECT_EQ(0, ml_mtest_send(self->fd, cmd, strlen(cmd)));
	EXPECT_EQ(7, self->buf[0]);
}

TEST_F(parse, empty_write)
{
	ASSERT_EQ(0, parse_seed(self));
	EXPECT_EQ(-EINVAL, ml_mtest_send(self->fd, "", 0));
	EXPECT_STREQ("100\n", parse_result(self->fd));
}

TEST_F(parse, blanks_and_newline)
{
	EXPECT_EQ(0, ml_mtest_cmd(self->fd, "r %d %lx\n", self->pid, self->addr));
	EXPECT_EQ(0, ml_mtest_cmd(self->fd, "  r  %d\t%lx", self->pid, self->addr));
	EXPECT_EQ(0, ml_mtest_cmd(self->fd, "\tr\t\t%d   %lx \t 2\n", self->pid,
			       self->addr));
	EXPECT_STREQ("100 101\n", parse_result(self->fd));
	EXPECT_EQ(0, ml_mtest_cmd(self->fd, "w %d %lx  1\t 2\n", self->pid,
			       self->addr));
	EXPECT_EQ(1, self->buf[0]);
	EXPECT_EQ(2, self->buf[1]);
}

/* Only one trailing newline; a newline is not a blank. */
TEST_F(parse, newline_elsewhere)
{
	ASSERT_EQ(0, parse_seed(self));
	EXPECT_EQ(-EINVAL, ml_mtest_cmd(self->fd, "r %d %lx\n\n", self->pid,
				     self->addr));
	EXPECT_EQ(-EINVAL, ml_mtest_cmd(self->fd, "r %d\n%lx", self->pid,
				     self->addr));
	EXPECT_EQ(-EINVAL, ml_mtest_cmd(self->fd, "\nr %d %lx", self->pid,
				     self->addr));
	EXPECT_STREQ("100\n", parse_result(self->fd));
}

TEST_F(parse, address_forms)
{
	EXPECT_EQ(0, ml_mtest_cmd(self->fd, "r %d %lx", self->pid, self->addr + 1));
	EXPECT_STREQ("101\n", parse_result(self->fd));
	EXPECT_EQ(0, ml_mtest_cmd(self->fd, "r %d 0x%lx", self->pid, self->addr + 2));
	EXPECT_STREQ("102\n", parse_result(self->fd));
	EXPECT_EQ(0, ml_mtest_cmd(self->fd, "r %d 0X%lX", self->pid, self->addr + 3));
	EXPECT_STREQ("103\n", parse_result(self->fd));
}

TEST_F(parse, write_64_bytes)
{
	unsigned char data[MTEST_WRITE_MAX + 1];
	int i;

	for (i = 0; i < (int)sizeof(data); i++)
		data[i] = i % 10;
	EXPECT_EQ(0, ml_mtest_write_one(self->fd, self->pid, self->addr, data,
				 MTEST_WRITE_MAX));
	EXPECT_EQ(0, memcmp(self->buf, data, MTEST_WRITE_MAX));
	self->buf[MTEST_WRITE_MAX] = 77;
	/* One byte too many: nothing at all is written. */
	memset(data, 5, sizeof(data));
	EXPECT_EQ(-EINVAL, ml_mtest_write_one(self->fd, self->pid, self->addr, data,
				       sizeof(data)));
	EXPECT_EQ(0, self->buf[0]);
	EXPECT_EQ(77, self->buf[MTEST_WRITE_MAX]);
}

TEST_F(parse, full_count_returned)
{
	char cmd[64];
	int len;

	len = snprintf(cmd, sizeof(cmd), "r %d %lx 3\n", self->pid, self->addr);
	EXPECT_EQ(len, write(self->fd, cmd, len));
	len = snprintf(cmd, sizeof(cmd), "w %d %lx 9", self->pid, self->addr);
	EXPECT_EQ(len, write(self->fd, cmd, len));
	EXPECT_EQ(9, self->buf[0]);
}

TEST_HARNESS_MAIN
