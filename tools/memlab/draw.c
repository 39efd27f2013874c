// SPDX-License-Identifier: GPL-2.0-only
/*
 * memlab: the walk on a terminal. First the address split into the index
 * bits of each level, then one box per level (its index, entry, decoded
 * flags and an arrow to the next table) and last the leaf: the page and
 * its kind, or why there is none. ASCII only, so that it survives any
 * terminal, log or mail; colour only on a terminal and without NO_COLOR.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "draw.h"

/* Characters inside a box, between "| " and " |". */
#define ML_BOX_TEXT	66

/* ANSI colours: one per level, so the bits and the boxes match. */
static const char *const ml_level_colour[ML_NLEVELS] = {
	"1;34", "1;35", "1;36", "1;33", "1;32",
};
#define ML_COL_OFFSET	"1"
#define ML_COL_FLAG	"32"
#define ML_COL_BAD	"1;31"
#define ML_COL_DIM	"2"

struct ml_draw {
	FILE *f;
	int colour;
};

/* --colour WHEN: always, never, or auto (a terminal and no NO_COLOR). */
int ml_use_colour(FILE *f, const char *when)
{
	const char *no = getenv("NO_COLOR");

	if (when && !strcmp(when, "always"))
		return 1;
	if (when && !strcmp(when, "never"))
		return 0;
	if (no && no[0])
		return 0;
	return isatty(fileno(f));
}

static void ml_paint(const struct ml_draw *d, const char *code,
		     const char *text)
{
	if (d->colour && code)
		fprintf(d->f, "\033[%sm%s\033[0m", code, text);
	else
		fputs(text, d->f);
}

/* "-----...-+": @n dashes and the corner, painted as one run. */
static void ml_box_edge(const struct ml_draw *d, const char *code, int n)
{
	char edge[ML_BOX_TEXT + 4];

	if (n < 0)
		n = 0;
	memset(edge, '-', n);
	edge[n] = '+';
	edge[n + 1] = '\0';
	ml_paint(d, code, edge);
	fputc('\n', d->f);
}

/* "+- TITLE ----...-+" */
static void ml_box_top(const struct ml_draw *d, const char *code,
		       const char *title)
{
	ml_paint(d, code, "+- ");
	ml_paint(d, code, title);
	fputc(' ', d->f);
	ml_box_edge(d, code, ML_BOX_TEXT - (int)strlen(title));
}

static void ml_box_bottom(const struct ml_draw *d, const char *code)
{
	ml_paint(d, code, "+");
	ml_box_edge(d, code, ML_BOX_TEXT + 2);
}

/* "| text    |", the text in @tcode; a long text keeps its end. */
static void ml_box_row(const struct ml_draw *d, const char *code,
		       const char *tcode, const char *text)
{
	size_t len = strlen(text);
	char buf[ML_BOX_TEXT + 1];

	if (len > ML_BOX_TEXT) {
		snprintf(buf, sizeof(buf), "...%s",
			 text + len - (ML_BOX_TEXT - 3));
		text = buf;
		len = ML_BOX_TEXT;
	}
	ml_paint(d, code, "|");
	fputc(' ', d->f);
	ml_paint(d, tcode, text);
	fprintf(d->f, "%*s ", (int)(ML_BOX_TEXT - len), "");
	ml_paint(d, code, "|");
	fputc('\n', d->f);
}

static void ml_arrow(const struct ml_draw *d)
{
	fprintf(d->f, "%8s|\n%8sv\n", "", "");
}

static void ml_draw_header(const struct ml_draw *d, const struct ml_walk *w,
			   int pid, const char *comm, const char *vma_name)
{
	fprintf(d->f, "pid %d (%s), address 0x%" PRIx64 "\n", pid, comm,
		w->addr);
	fprintf(d->f, "vma 0x%" PRIx64 "-0x%" PRIx64 " %s %s\n", w->vm_start,
		w->vm_end, w->perms, vma_name && vma_name[0] ? vma_name :
		"(anonymous)");
	fprintf(d->f, "%d-level paging%s\n\n", w->levels,
		w->levels == 5 ? "" : " (the p4d is folded into the pgd)");
}

