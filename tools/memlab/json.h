/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * memlab: --json output of read, walk and maps, for scripts. Numbers that
 * are addresses or raw entries are hex strings ("0x..."): JSON numbers lose
 * precision above 2^53 in most parsers.
 */
#ifndef MEMLAB_JSON_H
#define MEMLAB_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "pagecount.h"
#include "procmaps.h"
#include "walk.h"

void ml_json_str(FILE *f, const char *s);
void ml_json_read(FILE *f, int pid, uint64_t addr, const unsigned char *b,
		  size_t n);
void ml_json_walk(FILE *f, const struct ml_walk *w, int pid,
		  const char *comm, const char *vma_name);
void ml_json_maps(FILE *f, int pid, const struct ml_maps *maps,
		  const struct ml_counts *c, const struct ml_pagecount *pc);

#endif /* MEMLAB_JSON_H */
