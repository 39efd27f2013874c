/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * memlab: the subcommands. Each takes its own argv (argv[0] is its name),
 * returns an exit code (err.h) and has a --help text.
 */
#ifndef MEMLAB_CMD_H
#define MEMLAB_CMD_H

#include <stdint.h>
#include <sys/types.h>

struct ml_cmd {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
	const char *help;
};

extern const struct ml_cmd ml_cmd_read, ml_cmd_write, ml_cmd_walk,
	ml_cmd_maps, ml_cmd_maptest;

int ml_cmd_help(const struct ml_cmd *cmd);
int ml_cmd_bad_option(const struct ml_cmd *cmd, int argc, char **argv);
int ml_cmd_target(const char *pid_arg, const char *addr_arg, int *fd,
		  pid_t *pid, uint64_t *addr);

#endif /* MEMLAB_CMD_H */
