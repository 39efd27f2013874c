// SPDX-License-Identifier: GPL-2.0-only
/*
 * memlab maps PID: every mapping of a process, as pmap -x lists it, with
 * how many of its pages are present, swapped, THP, the zero page or KSM.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "diag.h"
#include "err.h"
#include "json.h"
#include "pagecount.h"
#include "proc.h"
#include "procmaps.h"

/* A count, or "-" when it cannot be known. */
static void ml_maps_cell(int known, uint64_t v, int width)
{
	if (known)
		printf(" %*" PRIu64, width, v);
	else
		printf(" %*s", width, "-");
}

static void ml_maps_row(const struct ml_vma *v, const struct ml_counts *c)
{
	printf("%016" PRIx64 " %8" PRIu64, v->start, (v->end - v->start) / 1024);
	ml_maps_cell(c->have_smaps, c->rss_kb, 7);
	ml_maps_cell(c->have_smaps, c->dirty_kb, 7);
	ml_maps_cell(c->have_smaps, c->swap_kb, 7);
	printf(" %s", v->perms);
	ml_maps_cell(c->counted, c->present, 7);
	ml_maps_cell(c->counted, c->swapped, 7);
	ml_maps_cell(c->have_flags || c->have_smaps, c->have_flags ? c->thp :
		     c->anon_huge_kb / 4, 6);
	ml_maps_cell(c->have_flags, c->zero, 6);
	ml_maps_cell(c->have_flags || c->have_ksm_kb, c->have_flags ? c->ksm :
		     c->ksm_kb / (sysconf(_SC_PAGESIZE) / 1024), 6);
	printf(" %s\n", v->path[0] ? v->path : "[ anon ]");
}

static void ml_maps_notes(const struct ml_pagecount *pc)
{
	printf("\nPresent, Swapped, THP, Zero and KSM count %ld KiB pages; the other columns are kB.\n",
	       sysconf(_SC_PAGESIZE) / 1024);
	if (pc->pagemap < 0)
		printf("Present and Swapped need /proc/PID/pagemap: %s.\n",
		       strerror(pc->pagemap_err));
	if (pc->kpageflags < 0)
		printf("Zero needs root (/proc/kpageflags); THP and KSM come from smaps.\n");
}

static int ml_maps_print(pid_t pid, int json)
{
	struct ml_pagecount pc;
	struct ml_counts *c;
	struct ml_maps maps;
	char comm[64];
	size_t i;
	int err = ml_maps_load(pid, &maps);

	if (err == -ENOENT || err == -ESRCH)
		return ml_access_error(ESRCH, pid, 0, "list");
	if (err)
		return ml_access_error(-err, pid, 0, "list");
	c = calloc(maps.n ? maps.n : 1, sizeof(*c));
	if (!c) {
		ml_maps_free(&maps);
		return ML_EXIT_FAIL;
	}
	ml_pagecount_open(pid, &pc);
	ml_smaps_load(pid, &maps, c);
	for (i = 0; i < maps.n; i++)
		ml_pagecount_vma(&pc, &maps.vma[i], &c[i]);
	ml_proc_comm(pid, comm, sizeof(comm));
	if (json) {
		ml_json_maps(stdout, pid, &maps, c, &pc);
	} else {
		printf("%d: %s\n", (int)pid, comm);
		printf("Address            Kbytes     RSS   Dirty    Swap Mode Present Swapped    THP   Zero    KSM Mapping\n");
		for (i = 0; i < maps.n; i++)
			ml_maps_row(&maps.vma[i], &c[i]);
		ml_maps_notes(&pc);
	}
	ml_pagecount_close(&pc);
	free(c);
	ml_maps_free(&maps);
	return ML_EXIT_OK;
}

static int ml_maps_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, json = 0, ret;
	pid_t pid;

	while ((c = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
		if (c == 'h')
			return ml_cmd_help(&ml_cmd_maps);
		if (c != 'j')
			return ml_cmd_bad_option(&ml_cmd_maps, argc, argv);
		json = 1;
	}
	if (argc - optind != 1)
		return ml_usage_error("maps", "maps wants PID");
	ret = ml_resolve_pid(argv[optind], &pid);
	return ret ? ret : ml_maps_print(pid, json);
}

const struct ml_cmd ml_cmd_maps = {
	.name = "maps",
	.run = ml_maps_run,
	.summary = "maps PID                 every mapping, with its page counts",
	.help =
"usage: memlab maps [--json] PID\n"
"\n"
"Lists every mapping of process PID as pmap -x does (address, size, RSS,\n"
"dirty and swapped kB, mode, mapping) and counts its pages: present,\n"
"swapped out, in a transparent huge page, the zero page, merged by KSM.\n"
"\n"
"It reads /proc/PID/maps, /proc/PID/smaps and /proc/PID/pagemap, which\n"
"need the same access as reading the process's memory. Zero pages need\n"
"/proc/kpageflags (root); without it, THP and KSM counts come from smaps\n"
"and Zero shows \"-\". It does not need /proc/mtest.\n",
};
