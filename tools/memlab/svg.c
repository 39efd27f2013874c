// SPDX-License-Identifier: GPL-2.0-only
/*
 * memlab: the walk as SVG. The same picture as on the terminal: the
 * address as a bar split into the index bits of each level, one box per
 * level joined by arrows, then the leaf. Each level has one colour, in the
 * bar and in its box. Plain SVG 1.1 with no script, font or external
 * reference, so that any browser or rsvg-convert renders it.
 */
#include <ctype.h>
#include <inttypes.h>
#include <string.h>

#include "svg.h"

#define ML_SVG_W	760
#define ML_SVG_X	20
#define ML_SVG_INNER	(ML_SVG_W - 2 * ML_SVG_X)
#define ML_SVG_ROW	18	/* text line height in a box */
#define ML_SVG_ARROW	28	/* gap between boxes, for the arrow */
#define ML_SVG_FONT	"font-family=\"DejaVu Sans Mono,Menlo,Consolas,monospace\""

/* Stroke and fill of each level, then of the offset. */
static const char *const ml_svg_stroke[ML_NLEVELS + 1] = {
	"#1f5fa8", "#7b4ab0", "#12808c", "#a86f00", "#2a8a2a", "#555555",
};
static const char *const ml_svg_fill[ML_NLEVELS + 1] = {
	"#dce8f7", "#ece2f6", "#d5f0f2", "#f7ebcf", "#dcf1dc", "#eeeeee",
};

/* Text content, escaped for XML. */
void ml_svg_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		default:
			/* Control characters are not allowed in XML 1.0. */
			fputc((unsigned char)*s < 0x20 ? '?' : *s, f);
		}
	}
}

static void ml_svg_label(FILE *f, int x, int y, const char *attrs,
			 const char *text)
{
	fprintf(f, "<text x=\"%d\" y=\"%d\" %s>", x, y, attrs);
	ml_svg_text(f, text);
	fputs("</text>\n", f);
}

static int ml_svg_colour(int level)
{
	return level < 0 ? ML_NLEVELS : level;
}

/* The address bar: one cell per column, as wide as its bits. */
static int ml_svg_bits(FILE *f, const struct ml_walk *w, int y)
{
	struct ml_bits_col cols[ML_NLEVELS + 1];
	size_t n = ml_bits_columns(w, cols), i;
	unsigned int total = cols[0].hi + 1;
	char text[96];
	int x = ML_SVG_X;

	snprintf(text, sizeof(text), "address 0x%016" PRIx64, w->addr);
	ml_svg_label(f, ML_SVG_X, y, "font-size=\"14\" font-weight=\"bold\"",
		     text);
	y += 10;
	for (i = 0; i < n; i++) {
		const struct ml_bits_col *c = &cols[i];
		int k = ml_svg_colour(c->level);
		int bits = c->hi - c->lo + 1;
		int wd = ML_SVG_INNER * bits / (int)total;
		char bin[72];

		/* The last cell takes what rounding left over. */
		if (i + 1 == n)
			wd = ML_SVG_X + ML_SVG_INNER - x;

		fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"74\" fill=\"%s\" stroke=\"%s\" stroke-width=\"2\"/>\n",
			x, y, wd, ml_svg_fill[k], ml_svg_stroke[k]);
		snprintf(text, sizeof(text), "%.7s  %u..%u", c->name, c->hi,
			 c->lo);
		fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"13\" font-weight=\"bold\" fill=\"%s\">",
			x + 6, y + 18, ml_svg_stroke[k]);
		ml_svg_text(f, text);
		fputs("</text>\n", f);
		ml_binary(bin, c->value, bits);
		ml_svg_label(f, x + 6, y + 40, "font-size=\"10\"", bin);
		if (c->level < 0)
			snprintf(text, sizeof(text), "0x%" PRIx64, c->value);
		else
			snprintf(text, sizeof(text), "index %" PRIu64,
				 c->value);
		ml_svg_label(f, x + 6, y + 62, "font-size=\"13\"", text);
		x += wd;
	}
	return y + 74;
}

/* A box with a title and @n lines; returns the y below it. */
static int ml_svg_box(FILE *f, int y, int k, int bad, const char *title,
		      char lines[][600], int n)
{
	const char *stroke = bad ? "#c62828" : ml_svg_stroke[k];
	const char *fill = bad ? "#fbe3e3" : ml_svg_fill[k];
	int h = 30 + ML_SVG_ROW * n, i;

	fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"8\" fill=\"%s\" stroke=\"%s\" stroke-width=\"2\"/>\n",
		ML_SVG_X, y, ML_SVG_INNER, h, fill, stroke);
	fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"14\" font-weight=\"bold\" fill=\"%s\">",
		ML_SVG_X + 10, y + 20, stroke);
	ml_svg_text(f, title);
	fputs("</text>\n", f);
	for (i = 0; i < n; i++)
		ml_svg_label(f, ML_SVG_X + 10, y + 20 + ML_SVG_ROW * (i + 1),
			     "font-size=\"13\"", lines[i]);
	return y + h;
}

