// SPDX-License-Identifier: GPL-2.0-only
/*
 * libmemlab: the walk model. Parses the "key: value" lines of a "t" result
 * generically (a key memlab does not know is kept for --json, a missing one
 * leaves its field unknown), and derives from the raw entries what the
 * result does not say. memlab runs on the machine whose walk it reads, so
 * the entry format is the one it was built for (x86-64 or arm64) and the
 * page size is its own.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "memlab.h"
#include "walk.h"

#define ML_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

const char *const ml_level_names[ML_NLEVELS] = {
	"pgd", "p4d", "pud", "pmd", "pte",
};

/*
 * A flag word of an entry. leaf: 1 where the bit means something only in
 * a leaf, -1 where it does not in a PTE (x86's bit 7 is PAT there).
 */
struct ml_flag_bit {
	uint64_t bit;
	const char *name;
	int leaf;
};

#if defined(__aarch64__)
/* arm64 descriptor bits (arch/arm64/include/asm/pgtable-hwdef.h). */
#define ML_ENTRY_PRESENT	(1ULL << 0)
#define ML_ENTRY_NX		(1ULL << 54)	/* UXN */
/* Only the module knows the address bits (page size, LPA2). */
#define ML_ENTRY_ADDR		0ULL

/*
 * The leaf attributes, named as the uapi header has them; valid means
 * something in a table entry too. ml_entry_flags() lists them by bit.
 */
#define ML_ARM64_BIT(key, bit, word)	{ 1ULL << (bit), word, (bit) != 0 },
static const struct ml_flag_bit ml_flag_bits[] =
	MEMLAB_ARM64_LEAF_BITS(ML_ARM64_BIT);
#else
/* x86-64 entry bits (arch/x86/include/asm/pgtable_types.h). */
#define ML_ENTRY_PRESENT	(1ULL << 0)
#define ML_X86_PSE		(1ULL << 7)
#define ML_X86_DIRTY		(1ULL << 6)
#define ML_ENTRY_NX		(1ULL << 63)
/* Physical address bits of an entry: 12 to 51. */
#define ML_ENTRY_ADDR		0x000ffffffffff000ULL

static const struct ml_flag_bit ml_flag_bits[] = {
	{ 1ULL << 0, "present", 0 }, { 1ULL << 1, "writable", 0 },
	{ 1ULL << 2, "user", 0 }, { 1ULL << 3, "write-through", 0 },
	{ 1ULL << 4, "uncached", 0 }, { 1ULL << 5, "accessed", 0 },
	{ ML_X86_DIRTY, "dirty", 1 }, { ML_X86_PSE, "huge", -1 },
	{ 1ULL << 8, "global", 0 }, { 1ULL << 63, "no-exec", 0 },
};
#endif

/* log2 of this machine's page size: 12 (4 KiB), 14 (16 KiB), 16. */
static unsigned int ml_host_page_shift(void)
{
	return __builtin_ctzl(sysconf(_SC_PAGESIZE));
}

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

	for (i = 0; i < ML_ARRAY_SIZE(names); i++)
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
	if (w->levels < 2 || w->levels > 5)
		w->levels = 4;
	if (w->leaf >= 0 && w->nx == ML_UNKNOWN && w->present == 1)
		w->nx = !!(w->e[w->leaf].val & ML_ENTRY_NX);
}

/* Returns 0, or -EINVAL when @text is no walk (no addr or level line). */
int ml_walk_parse(const char *text, struct ml_walk *w)
{
	char *copy = strdup(text), *line, *save = NULL;

	if (!copy)
		return -ENOMEM;
	memset(w, 0, sizeof(*w));
	w->page_shift = ml_host_page_shift();
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

/*
 * Levels drawn: those walked, without the levels folded into the pgd (the
 * p4d on 4 levels, also the pud on 3).
 */
int ml_walk_shown(const struct ml_walk *w, enum ml_level l)
{
	if (l != ML_PGD && (int)l < ML_NLEVELS - w->levels + 1)
		return 0;
	return (int)l <= w->leaf && w->e[l].seen;
}

/* Each table is one page of 8-byte entries: page_shift - 3 index bits. */
unsigned int ml_walk_index_bits(const struct ml_walk *w)
{
	return w->page_shift - 3;
}

/* The lowest address bit that indexes level @l. */
unsigned int ml_walk_shift(const struct ml_walk *w, enum ml_level l)
{
	unsigned int below = ML_PTE - l;

	/* The pgd indexes what the first level in use would. */
	if (l == ML_PGD)
		below = w->levels - 1;
	return w->page_shift + below * ml_walk_index_bits(w);
}

unsigned int ml_walk_index(const struct ml_walk *w, enum ml_level l)
{
	return (w->addr >> ml_walk_shift(w, l)) &
	       ((1U << ml_walk_index_bits(w)) - 1);
}

/* How many low address bits are the offset in the page (or huge page). */
unsigned int ml_walk_page_shift(const struct ml_walk *w)
{
	if (w->present == 1 && w->leaf >= ML_PUD && w->leaf < ML_PTE)
		return ml_walk_shift(w, w->leaf);
	return w->page_shift;
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
	/* A module older than the "_table" keys ran on x86-64 only. */
	*phys = w->e[l].val & ML_ENTRY_ADDR;
	return *phys != 0;
}

int ml_walk_entry_is_leaf(const struct ml_walk *w, enum ml_level l)
{
	return (int)l == w->leaf;
}

/* Whether flag @i of the table shows in the entry of level @l. */
static int ml_flag_shown(const struct ml_walk *w, enum ml_level l, size_t i)
{
	if (ml_flag_bits[i].leaf > 0 && (int)l != w->leaf)
		return 0;
	if (ml_flag_bits[i].leaf < 0 && l == ML_PTE)
		return 0;
	return !!(w->e[l].val & ml_flag_bits[i].bit);
}

/*
 * Names of the flags set in the entry of level @l, at most @max, from the
 * lowest bit up, whatever the order of the table.
 */
size_t ml_entry_flags(const struct ml_walk *w, enum ml_level l,
		      const char **names, size_t max)
{
	size_t i, n = 0;
	unsigned int b;

	if (!(w->e[l].val & ML_ENTRY_PRESENT))
		return 0;
	for (b = 0; b < 64 && n < max; b++)
		for (i = 0; i < ML_ARRAY_SIZE(ml_flag_bits) && n < max; i++)
			if (ml_flag_bits[i].bit == 1ULL << b &&
			    ml_flag_shown(w, l, i))
				names[n++] = ml_flag_bits[i].name;
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
