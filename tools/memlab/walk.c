// SPDX-License-Identifier: GPL-2.0-only
/*
 * memlab: the walk model. Parses the "key: value" lines of a "t" result
 * generically (a key memlab does not know is kept for --json, a missing one
 * leaves its field unknown), and derives from the raw x86-64 entries what
 * the result does not say.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "walk.h"

const char *const ml_level_names[ML_NLEVELS] = {
	"pgd", "p4d", "pud", "pmd", "pte",
};

/* x86-64 entry bits (arch/x86/include/asm/pgtable_types.h). */
#define ML_X86_PRESENT	(1ULL << 0)
#define ML_X86_RW	(1ULL << 1)
#define ML_X86_USER	(1ULL << 2)
#define ML_X86_PWT	(1ULL << 3)
#define ML_X86_PCD	(1ULL << 4)
#define ML_X86_ACCESSED	(1ULL << 5)
#define ML_X86_DIRTY	(1ULL << 6)
#define ML_X86_PSE	(1ULL << 7)
#define ML_X86_GLOBAL	(1ULL << 8)
#define ML_X86_NX	(1ULL << 63)
/* Physical address bits of an entry: 12 to 51. */
#define ML_X86_ADDR	0x000ffffffffff000ULL

static int ml_level_parse(const char *s)
{
	int l;

	for (l = 0; l < ML_NLEVELS; l++)
		if (!strcmp(s, ml_level_names[l]))
			return l;
	return -1;
}

static uint64_t ml_num(const char *s)
{
	return strtoull(s, NULL, 0);
}

/* "0x7ffd5f3a2000-0x7ffd5f3c3000 rw-p" */
static void ml_walk_vma(struct ml_walk *w, const char *v)
{
	unsigned long long s, e;

	if (sscanf(v, "%llx-%llx %4s", &s, &e, w->perms) != 3)
		return;
	w->vm_start = s;
	w->vm_end = e;
}

/* Keys whose value is a 0/1 flag, and where it goes. */
static int *ml_walk_flag(struct ml_walk *w, const char *key)
{
	static const char *const names[] = {
		"present", "writable", "user", "accessed", "dirty", "huge",
		"nx", "anon", "file", "ksm", "zero", "thp", "hugetlb", "swap",
	};
	int *fields[] = {
		&w->present, &w->writable, &w->user, &w->accessed, &w->dirty,
		&w->huge, &w->nx, &w->anon, &w->file, &w->ksm, &w->zero,
		&w->thp, &w->hugetlb, &w->swap,
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(key, names[i]))
			return fields[i];
	return NULL;
}

/* "pgd" .. "pte" (entries) and "pgd_table" .. "pte_table" (tables). */
static int ml_walk_level_key(struct ml_walk *w, const char *key,
			     const char *val)
{
	char name[8];
	int l;

	if (strlen(key) == 3) {
		l = ml_level_parse(key);
		if (l < 0)
			return 0;
		w->e[l].seen = 1;
		w->e[l].val = ml_num(val);
		return 1;
	}
	if (strlen(key) != 9 || strcmp(key + 3, "_table"))
		return 0;
	memcpy(name, key, 3);
	name[3] = '\0';
	l = ml_level_parse(name);
	if (l < 0)
		return 0;
	/* 0 is how the module hides a table's address without root. */
	w->e[l].table = ml_num(val);
	w->e[l].has_table = w->e[l].table != 0;
	return 1;
}

static void ml_walk_extra(struct ml_walk *w, const char *key, const char *val)
{
	struct ml_kv *kv;

	if (w->nextra == ML_EXTRA_MAX)
		return;
	kv = &w->extra[w->nextra++];
	snprintf(kv->key, sizeof(kv->key), "%s", key);
	snprintf(kv->val, sizeof(kv->val), "%s", val);
}

/* The keys with a value of their own. */
static int ml_walk_value_key(struct ml_walk *w, const char *key,
			     const char *val)
{
	if (!strcmp(key, "addr"))
		w->addr = ml_num(val);
	else if (!strcmp(key, "vma"))
		ml_walk_vma(w, val);
	else if (!strcmp(key, "levels"))
		w->levels = atoi(val);
	else if (!strcmp(key, "level"))
		w->leaf = ml_level_parse(val);
	else if (!strcmp(key, "pfn"))
		w->pfn = ml_num(val);
	else if (!strcmp(key, "phys"))
		w->phys = ml_num(val);
	else if (!strcmp(key, "refcount"))
		w->refcount = atol(val), w->has_counts = 1;
	else if (!strcmp(key, "mapcount"))
		w->mapcount = atol(val);
	else if (!strcmp(key, "swap_type"))
		w->swap_type = atoi(val);
	else if (!strcmp(key, "swap_offset"))
		w->swap_offset = ml_num(val);
	else if (!strcmp(key, "file_path"))
		snprintf(w->path, sizeof(w->path), "%s", val);
	else if (!strcmp(key, "file_offset"))
		w->file_off = ml_num(val), w->has_file_off = 1;
	else
		return 0;
	return 1;
}

static void ml_walk_line(struct ml_walk *w, char *line)
{
	char *val = strstr(line, ": ");
	int *flag;

	if (!val)
		return;
	*val = '\0';
	val += 2;
	flag = ml_walk_flag(w, line);
	if (flag)
		*flag = atoi(val) != 0;
	else if (!ml_walk_level_key(w, line, val) &&
		 !ml_walk_value_key(w, line, val))
		ml_walk_extra(w, line, val);
}

