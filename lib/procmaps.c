// SPDX-License-Identifier: GPL-2.0-only
/*
 * memlab: /proc/PID/maps, parsed into a table of mappings, and the
 * REGION+OFFSET addresses resolved through it.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "procmaps.h"

/* "start-end perms offset dev inode   path": returns 0 or -EINVAL. */
int ml_maps_parse_line(const char *line, struct ml_vma *v)
{
	unsigned long long start, end, off;
	unsigned long inode;
	char perms[8];
	int pos = 0;
	size_t len;

	if (sscanf(line, "%llx-%llx %7s %llx %*x:%*x %lu %n", &start, &end,
		   perms, &off, &inode, &pos) < 5 || !pos ||
	    strlen(perms) != 4)
		return -EINVAL;
	v->start = start;
	v->end = end;
	v->offset = off;
	v->inode = inode;
	memcpy(v->perms, perms, 5);
	v->path = strdup(line + pos);
	if (!v->path)
		return -ENOMEM;
	len = strlen(v->path);
	while (len && (v->path[len - 1] == '\n' || v->path[len - 1] == ' '))
		v->path[--len] = '\0';
	return 0;
}

static int ml_maps_add(struct ml_maps *maps, const char *line, size_t *cap)
{
	struct ml_vma *grown;

	if (maps->n == *cap) {
		*cap = *cap ? 2 * *cap : 64;
		grown = realloc(maps->vma, *cap * sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		maps->vma = grown;
	}
	if (ml_maps_parse_line(line, &maps->vma[maps->n]))
		return 0;	/* a line we do not understand is skipped */
	maps->n++;
	return 0;
}

/* Returns 0 or -errno (ENOENT: no such process; EACCES: not ours). */
int ml_maps_load(pid_t pid, struct ml_maps *maps)
{
	char path[64], *line = NULL;
	size_t cap = 0, lcap = 0;
	int err = 0;
	FILE *f;

	maps->vma = NULL;
	maps->n = 0;
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (!err && getline(&line, &lcap, f) > 0)
		err = ml_maps_add(maps, line, &cap);
	if (!err && ferror(f))
		err = -errno;
	free(line);
	fclose(f);
	if (err)
		ml_maps_free(maps);
	return err;
}

void ml_maps_free(struct ml_maps *maps)
{
	size_t i;

	for (i = 0; i < maps->n; i++)
		free(maps->vma[i].path);
	free(maps->vma);
	maps->vma = NULL;
	maps->n = 0;
}

const struct ml_vma *ml_maps_find(const struct ml_maps *maps, uint64_t addr)
{
	size_t i;

	for (i = 0; i < maps->n; i++)
		if (addr >= maps->vma[i].start && addr < maps->vma[i].end)
			return &maps->vma[i];
	return NULL;
}

/* The mappings just below and just above an unmapped @addr (or NULL). */
void ml_maps_nearest(const struct ml_maps *maps, uint64_t addr,
		     const struct ml_vma **below, const struct ml_vma **above)
{
	size_t i;

	*below = NULL;
	*above = NULL;
	for (i = 0; i < maps->n; i++) {
		const struct ml_vma *v = &maps->vma[i];

		if (v->end <= addr && (!*below || v->end > (*below)->end))
			*below = v;
		if (v->start > addr && (!*above || v->start < (*above)->start))
			*above = v;
	}
}

/* The last path component: what a user types for a mapped file. */
const char *ml_vma_name(const struct ml_vma *v)
{
	const char *slash = strrchr(v->path, '/');

	if (v->path[0] != '/')
		return v->path;
	return slash ? slash + 1 : v->path;
}

int ml_vma_is_file(const struct ml_vma *v)
{
	return v->path[0] == '/' && v->inode != 0;
}

/* "0x...-0x... rw-p [stack]" in a static buffer, for messages. */
const char *ml_vma_describe(const struct ml_vma *v)
{
	static char buf[512];

	snprintf(buf, sizeof(buf), "0x%" PRIx64 "-0x%" PRIx64 " %s %s",
		 v->start, v->end, v->perms,
		 v->path[0] ? v->path : "(anonymous)");
	return buf;
}

static int ml_vma_matches(const struct ml_vma *v, const char *name)
{
	if (!v->path[0])
		return 0;
	return !strcmp(v->path, name) || !strcmp(ml_vma_name(v), name);
}

/*
 * REGION or REGION+OFFSET: the offset counts from the start of the
 * region's lowest mapping (a file's load address). The split is at the
 * last '+' followed by a number, so "libstdc++.so.6+0x10" works.
 * Returns 0, -ENOENT (no such region) or -EINVAL (bad offset).
 */
int ml_maps_resolve(const struct ml_maps *maps, const char *spec,
		    uint64_t *addr)
{
	const struct ml_vma *base = NULL;
	char name[4096];
	const char *plus = strrchr(spec, '+');
	uint64_t off = 0;
	size_t i, len = strlen(spec);

	if (plus && !ml_parse_u64(plus + 1, &off))
		len = plus - spec;
	if (len >= sizeof(name))
		return -EINVAL;
	memcpy(name, spec, len);
	name[len] = '\0';
	for (i = 0; i < maps->n; i++) {
		const struct ml_vma *v = &maps->vma[i];

		if (ml_vma_matches(v, name) && (!base || v->start < base->start))
			base = v;
	}
	if (!base)
		return -ENOENT;
	*addr = base->start + off;
	return 0;
}
