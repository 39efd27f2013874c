// SPDX-License-Identifier: GPL-2.0-only
/*
 * memlab read PID ADDR [LEN]: bytes of another process, as hexdump -C
 * shows them, raw (--raw) or as JSON.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "args.h"
#include "client.h"
#include "cmd.h"
#include "diag.h"
#include "err.h"
#include "hexdump.h"
#include "json.h"

/* Without LEN: one line of the dump. */
#define ML_READ_DEFAULT	16
/* A bound on LEN, so that a typo does not allocate the machine. */
#define ML_READ_LIMIT	(1ULL << 30)

static int ml_read_output(int mode, pid_t pid, uint64_t addr,
			  const unsigned char *buf, size_t n)
{
	if (mode == 'r')
		return fwrite(buf, 1, n, stdout) == n ? 0 : -1;
	if (mode == 'j')
		ml_json_read(stdout, pid, addr, buf, n);
	else
		ml_hexdump(stdout, addr, buf, n);
	return 0;
}

static int ml_read_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "raw", no_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t addr, len = ML_READ_DEFAULT;
	unsigned char *buf;
	int c, fd, mode = 'x', ret, err;
	ssize_t got;
	pid_t pid;

	while ((c = getopt_long(argc, argv, "rjh", opts, NULL)) != -1) {
		if (c == 'h')
			return ml_cmd_help(&ml_cmd_read);
		if (c != 'r' && c != 'j')
			return ml_cmd_bad_option(&ml_cmd_read, argc, argv);
		mode = c;
	}
	if (argc - optind < 2 || argc - optind > 3)
		return ml_usage_error("read", "read wants PID ADDR [LEN]");
	if (argc - optind == 3 &&
	    (ml_parse_size(argv[optind + 2], &len) || !len ||
	     len > ML_READ_LIMIT))
		return ml_usage_error("read",
				      "LEN is a number of bytes from 1 to 1G (K, M, G suffixes)");
	ret = ml_cmd_target(argv[optind], argv[optind + 1], &fd, &pid, &addr);
	if (ret)
		return ret;
	buf = malloc(len);
	if (!buf) {
		ml_error("out of memory for %llu bytes", (unsigned long long)len);
		return ML_EXIT_FAIL;
	}
	got = ml_mtest_read(fd, pid, addr, buf, len, &err);
	if (got > 0 && ml_read_output(mode, pid, addr, buf, got))
		ret = ML_EXIT_FAIL;
	if (err) {
		if (got)
			ml_note("read %zd of %llu bytes", got,
				(unsigned long long)len);
		ret = ml_access_error(-err, pid, addr + got, "read");
	}
	free(buf);
	close(fd);
	return ret;
}

const struct ml_cmd ml_cmd_read = {
	.name = "read",
	.run = ml_read_run,
	.summary = "read PID ADDR [LEN]      bytes of a process, hexdump -C style",
	.help =
"usage: memlab read [--raw | --json] PID ADDR [LEN]\n"
"\n"
"Reads LEN bytes (default 16; K, M and G suffixes) at ADDR in process PID\n"
"through /proc/mtest and prints them as hexdump -C does: the address, 16\n"
"bytes in hex, and the same bytes as text.\n"
"\n"
"  --raw    write the bytes themselves, for > file\n"
"  --json   {\"pid\":..,\"addr\":\"0x..\",\"len\":..,\"hex\":\"..\"}\n"
"\n"
"PID is a number or a process name. ADDR is hex (0x optional) or a\n"
"region of /proc/PID/maps and an offset: [heap], [stack]+0x100,\n"
"libc.so.6+0x1234.\n",
};