static const char *ml_col_colour(const struct ml_bits_col *c)
{
	return c->level < 0 ? ML_COL_OFFSET : ml_level_colour[c->level];
}

/* The address split: one column per level, then the offset. */
static void ml_draw_bits(const struct ml_draw *d, const struct ml_walk *w)
{
	static const char *const rows[] = { "level", "bits", "binary", "index" };
	struct ml_bits_col cols[ML_NLEVELS + 1];
	size_t n = ml_bits_columns(w, cols), i, r;
	char cell[4][48];

	fprintf(d->f, "address 0x%016" PRIx64 "\n", w->addr);
	for (r = 0; r < 4; r++) {
		fprintf(d->f, "  %-7s", rows[r]);
		for (i = 0; i < n; i++) {
			const struct ml_bits_col *c = &cols[i];
			int width = c->hi - c->lo + 1;

			snprintf(cell[0], sizeof(cell[0]), "%.7s", c->name);
			snprintf(cell[1], sizeof(cell[1]), "%u..%u", c->hi,
				 c->lo);
			ml_binary(cell[2], c->value, width);
			if (c->level < 0)
				snprintf(cell[3], sizeof(cell[3]),
					 "0x%" PRIx64, c->value);
			else
				snprintf(cell[3], sizeof(cell[3]),
					 "%" PRIu64, c->value);
			fputs("  ", d->f);
			ml_paint(d, ml_col_colour(c), cell[r]);
			if (i + 1 < n)
				fprintf(d->f, "%*s",
					(int)(width < 9 ? 9 : width) -
					(int)strlen(cell[r]), "");
		}
		fputc('\n', d->f);
	}
	fputc('\n', d->f);
}

static void ml_draw_level(const struct ml_draw *d, const struct ml_walk *w,
			  enum ml_level l)
{
	const char *code = ml_level_colour[l];
	char title[32], text[ML_BOX_TEXT * 2], flags[160], next[96];
	size_t i;

	for (i = 0; i < 3; i++)
		title[i] = toupper((unsigned char)ml_level_names[l][i]);
	title[3] = '\0';
	ml_entry_text(w, l, flags, sizeof(flags), next, sizeof(next));
	ml_box_top(d, code, title);
	snprintf(text, sizeof(text), "index %-3u   entry 0x%016" PRIx64,
		 ml_walk_index(w, l), w->e[l].val);
	ml_box_row(d, code, NULL, text);
	if (w->e[l].has_table) {
		snprintf(text, sizeof(text), "table at physical 0x%" PRIx64,
			 w->e[l].table);
		ml_box_row(d, code, NULL, text);
	}
	ml_box_row(d, code, strcmp(flags, "not present") ? ML_COL_FLAG :
		   ML_COL_BAD, flags);
	if (next[0])
		ml_box_row(d, code, ML_COL_DIM, next);
	ml_box_bottom(d, code);
	ml_arrow(d);
}

static void ml_draw_leaf(const struct ml_draw *d, const struct ml_walk *w)
{
	struct ml_leaf_text t;
	const char *code;
	int i;

	ml_leaf_text(w, &t);
	code = t.bad ? ML_COL_BAD : "1";
	ml_box_top(d, code, t.title);
	for (i = 0; i < t.nlines; i++)
		ml_box_row(d, code, NULL, t.line[i]);
	ml_box_bottom(d, code);
}

void ml_draw_walk(FILE *f, const struct ml_walk *w, int pid,
		  const char *comm, const char *vma_name, int colour)
{
	struct ml_draw d = { .f = f, .colour = colour };
	int l;

	ml_draw_header(&d, w, pid, comm, vma_name);
	ml_draw_bits(&d, w);
	for (l = 0; l < ML_NLEVELS; l++)
		if (ml_walk_shown(w, l))
			ml_draw_level(&d, w, l);
	ml_draw_leaf(&d, w);
}
