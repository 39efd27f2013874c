// SPDX-License-Identifier: GPL-2.0-only
/*
 * memlab walk PID ADDR: the page-table walk of one address, drawn on the
 * terminal, as SVG (--svg FILE) or as JSON.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "client.h"
#include "cmd.h"
#include "draw.h"
#include "diag.h"
#include "err.h"
#include "json.h"
#include "proc.h"
#include "procmaps.h"
#include "svg.h"
#include "walk.h"

/* The mapping's name, and a file page's file and offset from maps. */
static void ml_walk_from_maps(pid_t pid, struct ml_walk *w, char *name,
			      size_t size)
{
	const struct ml_vma *v;
	struct ml_maps maps;

	name[0] = '\0';
	if (ml_maps_load(pid, &maps))
		return;
	v = ml_maps_find(&maps, w->addr);
	if (v) {
		snprintf(name, size, "%s", v->path);
		if (ml_vma_is_file(v) && w->anon != 1)
			ml_walk_set_file(w, v->path, v->start, v->offset);
	}
	ml_maps_free(&maps);
}

static int ml_walk_svg(const char *path, const struct ml_walk *w, pid_t pid,
		       const char *comm, const char *name)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "w") : stdout;

	if (!f) {
		ml_error("cannot write %s", path);
		return ML_EXIT_FAIL;
	}
	ml_svg_walk(f, w, pid, comm, name);
	if (f != stdout && fclose(f)) {
		ml_error("cannot write %s", path);
		return ML_EXIT_FAIL;
	}
	return ML_EXIT_OK;
}

static int ml_walk_show(const struct ml_walk *w, pid_t pid, int json,
			const char *svg, const char *colour)
{
	char comm[64], name[ML_PATH_MAX];
	struct ml_walk copy = *w;
	int ret = ML_EXIT_OK;

	ml_proc_comm(pid, comm, sizeof(comm));
	ml_walk_from_maps(pid, &copy, name, sizeof(name));
	if (svg)
		ret = ml_walk_svg(svg, &copy, pid, comm, name);
	if (json)
		ml_json_walk(stdout, &copy, pid, comm, name);
	else if (!svg || strcmp(svg, "-"))
		ml_draw_walk(stdout, &copy, pid, comm, name,
			     ml_use_colour(stdout, colour));
	return ret;
}

static int ml_walk_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "svg", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "color", required_argument, NULL, 'c' },
		{ "colour", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *svg = NULL, *colour = NULL;
	char text[ML_WALK_BUF];
	struct ml_walk w;
	int c, fd, ret, json = 0;
	uint64_t addr;
	pid_t pid;

	while ((c = getopt_long(argc, argv, "s:jh", opts, NULL)) != -1) {
		if (c == 'h')
			return ml_cmd_help(&ml_cmd_walk);
		if (c == 's')
			svg = optarg;
		else if (c == 'j')
			json = 1;
		else if (c == 'c' && (!strcmp(optarg, "auto") ||
				      !strcmp(optarg, "always") ||
				      !strcmp(optarg, "never")))
			colour = optarg;
		else
			return ml_cmd_bad_option(&ml_cmd_walk, argc, argv);
	}
	if (argc - optind != 2)
		return ml_usage_error("walk", "walk wants PID ADDR");
	ret = ml_cmd_target(argv[optind], argv[optind + 1], &fd, &pid, &addr);
	if (ret)
		return ret;
	ret = ml_mtest_translate(fd, pid, addr, text, sizeof(text));
	close(fd);
	if (ret)
		return ml_access_error(-ret, pid, addr, "walk");
	if (ml_walk_parse(text, &w)) {
		ml_error("mtest's answer is not a walk:\n%s", text);
		return ML_EXIT_FAIL;
	}
	return ml_walk_show(&w, pid, json, svg, colour);
}

const struct ml_cmd ml_cmd_walk = {
	.name = "walk",
	.run = ml_walk_run,
	.summary = "walk PID ADDR            the page-table walk, drawn",
	.help =
"usage: memlab walk [--json] [--svg FILE] [--color WHEN] PID ADDR\n"
"\n"
"Draws how the page tables of process PID translate ADDR: the address\n"
"split into the index bits of each level; one box per level with its\n"
"entry, decoded flags and the next table; then the page and its kind\n"
"(anonymous, file with its path and offset, zero page, KSM, THP,\n"
"hugetlb), or the swap entry or why there is no page.\n"
"\n"
"  --json        the walk as JSON, for scripts\n"
"  --svg FILE    also draw it as SVG into FILE (- for standard output,\n"
"                then without the terminal picture)\n"
"  --color WHEN  auto (default: on a terminal, unless NO_COLOR is set),\n"
"                always or never\n"
"\n"
"Physical addresses (frame numbers, tables, swap offsets) need root, as\n"
"in /proc/PID/pagemap; without it they read as hidden.\n",
};
