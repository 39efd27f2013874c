/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * memlab: the walk as an SVG picture, for a slide or a web page.
 */
#ifndef MEMLAB_SVG_H
#define MEMLAB_SVG_H

#include <stdio.h>

#include "walk.h"

void ml_svg_text(FILE *f, const char *s);
void ml_svg_walk(FILE *f, const struct ml_walk *w, int pid, const char *comm,
		 const char *vma_name);

#endif /* MEMLAB_SVG_H */
