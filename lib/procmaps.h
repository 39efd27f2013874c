/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * memlab: the mappings of a process, from /proc/PID/maps, and addresses
 * given as a region and an offset ([heap]+0x10, libc.so.6+0x1234).
 */
#ifndef MEMLAB_PROCMAPS_H
#define MEMLAB_PROCMAPS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct ml_vma {
	uint64_t start;
	uint64_t end;
	uint64_t offset;	/* in the file, of start */
	unsigned long inode;
	char perms[5];		/* "rw-p" */
	char *path;		/* "" for anonymous memory */
};

struct ml_maps {
	struct ml_vma *vma;
	size_t n;
};

int ml_maps_parse_line(const char *line, struct ml_vma *v);
int ml_maps_load(pid_t pid, struct ml_maps *maps);
void ml_maps_free(struct ml_maps *maps);
const struct ml_vma *ml_maps_find(const struct ml_maps *maps, uint64_t addr);
void ml_maps_nearest(const struct ml_maps *maps, uint64_t addr,
		     const struct ml_vma **below, const struct ml_vma **above);
int ml_maps_resolve(const struct ml_maps *maps, const char *spec,
		    uint64_t *addr);
const char *ml_vma_name(const struct ml_vma *v);
const char *ml_vma_describe(const struct ml_vma *v);
int ml_vma_is_file(const struct ml_vma *v);

#endif /* MEMLAB_PROCMAPS_H */
