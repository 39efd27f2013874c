// SPDX-License-Identifier: GPL-2.0-only
/*
 * memlab: JSON output. A value memlab does not know is null, never a
 * guess; keys of "t" it does not know are passed on under "extra".
 */
#include <inttypes.h>
#include <string.h>
#include <unistd.h>

#include "json.h"

/* A string, escaped as RFC 8259 requires. */
void ml_json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void ml_json_hex(FILE *f, const char *key, uint64_t v)
{
	fprintf(f, "\"%s\":\"0x%" PRIx64 "\"", key, v);
}

/* A flag the result may lack: true, false or null. */
static void ml_json_flag(FILE *f, const char *key, int v)
{
	fprintf(f, ",\"%s\":%s", key,
		v == ML_UNKNOWN ? "null" : v ? "true" : "false");
}

void ml_json_read(FILE *f, int pid, uint64_t addr, const unsigned char *b,
		  size_t n)
{
	size_t i;

	fprintf(f, "{\"pid\":%d,", pid);
	ml_json_hex(f, "addr", addr);
	fprintf(f, ",\"len\":%zu,\"hex\":\"", n);
	for (i = 0; i < n; i++)
		fprintf(f, "%02x", b[i]);
	fputs("\"}\n", f);
}

static void ml_json_level(FILE *f, const struct ml_walk *w, enum ml_level l)
{
	const char *names[12];
	size_t i, n = ml_entry_flags(w, l, names, 12);
	uint64_t next;

	fprintf(f, "{\"level\":\"%s\",\"index\":%u,\"bits\":[%u,%u],",
		ml_level_names[l], ml_walk_index(w, l),
		ml_walk_shift(w, l) + ml_walk_index_bits(w) - 1,
		ml_walk_shift(w, l));
	ml_json_hex(f, "entry", w->e[l].val);
	fputs(",\"table\":", f);
	if (w->e[l].has_table)
		fprintf(f, "\"0x%" PRIx64 "\"", w->e[l].table);
	else
		fputs("null", f);
	fputs(",\"flags\":[", f);
	for (i = 0; i < n; i++)
		fprintf(f, "%s\"%s\"", i ? "," : "", names[i]);
	fputs("],\"next_table\":", f);
	if (ml_walk_next_table(w, l, &next))
		fprintf(f, "\"0x%" PRIx64 "\"", next);
	else
		fputs("null", f);
	fputc('}', f);
}

static void ml_json_leaf(FILE *f, const struct ml_walk *w)
{
	char size[16];

	ml_size_name(size, sizeof(size), ml_walk_page_shift(w));
	fprintf(f, "{\"kind\":\"%s\",\"present\":%s,\"page_size\":%llu",
		ml_walk_kind(w), w->present == 1 ? "true" : "false",
		1ULL << ml_walk_page_shift(w));
	fputs(",\"pfn\":", f);
	if (w->has_pfn)
		fprintf(f, "\"0x%" PRIx64 "\",\"phys\":\"0x%" PRIx64 "\"",
			w->pfn, w->phys);
	else
		fputs("null,\"phys\":null", f);
	ml_json_flag(f, "writable", w->writable);
	ml_json_flag(f, "user", w->user);
	ml_json_flag(f, "accessed", w->accessed);
	ml_json_flag(f, "dirty", w->dirty);
	ml_json_flag(f, "huge", w->huge);
	ml_json_flag(f, "nx", w->nx);
	ml_json_flag(f, "anon", w->anon);
	ml_json_flag(f, "file", w->file);
	ml_json_flag(f, "ksm", w->ksm);
	ml_json_flag(f, "zero", w->zero);
	ml_json_flag(f, "thp", w->thp);
	ml_json_flag(f, "hugetlb", w->hugetlb);
	ml_json_flag(f, "swap", w->swap);
	if (w->has_counts)
		fprintf(f, ",\"refcount\":%ld,\"mapcount\":%ld", w->refcount,
			w->mapcount);
	else
		fputs(",\"refcount\":null,\"mapcount\":null", f);
	if (w->swap == 1)
		fprintf(f, ",\"swap_type\":%u,\"swap_offset\":%s%" PRIx64 "%s",
			w->swap_type, w->swap_offset ? "\"0x" : "",
			w->swap_offset, w->swap_offset ? "\"" : "");
	fputs(",\"file_path\":", f);
	if (w->path[0])
		ml_json_str(f, w->path);
	else
		fputs("null", f);
	fputs(",\"file_offset\":", f);
	if (w->has_file_off)
		fprintf(f, "\"0x%" PRIx64 "\"", w->file_off);
	else
		fputs("null", f);
	fputc('}', f);
}

