/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * memlab: the walk drawn on a terminal, in ASCII boxes. The words come
 * from the walk model (walk.h); this renderer only lays them out.
 */
#ifndef MEMLAB_DRAW_H
#define MEMLAB_DRAW_H

#include <stdio.h>

#include "walk.h"

int ml_use_colour(FILE *f, const char *when);
void ml_draw_walk(FILE *f, const struct ml_walk *w, int pid,
		  const char *comm, const char *vma_name, int colour);

#endif /* MEMLAB_DRAW_H */