/* What the raw entries tell when the result does not. */
static void ml_walk_derive(struct ml_walk *w)
{
	if (w->pfn)
		w->has_pfn = 1;
	if (w->levels != 5)
		w->levels = 4;
	if (w->leaf >= 0 && w->nx == ML_UNKNOWN && w->present == 1)
		w->nx = !!(w->e[w->leaf].val & ML_X86_NX);
}

/* Returns 0, or -EINVAL when @text is no walk (no addr or level line). */
int ml_walk_parse(const char *text, struct ml_walk *w)
{
	char *copy = strdup(text), *line, *save = NULL;

	if (!copy)
		return -ENOMEM;
	memset(w, 0, sizeof(*w));
	w->leaf = -1;
	w->present = w->writable = w->user = w->accessed = ML_UNKNOWN;
	w->dirty = w->huge = w->nx = ML_UNKNOWN;
	w->anon = w->file = w->ksm = w->zero = ML_UNKNOWN;
	w->thp = w->hugetlb = w->swap = ML_UNKNOWN;
	for (line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		ml_walk_line(w, line);
	free(copy);
	ml_walk_derive(w);
	return w->leaf < 0 || !w->e[ML_PGD].seen ? -EINVAL : 0;
}

/* Levels drawn: those walked, without a p4d folded into the pgd. */
int ml_walk_shown(const struct ml_walk *w, enum ml_level l)
{
	if (l == ML_P4D && w->levels != 5)
		return 0;
	return (int)l <= w->leaf && w->e[l].seen;
}

unsigned int ml_walk_shift(const struct ml_walk *w, enum ml_level l)
{
	static const unsigned int shift[ML_NLEVELS] = { 39, 39, 30, 21, 12 };

	if (l == ML_PGD && w->levels == 5)
		return 48;
	return shift[l];
}

/* Each table has 512 entries: 9 bits of the address. */
unsigned int ml_walk_index(const struct ml_walk *w, enum ml_level l)
{
	return (w->addr >> ml_walk_shift(w, l)) & 511;
}

/* 12, 21 or 30: how many low address bits are the offset in the page. */
unsigned int ml_walk_page_shift(const struct ml_walk *w)
{
	if (w->present == 1 && w->leaf >= ML_PUD && w->leaf < ML_PTE)
		return ml_walk_shift(w, w->leaf);
	return 12;
}

uint64_t ml_walk_page_offset(const struct ml_walk *w)
{
	return w->addr & ((1ULL << ml_walk_page_shift(w)) - 1);
}

/* The physical address of the next table, when the entry shows it. */
int ml_walk_next_table(const struct ml_walk *w, enum ml_level l,
		       uint64_t *phys)
{
	int next;

	if ((int)l >= w->leaf)
		return 0;
	for (next = l + 1; next < ML_NLEVELS; next++)
		if (ml_walk_shown(w, next))
			break;
	if (next < ML_NLEVELS && w->e[next].has_table) {
		*phys = w->e[next].table;
		return 1;
	}
	*phys = w->e[l].val & ML_X86_ADDR;
	return *phys != 0;
}

int ml_walk_entry_is_leaf(const struct ml_walk *w, enum ml_level l)
{
	return (int)l == w->leaf;
}

/* Names of the flags set in the entry of level @l, at most @max. */
size_t ml_entry_flags(const struct ml_walk *w, enum ml_level l,
		      const char **names, size_t max)
{
	static const struct { uint64_t bit; const char *name; } bits[] = {
		{ ML_X86_PRESENT, "present" }, { ML_X86_RW, "writable" },
		{ ML_X86_USER, "user" }, { ML_X86_PWT, "write-through" },
		{ ML_X86_PCD, "uncached" }, { ML_X86_ACCESSED, "accessed" },
		{ ML_X86_DIRTY, "dirty" }, { ML_X86_PSE, "huge" },
		{ ML_X86_GLOBAL, "global" }, { ML_X86_NX, "no-exec" },
	};
	uint64_t v = w->e[l].val;
	size_t i, n = 0;

	if (!(v & ML_X86_PRESENT))
		return 0;
	for (i = 0; i < ARRAY_SIZE(bits) && n < max; i++) {
		/* In a PTE, bit 7 selects the memory type (PAT), not a size. */
		if (bits[i].bit == ML_X86_PSE && l == ML_PTE)
			continue;
		/* Dirty means something only in a leaf. */
		if (bits[i].bit == ML_X86_DIRTY && (int)l != w->leaf)
			continue;
		if (v & bits[i].bit)
			names[n++] = bits[i].name;
	}
	return n;
}

/* One word for the leaf: the kind of page, or why there is none. */
const char *ml_walk_kind(const struct ml_walk *w)
{
	if (w->present != 1) {
		if (w->swap == 1)
			return "swap";
		return w->path[0] ? "file-absent" : "none";
	}
	if (w->zero == 1)
		return "zero";
	if (w->ksm == 1)
		return "ksm";
	if (w->hugetlb == 1)
		return "hugetlb";
	if (w->thp == 1)
		return "thp";
	if (w->anon == 1)
		return "anon";
	if (w->file == 1)
		return "file";
	return "page";
}

/*
 * The file and offset of a file page, from its mapping (/proc/PID/maps),
 * unless the result gave them.
 */
void ml_walk_set_file(struct ml_walk *w, const char *path,
		      uint64_t vma_start, uint64_t vma_offset)
{
	uint64_t page = w->addr & ~((1ULL << ml_walk_page_shift(w)) - 1);

	if (w->path[0] || !path || path[0] != '/')
		return;
	snprintf(w->path, sizeof(w->path), "%s", path);
	if (!w->has_file_off) {
		w->file_off = vma_offset + (page - vma_start);
		w->has_file_off = 1;
		w->file_from_maps = 1;
	}
}