void ml_json_walk(FILE *f, const struct ml_walk *w, int pid,
		  const char *comm, const char *vma_name)
{
	int l, first = 1, i;

	fprintf(f, "{\"pid\":%d,\"comm\":", pid);
	ml_json_str(f, comm);
	fputc(',', f);
	ml_json_hex(f, "addr", w->addr);
	fputs(",\"vma\":{", f);
	ml_json_hex(f, "start", w->vm_start);
	fputc(',', f);
	ml_json_hex(f, "end", w->vm_end);
	fprintf(f, ",\"perms\":\"%s\",\"name\":", w->perms);
	ml_json_str(f, vma_name ? vma_name : "");
	fprintf(f, "},\"levels\":%d,\"leaf_level\":\"%s\",\"walk\":[",
		w->levels, ml_level_names[w->leaf]);
	for (l = 0; l < ML_NLEVELS; l++) {
		if (!ml_walk_shown(w, l))
			continue;
		if (!first)
			fputc(',', f);
		first = 0;
		ml_json_level(f, w, l);
	}
	fputs("],\"leaf\":", f);
	ml_json_leaf(f, w);
	fputs(",\"extra\":{", f);
	for (i = 0; i < w->nextra; i++) {
		if (i)
			fputc(',', f);
		ml_json_str(f, w->extra[i].key);
		fputc(':', f);
		ml_json_str(f, w->extra[i].val);
	}
	fputs("}}\n", f);
}

static void ml_json_count(FILE *f, const char *key, int known, uint64_t v)
{
	if (known)
		fprintf(f, ",\"%s\":%" PRIu64, key, v);
	else
		fprintf(f, ",\"%s\":null", key);
}

static void ml_json_vma(FILE *f, const struct ml_vma *v,
			const struct ml_counts *c)
{
	fputc('{', f);
	ml_json_hex(f, "start", v->start);
	fputc(',', f);
	ml_json_hex(f, "end", v->end);
	fprintf(f, ",\"kbytes\":%" PRIu64 ",\"perms\":\"%s\",",
		(v->end - v->start) / 1024, v->perms);
	ml_json_hex(f, "offset", v->offset);
	fputs(",\"path\":", f);
	ml_json_str(f, v->path);
	ml_json_count(f, "rss_kb", c->have_smaps, c->rss_kb);
	ml_json_count(f, "dirty_kb", c->have_smaps, c->dirty_kb);
	ml_json_count(f, "swap_kb", c->have_smaps, c->swap_kb);
	ml_json_count(f, "present", c->counted, c->present);
	ml_json_count(f, "swapped", c->counted, c->swapped);
	ml_json_count(f, "thp", c->have_flags || c->have_smaps,
		      c->have_flags ? c->thp : c->anon_huge_kb / 4);
	ml_json_count(f, "zero", c->have_flags, c->zero);
	ml_json_count(f, "ksm", c->have_flags || c->have_ksm_kb,
		      c->have_flags ? c->ksm : c->ksm_kb / 4);
	fputc('}', f);
}

void ml_json_maps(FILE *f, int pid, const struct ml_maps *maps,
		  const struct ml_counts *c, const struct ml_pagecount *pc)
{
	size_t i;

	fprintf(f, "{\"pid\":%d,\"page_size\":%ld,\"sources\":{\"pagemap\":%s,\"kpageflags\":%s},\"vmas\":[",
		pid, sysconf(_SC_PAGESIZE), pc->pagemap >= 0 ? "true" : "false",
		pc->kpageflags >= 0 ? "true" : "false");
	for (i = 0; i < maps->n; i++) {
		if (i)
			fputc(',', f);
		ml_json_vma(f, &maps->vma[i], &c[i]);
	}
	fputs("]}\n", f);
}
