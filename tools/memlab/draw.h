/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * memlab: the walk drawn on a terminal, and the shared wording of the
 * picture (titles, leaf text) that the SVG uses too.
 */
#ifndef MEMLAB_DRAW_H
#define MEMLAB_DRAW_H

#include <stddef.h>
#include <stdio.h>

#include "walk.h"

/* The leaf of a walk, in words: a title and up to three lines. */
struct ml_leaf_text {
	char title[96];
	char line[3][600];
	int nlines;
	int bad;		/* no page: drawn in red */
};

/* One column of the address split: a level's index, or the page offset. */
struct ml_bits_col {
	char name[8];
	unsigned int hi, lo;	/* bit numbers */
	uint64_t value;
	int level;		/* enum ml_level, or -1 for the offset */
};

size_t ml_bits_columns(const struct ml_walk *w, struct ml_bits_col *cols);
void ml_binary(char *out, uint64_t v, unsigned int bits);
void ml_size_name(char *out, size_t size, unsigned int shift);
void ml_leaf_text(const struct ml_walk *w, struct ml_leaf_text *t);
void ml_entry_text(const struct ml_walk *w, enum ml_level l, char *flags,
		   size_t fsize, char *next, size_t nsize);
int ml_use_colour(FILE *f, const char *when);
void ml_draw_walk(FILE *f, const struct ml_walk *w, int pid,
		  const char *comm, const char *vma_name, int colour);

#endif /* MEMLAB_DRAW_H */
