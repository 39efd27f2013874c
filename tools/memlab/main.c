// SPDX-License-Identifier: GPL-2.0-only
/*
 * memlab: read, write and walk another process's memory through the
 * memlab kernel modules. This file is the hub: it picks the subcommand,
 * and holds what every subcommand shares (help, the PID and ADDR pair).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "client.h"
#include "cmd.h"
#include "diag.h"
#include "err.h"
#include "proc.h"

#ifndef MEMLAB_VERSION
#define MEMLAB_VERSION	"unknown"
#endif

static const struct ml_cmd *const ml_cmds[] = {
	&ml_cmd_read, &ml_cmd_write, &ml_cmd_walk, &ml_cmd_maps,
	&ml_cmd_maptest,
};
#define ML_NCMDS	ARRAY_SIZE(ml_cmds)

static void ml_usage(FILE *f)
{
	size_t i;

	fputs("usage: memlab COMMAND [OPTIONS] ARGS...\n\ncommands:\n", f);
	for (i = 0; i < ML_NCMDS; i++)
		fprintf(f, "  %s\n", ml_cmds[i]->summary);
	fputs("\nmemlab COMMAND --help shows a command's options; memlab --version.\n"
	      "PID is a number or a process name; ADDR is hex, or a region and an\n"
	      "offset: [heap], [stack]+0x10, libc.so.6+0x1234. See memlab(1).\n",
	      f);
}

int ml_cmd_help(const struct ml_cmd *cmd)
{
	fputs(cmd->help, stdout);
	return ML_EXIT_OK;
}

/* getopt_long found an option the command does not take. */
int ml_cmd_bad_option(const struct ml_cmd *cmd, int argc, char **argv)
{
	const char *opt = optind > 0 && optind <= argc ? argv[optind - 1] : "?";

	ml_error("%s: unknown or incomplete option %s", cmd->name, opt);
	ml_fix("see 'memlab %s --help'", cmd->name);
	return ML_EXIT_USAGE;
}

/* /proc/mtest opened, and the PID and ADDR arguments resolved. */
int ml_cmd_target(const char *pid_arg, const char *addr_arg, int *fd,
		  pid_t *pid, uint64_t *addr)
{
	int ret;

	*fd = ml_mtest_open();
	if (*fd < 0)
		return ml_open_error(MEMLAB_MTEST_PATH, -*fd, "mtest");
	ret = ml_resolve_pid(pid_arg, pid);
	if (!ret)
		ret = ml_resolve_addr(*pid, addr_arg, addr);
	if (ret)
		close(*fd);
	return ret;
}

static const struct ml_cmd *ml_find_cmd(const char *name)
{
	size_t i;

	for (i = 0; i < ML_NCMDS; i++)
		if (!strcmp(name, ml_cmds[i]->name))
			return ml_cmds[i];
	return NULL;
}

int main(int argc, char **argv)
{
	const struct ml_cmd *cmd;

	if (argc < 2) {
		ml_usage(stderr);
		return ML_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("memlab %s\n", MEMLAB_VERSION);
		return ML_EXIT_OK;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		ml_usage(stdout);
		return ML_EXIT_OK;
	}
	if (!strcmp(argv[1], "help") && argc > 2 && ml_find_cmd(argv[2]))
		return ml_cmd_help(ml_find_cmd(argv[2]));
	cmd = ml_find_cmd(argv[1]);
	if (!cmd) {
		ml_error("unknown command %s", argv[1]);
		ml_usage(stderr);
		return ML_EXIT_USAGE;
	}
	opterr = 0;
	return cmd->run(argc - 1, argv + 1);
}
