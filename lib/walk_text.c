// SPDX-License-Identifier: GPL-2.0-only
/*
 * libmemlab: the walk in words. What each part of the picture says (the
 * columns of the address split, an entry's flags and arrow, the leaf's
 * title and lines), so that the terminal, SVG and JSON renderers only lay
 * it out.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "walk.h"

/* "4 KiB", "2 MiB", "1 GiB" for a page of 1 << @shift bytes. */
void ml_size_name(char *out, size_t size, unsigned int shift)
{
	if (shift >= 30)
		snprintf(out, size, "%u GiB", 1U << (shift - 30));
	else if (shift >= 20)
		snprintf(out, size, "%u MiB", 1U << (shift - 20));
	else
		snprintf(out, size, "%u KiB", 1U << (shift - 10));
}

void ml_binary(char *out, uint64_t v, unsigned int bits)
{
	unsigned int i;

	for (i = 0; i < bits; i++)
		out[i] = (v >> (bits - 1 - i)) & 1 ? '1' : '0';
	out[bits] = '\0';
}

/*
 * The columns of the address: every level walked, then the rest of the
 * bits, the offset in the page (or below the entry where the walk ended).
 */
size_t ml_bits_columns(const struct ml_walk *w, struct ml_bits_col *cols)
{
	unsigned int low = w->page_shift;
	size_t n = 0;
	int l;

	for (l = 0; l < ML_NLEVELS; l++) {
		struct ml_bits_col *c = &cols[n];

		if (!ml_walk_shown(w, l))
			continue;
		snprintf(c->name, sizeof(c->name), "%s", ml_level_names[l]);
		c->lo = ml_walk_shift(w, l);
		c->hi = c->lo + ml_walk_index_bits(w) - 1;
		c->value = ml_walk_index(w, l);
		c->level = l;
		low = c->lo;
		n++;
	}
	snprintf(cols[n].name, sizeof(cols[n].name), "offset");
	cols[n].hi = low - 1;
	cols[n].lo = 0;
	cols[n].value = w->addr & ((1ULL << low) - 1);
	cols[n].level = -1;
	return n + 1;
}

/* The flag words of an entry, and where its arrow points. */
void ml_entry_text(const struct ml_walk *w, enum ml_level l, char *flags,
		   size_t fsize, char *next, size_t nsize)
{
	const char *names[12];
	size_t i, n = ml_entry_flags(w, l, names, 12);
	uint64_t phys;
	int pos = 0;

	flags[0] = '\0';
	for (i = 0; i < n && pos < (int)fsize; i++)
		pos += snprintf(flags + pos, fsize - pos, "%s%s",
				i ? " " : "", names[i]);
	if (!n)
		snprintf(flags, fsize, "not present");
	next[0] = '\0';
	if (ml_walk_entry_is_leaf(w, l) || !n)
		return;
	if (ml_walk_next_table(w, l, &phys))
		snprintf(next, nsize, "-> next table at physical 0x%" PRIx64,
			 phys);
	else
		snprintf(next, nsize,
			 "-> next table (its physical address needs root)");
}

static void ml_leaf_present(const struct ml_walk *w, struct ml_leaf_text *t)
{
	const char *kind = ml_walk_kind(w);
	char size[16];
	int n = 0;

	ml_size_name(size, sizeof(size), ml_walk_page_shift(w));
	if (!strcmp(kind, "zero"))
		snprintf(t->title, sizeof(t->title), "%s page: the shared zero page", size);
	else if (!strcmp(kind, "ksm"))
		snprintf(t->title, sizeof(t->title), "%s page: KSM, merged with identical pages", size);
	else if (!strcmp(kind, "hugetlb"))
		snprintf(t->title, sizeof(t->title), "%s page: hugetlb", size);
	else if (!strcmp(kind, "thp"))
		snprintf(t->title, sizeof(t->title), "%s page: transparent huge page (THP)", size);
	else if (!strcmp(kind, "anon"))
		snprintf(t->title, sizeof(t->title), "%s page: anonymous memory", size);
	else if (!strcmp(kind, "file"))
		snprintf(t->title, sizeof(t->title), "%s page: file", size);
	else
		snprintf(t->title, sizeof(t->title), "%s page", size);
	if (w->has_pfn)
		snprintf(t->line[n++], sizeof(t->line[0]),
			 "pfn 0x%" PRIx64 "  physical address 0x%" PRIx64,
			 w->pfn, w->phys);
	else
		snprintf(t->line[n++], sizeof(t->line[0]),
			 "pfn hidden (needs root); offset in page 0x%" PRIx64,
			 ml_walk_page_offset(w));
	/* A private copy is no longer the file's page: --json still says. */
	if (w->path[0] && w->has_file_off && w->anon != 1)
		snprintf(t->line[n++], sizeof(t->line[0]),
			 "%s at offset 0x%" PRIx64, w->path, w->file_off);
	if (w->has_counts)
		snprintf(t->line[n++], sizeof(t->line[0]),
			 "refcount %ld  mapcount %ld", w->refcount,
			 w->mapcount);
	t->nlines = n;
}

static void ml_leaf_absent(const struct ml_walk *w, struct ml_leaf_text *t)
{
	const char *kind = ml_walk_kind(w);
	int n = 0;

	t->bad = 1;
	if (!strcmp(kind, "swap")) {
		snprintf(t->title, sizeof(t->title),
			 "not present: swapped out");
		if (w->swap_offset)
			snprintf(t->line[n++], sizeof(t->line[0]),
				 "swap entry: type %u, offset 0x%" PRIx64,
				 w->swap_type, w->swap_offset);
		else
			snprintf(t->line[n++], sizeof(t->line[0]),
				 "swap entry: type %u, offset hidden (needs root)",
				 w->swap_type);
		snprintf(t->line[n++], sizeof(t->line[0]),
			 "a read faults it back in from swap");
	} else if (!strcmp(kind, "file-absent")) {
		snprintf(t->title, sizeof(t->title),
			 "not present: file page not mapped yet");
		snprintf(t->line[n++], sizeof(t->line[0]),
			 "%s at offset 0x%" PRIx64, w->path, w->file_off);
		snprintf(t->line[n++], sizeof(t->line[0]),
			 "a read faults it in from the page cache");
	} else {
		snprintf(t->title, sizeof(t->title),
			 "not present: no page here yet");
		snprintf(t->line[n++], sizeof(t->line[0]),
			 "the %s entry is empty; the first touch allocates",
			 ml_level_names[w->leaf]);
	}
	t->nlines = n;
}

void ml_leaf_text(const struct ml_walk *w, struct ml_leaf_text *t)
{
	memset(t, 0, sizeof(*t));
	if (w->present == 1)
		ml_leaf_present(w, t);
	else
		ml_leaf_absent(w, t);
}
