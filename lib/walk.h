/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libmemlab: the walk model. The "t" result of /proc/mtest parsed into a
 * struct, plus what memlab derives itself: the index bits of each level,
 * the decoded flags of each entry, the next table's address, and the file
 * and offset of a file page. Keys it does not know are kept, not refused.
 * walk_text.c words it: the renderers lay it out.
 */
#ifndef MEMLAB_WALK_H
#define MEMLAB_WALK_H

#include <stddef.h>
#include <stdint.h>

enum ml_level { ML_PGD, ML_P4D, ML_PUD, ML_PMD, ML_PTE, ML_NLEVELS };

/* A flag the result may lack: ML_UNKNOWN. */
#define ML_UNKNOWN	(-1)
#define ML_EXTRA_MAX	16
#define ML_PATH_MAX	512

struct ml_entry {
	int seen;		/* the result has this level's line */
	uint64_t val;		/* the raw entry */
	int has_table;		/* the module told us the table's address */
	uint64_t table;		/* physical address of the table read */
};

struct ml_kv {
	char key[32];
	char val[96];
};

struct ml_walk {
	uint64_t addr;
	uint64_t vm_start, vm_end;
	char perms[5];
	int levels;		/* 2 to 5 */
	unsigned int page_shift;	/* this machine's: 12 for 4 KiB pages */
	int leaf;		/* enum ml_level where the walk ended, or -1 */
	struct ml_entry e[ML_NLEVELS];

	int present, writable, user, accessed, dirty, huge, nx;
	int has_pfn;
	uint64_t pfn, phys;
	int has_counts;
	long refcount, mapcount;
	int anon, file, ksm, zero, thp, hugetlb;

	int swap;
	unsigned int swap_type;
	uint64_t swap_offset;

	/*
	 * A file page: from "file_path" (control bytes and "\" escaped as
	 * \ooo) and "file_offset", else from /proc/PID/maps.
	 */
	char path[ML_PATH_MAX];
	int has_file_off;
	uint64_t file_off;	/* in bytes, of the page holding addr */
	int file_from_maps;

	struct ml_kv extra[ML_EXTRA_MAX];
	int nextra;
};

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

extern const char *const ml_level_names[ML_NLEVELS];

int ml_walk_parse(const char *text, struct ml_walk *w);
int ml_walk_shown(const struct ml_walk *w, enum ml_level l);
unsigned int ml_walk_index_bits(const struct ml_walk *w);
unsigned int ml_walk_shift(const struct ml_walk *w, enum ml_level l);
unsigned int ml_walk_index(const struct ml_walk *w, enum ml_level l);
unsigned int ml_walk_page_shift(const struct ml_walk *w);
uint64_t ml_walk_page_offset(const struct ml_walk *w);
int ml_walk_next_table(const struct ml_walk *w, enum ml_level l,
		       uint64_t *phys);
int ml_walk_entry_is_leaf(const struct ml_walk *w, enum ml_level l);
size_t ml_entry_flags(const struct ml_walk *w, enum ml_level l,
		      const char **names, size_t max);
const char *ml_walk_kind(const struct ml_walk *w);
void ml_walk_set_file(struct ml_walk *w, const char *path,
		      uint64_t vma_start, uint64_t vma_offset);

/* The words (walk_text.c). */
size_t ml_bits_columns(const struct ml_walk *w, struct ml_bits_col *cols);
void ml_binary(char *out, uint64_t v, unsigned int bits);
void ml_size_name(char *out, size_t size, unsigned int shift);
void ml_leaf_text(const struct ml_walk *w, struct ml_leaf_text *t);
void ml_entry_text(const struct ml_walk *w, enum ml_level l, char *flags,
		   size_t fsize, char *next, size_t nsize);

#endif /* MEMLAB_WALK_H */
