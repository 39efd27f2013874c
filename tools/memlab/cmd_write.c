// SPDX-License-Identifier: GPL-2.0-only
/*
 * memlab write PID ADDR BYTE... | --string TEXT | --file F: change the
 * memory of another process.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "client.h"
#include "cmd.h"
#include "diag.h"
#include "err.h"

/* Most bytes --file takes. */
#define ML_WRITE_FILE_MAX	(16U << 20)

static int ml_write_bytes(char **args, int n, unsigned char **out,
			  size_t *len)
{
	int i;

	*out = malloc(n);
	if (!*out)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		if (ml_parse_byte(args[i], &(*out)[i])) {
			ml_error("%s is not a byte: give 0 to 255, or 0x00 to 0xff",
				 args[i]);
			free(*out);
			return -EINVAL;
		}
	}
	*len = n;
	return 0;
}

static int ml_write_file(const char *path, unsigned char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f) {
		ml_error("cannot open %s: %s", path, strerror(errno));
		return -EINVAL;
	}
	*out = malloc(ML_WRITE_FILE_MAX + 1);
	if (!*out) {
		fclose(f);
		return -ENOMEM;
	}
	n = fread(*out, 1, ML_WRITE_FILE_MAX + 1, f);
	fclose(f);
	if (n == 0 || n > ML_WRITE_FILE_MAX) {
		ml_error("%s: %s", path, n ? "larger than 16 MiB" : "empty");
		free(*out);
		return -EINVAL;
	}
	*len = n;
	return 0;
}

static int ml_write_data(const char *string, const char *file, char **args,
			 int n, unsigned char **data, size_t *len)
{
	if (!!string + !!file + !!n != 1)
		return ml_usage_error("write",
				      "give the bytes, or --string TEXT, or --file F (one of them)");
	if (string) {
		*len = strlen(string);
		*data = (unsigned char *)strdup(string);
		if (!*len)
			return ml_usage_error("write", "the string is empty");
		return *data ? 0 : ML_EXIT_FAIL;
	}
	if (file)
		return ml_write_file(file, data, len) ? ML_EXIT_USAGE : 0;
	return ml_write_bytes(args, n, data, len) ? ML_EXIT_USAGE : 0;
}

static int ml_write_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "string", required_argument, NULL, 's' },
		{ "file", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *string = NULL, *file = NULL;
	unsigned char *data = NULL;
	int c, fd, ret, err;
	uint64_t addr;
	size_t len;
	ssize_t done;
	pid_t pid;

	while ((c = getopt_long(argc, argv, "s:f:h", opts, NULL)) != -1) {
		if (c == 'h')
			return ml_cmd_help(&ml_cmd_write);
		if (c == 's')
			string = optarg;
		else if (c == 'f')
			file = optarg;
		else
			return ml_cmd_bad_option(&ml_cmd_write, argc, argv);
	}
	if (argc - optind < 2)
		return ml_usage_error("write", "write wants PID ADDR and what to write");
	ret = ml_write_data(string, file, argv + optind + 2,
			    argc - optind - 2, &data, &len);
	if (ret)
		return ret;
	ret = ml_cmd_target(argv[optind], argv[optind + 1], &fd, &pid, &addr);
	if (ret) {
		free(data);
		return ret;
	}
	done = ml_mtest_write(fd, pid, addr, data, len, &err);
	if (err) {
		if (done)
			ml_note("wrote %zd of %zu bytes", done, len);
		ret = ml_access_error(-err, pid, addr + done, "write");
	} else {
		printf("wrote %zu byte%s at 0x%llx in process %d\n", len,
		       len == 1 ? "" : "s", (unsigned long long)addr,
		       (int)pid);
	}
	free(data);
	close(fd);
	return ret;
}

const struct ml_cmd ml_cmd_write = {
	.name = "write",
	.run = ml_write_run,
	.summary = "write PID ADDR BYTE...   change bytes (--string, --file)",
	.help =
"usage: memlab write PID ADDR BYTE...\n"
"       memlab write --string TEXT PID ADDR\n"
"       memlab write --file F PID ADDR\n"
"\n"
"Writes bytes into process PID at ADDR through /proc/mtest, as\n"
"/proc/PID/mem would: copy-on-write pages are copied first, so the write\n"
"never reaches a file, a parent or child, or the zero page.\n"
"\n"
"  BYTE...        0 to 255, decimal or 0x hex\n"
"  --string TEXT  the bytes of TEXT (no terminating NUL)\n"
"  --file F       the contents of file F (up to 16 MiB)\n",
};
