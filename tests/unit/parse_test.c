// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the mtest command parser, built from the module's own
 * src/mtest/parse.c in user space.
 */
#include <errno.h>
#include <string.h>
#include "kselftest_harness.h"
#include "../../src/mtest/parse.c"

static int parse(const char *s, struct mtest_cmd *cmd)
{
	memset(cmd, 0xa5, sizeof(*cmd));
	return mtest_parse(s, strlen(s), cmd);
}

TEST(read_default_len)
{
	struct mtest_cmd c;

	ASSERT_EQ(0, parse("r 42 7ffd1234\n", &c));
	EXPECT_EQ(MTEST_READ, (int)c.op);
	EXPECT_EQ(42, c.pid);
	EXPECT_EQ(0x7ffd1234UL, c.addr);
	EXPECT_EQ(1U, c.len);
}

TEST(read_len_and_prefix)
{
	struct mtest_cmd c;

	ASSERT_EQ(0, parse("r 1 0x10 4096", &c));
	EXPECT_EQ(0x10UL, c.addr);
	EXPECT_EQ(4096U, c.len);
	ASSERT_EQ(0, parse("r 1 0X10 0x10", &c));
	EXPECT_EQ(16U, c.len);
}

TEST(raw_read)
{
	struct mtest_cmd c;

	ASSERT_EQ(0, parse("R 42 7ffd1234 1\n", &c));
	EXPECT_EQ(MTEST_READ_RAW, (int)c.op);
	EXPECT_EQ(42, c.pid);
	EXPECT_EQ(0x7ffd1234UL, c.addr);
	EXPECT_EQ(1U, c.len);
	ASSERT_EQ(0, parse("R 1 0x10 4097", &c));
	EXPECT_EQ(4097U, c.len);
	ASSERT_EQ(0, parse("R 1 10 0x100000", &c));
	EXPECT_EQ((unsigned int)MTEST_RAW_MAX, c.len);
	ASSERT_EQ(0, parse("R 1 ffffffffffffffff 1048576", &c));
	EXPECT_EQ(~0UL, c.addr);
	EXPECT_EQ(1048576U, c.len);
}

/* R takes no default length and nothing over MTEST_RAW_MAX. */
TEST(raw_read_malformed)
{
	static const char * const bad[] = {
		"R 1 10", "R 1 10 0", "R 1 10 0x0", "R 1 10 1048577",
		"R 1 10 0x100001", "R 1 10 18446744073709551616",
		"R 1 10 99999999999999999999999999999999999999", "R 1 10 -1",
		"R 1 10 1 2", "R 1 10 1M", "R 1 10000000000000000 1", "RR 1 10 1",
		"R", "R 1",
	};
	struct mtest_cmd c;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		const char *s = bad[i];

		EXPECT_EQ(-EINVAL, parse(s, &c)) {
			TH_LOG("accepted \"%s\"", s);
		}
	}
}

TEST(blanks)
{
	char s[] = "  t\t 7   abcdef \t_";
	struct mtest_cmd c;

	/* Blanks before the newline, too. */
	s[strlen(s) - 1] = '\n';
	ASSERT_EQ(0, parse(s, &c));
	EXPECT_EQ(MTEST_TRANSLATE, (int)c.op);
	EXPECT_EQ(7, c.pid);
	EXPECT_EQ(0xabcdefUL, c.addr);
}

TEST(write_bytes)
{
	struct mtest_cmd c;

	ASSERT_EQ(0, parse("w 3 1000 0 255 0xff 010 0x0A", &c));
	EXPECT_EQ(MTEST_WRITE, (int)c.op);
	ASSERT_EQ(5U, c.len);
	EXPECT_EQ(0, c.bytes[0]);
	EXPECT_EQ(255, c.bytes[1]);
	EXPECT_EQ(255, c.bytes[2]);
	EXPECT_EQ(10, c.bytes[3]);	/* never octal */
	EXPECT_EQ(10, c.bytes[4]);
}

TEST(write_64_bytes_but_not_65)
{
	char cmd[MTEST_CMD_MAX + 1] = "w 1 1000";
	struct mtest_cmd c;
	int i;

	for (i = 0; i < MTEST_WRITE_MAX; i++)
		strcat(cmd, " 1");
	ASSERT_EQ(0, parse(cmd, &c));
	EXPECT_EQ((unsigned int)MTEST_WRITE_MAX, c.len);
	strcat(cmd, " 1");
	EXPECT_EQ(-EINVAL, parse(cmd, &c));
}

TEST(full_address_range)
{
	struct mtest_cmd c;

	ASSERT_EQ(0, parse("r 1 ffffffffffffffff", &c));
	EXPECT_EQ(~0UL, c.addr);
	EXPECT_EQ(-EINVAL, parse("r 1 10000000000000000", &c));
}

TEST(malformed)
{
	static const char * const bad[] = {
		"", "\n", " ", "x 1 10", "rr 1 10", "r", "r 1", "r 1 10 1 2",
		"r -1 10", "r +1 10", "r 1a 10", "r 2147483648 10", "r 1 0x",
		"r 1 xyz", "r 1 10 0", "r 1 10 4097", "r 1 10 -1", "r 1 10 0x",
		"w 1 10", "w 1 10 256", "w 1 10 0x100", "w 1 10 -1", "w 1 10 1e",
		"t 1", "t 1 10 1", "r 1 10\n\n", "r 1 10\r\n", "r\x01 1 10",
	};
	struct mtest_cmd c;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		const char *s = bad[i];

		EXPECT_EQ(-EINVAL, parse(s, &c)) {
			TH_LOG("accepted \"%s\"", s);
		}
	}
}

TEST(embedded_nul)
{
	struct mtest_cmd c;

	EXPECT_EQ(-EINVAL, mtest_parse("r 1 10\0 5", 9, &c));
}

TEST(oversized)
{
	char cmd[MTEST_CMD_MAX + 2];
	struct mtest_cmd c;

	memset(cmd, ' ', sizeof(cmd));
	memcpy(cmd, "r 1 10", 6);
	/* 256 bytes with trailing blanks is fine; 257 is refused. */
	EXPECT_EQ(0, mtest_parse(cmd, MTEST_CMD_MAX, &c));
	EXPECT_EQ(-EINVAL, mtest_parse(cmd, MTEST_CMD_MAX + 1, &c));
}

TEST_HARNESS_MAIN