static int ml_svg_arrow(FILE *f, int y)
{
	int x = ML_SVG_X + 60;

	fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333333\" stroke-width=\"2\" marker-end=\"url(#arrow)\"/>\n",
		x, y + 2, x, y + ML_SVG_ARROW - 8);
	return y + ML_SVG_ARROW;
}

static int ml_svg_level(FILE *f, const struct ml_walk *w, enum ml_level l,
			int y)
{
	char lines[4][600], title[48], flags[160], next[96];
	int n = 0;

	ml_entry_text(w, l, flags, sizeof(flags), next, sizeof(next));
	snprintf(title, sizeof(title), "%s  (index %u)", ml_level_names[l],
		 ml_walk_index(w, l));
	for (n = 0; title[n] && title[n] != ' '; n++)
		title[n] = toupper((unsigned char)title[n]);
	n = 0;
	snprintf(lines[n++], sizeof(lines[0]), "entry 0x%016" PRIx64,
		 w->e[l].val);
	if (w->e[l].has_table)
		snprintf(lines[n++], sizeof(lines[0]),
			 "table at physical 0x%" PRIx64, w->e[l].table);
	snprintf(lines[n++], sizeof(lines[0]), "%s", flags);
	if (next[0])
		snprintf(lines[n++], sizeof(lines[0]), "%s", next);
	y = ml_svg_box(f, y, l, !strcmp(flags, "not present"), title, lines,
		       n);
	return ml_svg_arrow(f, y);
}

/* The whole height, known before drawing: SVG wants it up front. */
static int ml_svg_height(const struct ml_walk *w)
{
	struct ml_leaf_text t;
	int l, h = 60 + 94 + 20;

	char flags[160], next[96];

	for (l = 0; l < ML_NLEVELS; l++) {
		if (!ml_walk_shown(w, l))
			continue;
		ml_entry_text(w, l, flags, sizeof(flags), next, sizeof(next));
		h += 30 + ML_SVG_ROW * (2 + !!w->e[l].has_table + !!next[0]) +
		     ML_SVG_ARROW;
	}
	ml_leaf_text(w, &t);
	return h + 30 + ML_SVG_ROW * t.nlines + 20;
}

static void ml_svg_header(FILE *f, const struct ml_walk *w, int pid,
			  const char *comm, const char *vma_name)
{
	char text[256];

	snprintf(text, sizeof(text), "memlab walk: pid %d (%s), %d-level paging",
		 pid, comm, w->levels);
	ml_svg_label(f, ML_SVG_X, 28, "font-size=\"16\" font-weight=\"bold\"",
		     text);
	snprintf(text, sizeof(text), "vma 0x%" PRIx64 "-0x%" PRIx64 " %s %s",
		 w->vm_start, w->vm_end, w->perms,
		 vma_name && vma_name[0] ? vma_name : "(anonymous)");
	ml_svg_label(f, ML_SVG_X, 48, "font-size=\"13\"", text);
}

void ml_svg_walk(FILE *f, const struct ml_walk *w, int pid, const char *comm,
		 const char *vma_name)
{
	struct ml_leaf_text t;
	int height = ml_svg_height(w), y, l;

	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" %s>\n",
		ML_SVG_W, height, ML_SVG_W, height, ML_SVG_FONT);
	fputs("<title>memlab walk</title>\n", f);
	fputs("<defs><marker id=\"arrow\" markerWidth=\"10\" markerHeight=\"10\" refX=\"5\" refY=\"5\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#333333\"/></marker></defs>\n",
	      f);
	fprintf(f, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n",
		ML_SVG_W, height);
	ml_svg_header(f, w, pid, comm, vma_name);
	y = ml_svg_bits(f, w, 76) + 20;
	for (l = 0; l < ML_NLEVELS; l++)
		if (ml_walk_shown(w, l))
			y = ml_svg_level(f, w, l, y);
	ml_leaf_text(w, &t);
	ml_svg_box(f, y, ML_NLEVELS, t.bad, t.title, t.line, t.nlines);
	fputs("</svg>\n", f);
}
