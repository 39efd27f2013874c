// SPDX-License-Identifier: GPL-2.0-only
/*
 * tool_format: memlab's pure code on the host: hexdump lines, numbers and
 * addresses, /proc/PID/maps lines and regions, "r" results, the walk
 * model parsed from "t" text (README's example and others), its index
 * bits and flags, the leaf's words, and the terminal picture.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"

#include "args.h"
#include "client.h"
#include "draw.h"
#include "hexdump.h"
#include "pagecount.h"
#include "proc.h"
#include "procmaps.h"
#include "walk.h"

/* An x86-64 walk as root, with the keys t had first (README.md's old example). */
static const char t_anon[] =
	"addr: 0x7ffd5f3c1a20\nvma: 0x7ffd5f3a2000-0x7ffd5f3c3000 rw-p\n"
	"levels: 4\npgd: 0x800000010c1e6067\np4d: 0x800000010c1e6067\n"
	"pud: 0x10c1e5067\npmd: 0x10c1e4067\npte: 0x800000010c1df867\n"
	"level: pte\npresent: 1\nwritable: 1\nuser: 1\naccessed: 1\n"
	"dirty: 1\nhuge: 0\npfn: 0x10c1df\nphys: 0x10c1dfa20\nrefcount: 1\n"
	"mapcount: 1\nanon: 1\nfile: 0\nksm: 0\nzero: 0\nthp: 0\nhugetlb: 0\n";

/* A THP on 5-level paging, with keys the module may add later. */
static const char t_thp[] =
	"addr: 0x7f0000201234\nvma: 0x7f0000000000-0x7f0000400000 rw-p\n"
	"levels: 5\npgd: 0x1000067\np4d: 0x2000067\npud: 0x3000067\n"
	"pmd: 0x80000000040000e7\nlevel: pmd\npresent: 1\nwritable: 1\n"
	"user: 1\naccessed: 1\ndirty: 1\nhuge: 1\npfn: 0x4001\n"
	"phys: 0x4001234\nrefcount: 513\nmapcount: 1\nanon: 1\nfile: 0\n"
	"ksm: 0\nzero: 0\nthp: 1\nhugetlb: 0\npgd_table: 0x5000\n"
	"future_key: 42\n";

/* Swapped, unprivileged: no physical bits, no offset. */
static const char t_swap[] =
	"addr: 0x55550000\nvma: 0x55550000-0x55551000 rw-p\nlevels: 4\n"
	"pgd: 0x67\np4d: 0x67\npud: 0x67\npmd: 0x67\npte: 0x0\nlevel: pte\n"
	"present: 0\nswap: 1\nswap_type: 0\nswap_offset: 0x0\n";

TEST(hexdump_line_full)
{
	unsigned char b[16];
	char line[ML_HEX_LINE_MAX];
	int i;

	for (i = 0; i < 16; i++)
		b[i] = 'A' + i;
	b[15] = 0x7f;
	ml_hexdump_line(line, 0x7ffd5f3c1a20, b, 16);
	ASSERT_STREQ("7ffd5f3c1a20  41 42 43 44 45 46 47 48  49 4a 4b 4c 4d 4e 4f 7f  |ABCDEFGHIJKLMNO.|",
		     line);
}

TEST(hexdump_line_short_keeps_columns)
{
	char line[ML_HEX_LINE_MAX];

	ml_hexdump_line(line, 0x1000, (const unsigned char *)"hi\n", 3);
	ASSERT_STREQ("000000001000  68 69 0a                                          |hi.|",
		     line);
}

TEST(numbers)
{
	uint64_t v;
	unsigned char b;

	ASSERT_EQ(0, ml_parse_u64("010", &v));
	ASSERT_EQ(10, v);
	ASSERT_EQ(0, ml_parse_u64("0x1f", &v));
	ASSERT_EQ(31, v);
	ASSERT_NE(0, ml_parse_u64("-1", &v));
	ASSERT_NE(0, ml_parse_u64("0x", &v));
	ASSERT_NE(0, ml_parse_u64("12abc", &v));
	ASSERT_EQ(0, ml_parse_hex("7ffd5f3c1a20", &v));
	ASSERT_EQ(0x7ffd5f3c1a20ULL, v);
	ASSERT_NE(0, ml_parse_hex("[heap]", &v));
	ASSERT_EQ(0, ml_parse_size("1M", &v));
	ASSERT_EQ(1 << 20, v);
	ASSERT_EQ(0, ml_parse_size("0x10k", &v));
	ASSERT_EQ(16 << 10, v);
	ASSERT_NE(0, ml_parse_size("K", &v));
	ASSERT_EQ(0, ml_parse_byte("0xff", &b));
	ASSERT_EQ(255, b);
	ASSERT_NE(0, ml_parse_byte("256", &b));
}

TEST(r_result)
{
	unsigned char b[3];

	ASSERT_EQ(0, ml_parse_r_result("42 0 255\n", b, 3));
	ASSERT_EQ(42, b[0]);
	ASSERT_EQ(255, b[2]);
	ASSERT_NE(0, ml_parse_r_result("42 0\n", b, 3));
	ASSERT_NE(0, ml_parse_r_result("42 0 256\n", b, 3));
	ASSERT_NE(0, ml_parse_r_result("42 0 1 2\n", b, 3));
	/* The contract's form only: no leading zeros, single spaces. */
	ASSERT_NE(0, ml_parse_r_result("42 00 255\n", b, 3));
	ASSERT_NE(0, ml_parse_r_result("42 07 255\n", b, 3));
	ASSERT_NE(0, ml_parse_r_result("42  0 255\n", b, 3));
	ASSERT_NE(0, ml_parse_r_result("42 0 255", b, 3));
}

TEST(maps_line_and_regions)
{
	static const char *const lines[] = {
		"555555554000-555555556000 r--p 00000000 08:01 1234   /usr/lib/x86_64-linux-gnu/libstdc++.so.6\n",
		"555555556000-555555558000 r-xp 00002000 08:01 1234   /usr/lib/x86_64-linux-gnu/libstdc++.so.6\n",
		"555555558000-555555579000 rw-p 00000000 00:00 0      [heap]\n",
		"7ffff7fc1000-7ffff7fc5000 r--p 00000000 00:00 0      [vvar]\n",
		"7ffff7fd0000-7ffff7fd1000 rw-p 00000000 00:00 0\n",
	};
	struct ml_vma v[5];
	struct ml_maps maps = { .vma = v, .n = 5 };
	const struct ml_vma *below, *above;
	uint64_t a;
	int i;

	for (i = 0; i < 5; i++)
		ASSERT_EQ(0, ml_maps_parse_line(lines[i], &v[i]));
	ASSERT_STREQ("r-xp", v[1].perms);
	ASSERT_EQ(0x2000, v[1].offset);
	ASSERT_STREQ("libstdc++.so.6", ml_vma_name(&v[0]));
	ASSERT_STREQ("", v[4].path);
	ASSERT_EQ(0, ml_maps_resolve(&maps, "libstdc++.so.6+0x2010", &a));
	ASSERT_EQ(0x555555556010ULL, a);
	ASSERT_EQ(0, ml_maps_resolve(&maps, "[heap]", &a));
	ASSERT_EQ(0x555555558000ULL, a);
	ASSERT_EQ(-ENOENT, ml_maps_resolve(&maps, "[stack]+0x10", &a));
	ASSERT_EQ(&v[2], ml_maps_find(&maps, 0x555555578fff));
	ml_maps_nearest(&maps, 0x600000000000ULL, &below, &above);
	ASSERT_EQ(&v[2], below);
	ASSERT_EQ(&v[3], above);
	for (i = 0; i < 5; i++)
		free(v[i].path);
}

TEST(process_names)
{
	ASSERT_TRUE(ml_proc_name_matches("sleep", "sleep", "sleep"));
	ASSERT_TRUE(ml_proc_name_matches("memlab-target", "memlab-target", ""));
	ASSERT_TRUE(ml_proc_name_matches("a-very-long-program-name",
					 "a-very-long-pro", ""));
	ASSERT_TRUE(ml_proc_name_matches("python3", "python3.11", "python3"));
	ASSERT_FALSE(ml_proc_name_matches("sleep", "sleepy", "sleepy"));
}

TEST(walk_readme_example)
{
	const char *flags[12];
	struct ml_walk w;
	uint64_t next;
	size_t n;

	ASSERT_EQ(0, ml_walk_parse(t_anon, &w));
	ASSERT_EQ(0x7ffd5f3c1a20ULL, w.addr);
	ASSERT_EQ(4, w.levels);
	ASSERT_EQ(ML_PTE, w.leaf);
	ASSERT_FALSE(ml_walk_shown(&w, ML_P4D));
	ASSERT_TRUE(ml_walk_shown(&w, ML_PUD));
	/* 0x7ffd5f3c1a20: bits 47..39 = 255, 38..30 = 501, 29..21 = 249 */
	ASSERT_EQ(255, ml_walk_index(&w, ML_PGD));
	ASSERT_EQ(501, ml_walk_index(&w, ML_PUD));
	ASSERT_EQ(249, ml_walk_index(&w, ML_PMD));
	ASSERT_EQ(449, ml_walk_index(&w, ML_PTE));
	ASSERT_EQ(0xa20, ml_walk_page_offset(&w));
	ASSERT_TRUE(ml_walk_next_table(&w, ML_PGD, &next));
	ASSERT_EQ(0x10c1e6000ULL, next);
	ASSERT_EQ(1, w.nx);
	n = ml_entry_flags(&w, ML_PTE, flags, 12);
	ASSERT_EQ(6, n);
	ASSERT_STREQ("present", flags[0]);
	ASSERT_STREQ("no-exec", flags[5]);
	ASSERT_STREQ("anon", ml_walk_kind(&w));
	ASSERT_EQ(1, w.refcount);
}

/* arm64 with 16 KiB pages and arm64.nolva: 3 levels, 11 index bits each. */
static const char t_16k[] =
	"addr: 0x7fe4d5f6c123\nvma: 0x7fe4d5f00000-0x7fe4d6000000 rw-p\n"
	"levels: 3\npgd: 0x3\np4d: 0x3\npud: 0x3\npmd: 0x3\npte: 0x0\n"
	"level: pte\npresent: 0\nswap: 0\n";

TEST(walk_16k_3level_geometry)
{
	struct ml_bits_col cols[ML_NLEVELS + 1];
	struct ml_walk w;
	size_t n;

	ASSERT_EQ(0, ml_walk_parse(t_16k, &w));
	w.page_shift = 14;
	ASSERT_EQ(3, w.levels);
	ASSERT_EQ(11, ml_walk_index_bits(&w));
	ASSERT_TRUE(ml_walk_shown(&w, ML_PGD));
	ASSERT_FALSE(ml_walk_shown(&w, ML_P4D));
	ASSERT_FALSE(ml_walk_shown(&w, ML_PUD));
	ASSERT_TRUE(ml_walk_shown(&w, ML_PMD));
	/* pgd: bits 46..36, pmd: 35..25, pte: 24..14, offset 13..0 */
	ASSERT_EQ(36, ml_walk_shift(&w, ML_PGD));
	ASSERT_EQ(25, ml_walk_shift(&w, ML_PMD));
	ASSERT_EQ(14, ml_walk_page_shift(&w));
	ASSERT_EQ((0x7fe4d5f6c123ULL >> 36) & 2047, ml_walk_index(&w, ML_PGD));
	ASSERT_EQ((0x7fe4d5f6c123ULL >> 25) & 2047, ml_walk_index(&w, ML_PMD));
	ASSERT_EQ((0x7fe4d5f6c123ULL >> 14) & 2047, ml_walk_index(&w, ML_PTE));
	ASSERT_EQ(0x0123, ml_walk_page_offset(&w));
	n = ml_bits_columns(&w, cols);
	ASSERT_EQ(4, n);
	ASSERT_EQ(46, cols[0].hi);
	ASSERT_EQ(36, cols[0].lo);
	ASSERT_EQ(13, cols[3].hi);
	ASSERT_EQ(0x0123, cols[3].value);
}

TEST(walk_thp_5level_new_keys)
{
	struct ml_bits_col cols[ML_NLEVELS + 1];
	struct ml_walk w;
	uint64_t next;
	size_t n;

	ASSERT_EQ(0, ml_walk_parse(t_thp, &w));
	ASSERT_EQ(5, w.levels);
	ASSERT_EQ(ML_PMD, w.leaf);
	ASSERT_EQ(48, ml_walk_shift(&w, ML_PGD));
	ASSERT_EQ(21, ml_walk_page_shift(&w));
	ASSERT_EQ(0x1234, ml_walk_page_offset(&w));
	ASSERT_STREQ("thp", ml_walk_kind(&w));
	ASSERT_TRUE(w.e[ML_PGD].has_table);
	ASSERT_EQ(0x5000, w.e[ML_PGD].table);
	ASSERT_TRUE(ml_walk_next_table(&w, ML_P4D, &next));
	ASSERT_EQ(0x2000000, next);
	ASSERT_EQ(1, w.nextra);
	ASSERT_STREQ("future_key", w.extra[0].key);
	n = ml_bits_columns(&w, cols);
	ASSERT_EQ(5, n);
	ASSERT_EQ(56, cols[0].hi);
	ASSERT_STREQ("offset", cols[4].name);
	ASSERT_EQ(20, cols[4].hi);
}

TEST(walk_swap_unprivileged)
{
	struct ml_leaf_text t;
	struct ml_walk w;
	uint64_t next;

	ASSERT_EQ(0, ml_walk_parse(t_swap, &w));
	ASSERT_STREQ("swap", ml_walk_kind(&w));
	ASSERT_FALSE(ml_walk_next_table(&w, ML_PGD, &next));
	ASSERT_EQ(ML_UNKNOWN, w.nx);
	ml_leaf_text(&w, &t);
	ASSERT_STREQ("not present: swapped out", t.title);
	ASSERT_STREQ("swap entry: type 0, offset hidden (needs root)",
		     t.line[0]);
}

/* The module's tables, nx and file lines, as an unprivileged caller sees them. */
static const char t_file_user[] =
	"addr: 0x7f1234561005\nvma: 0x7f1234560000-0x7f1234562000 r--s\n"
	"levels: 4\npgd: 0x67\np4d: 0x67\npud: 0x67\npmd: 0x67\n"
	"pte: 0x8000000000000025\nlevel: pte\npresent: 1\nwritable: 0\n"
	"user: 1\naccessed: 1\ndirty: 0\nhuge: 0\npfn: 0x0\nphys: 0x0\n"
	"refcount: 0\nmapcount: 0\nanon: 0\nfile: 1\nksm: 0\nzero: 0\n"
	"thp: 0\nhugetlb: 0\nspecial: 0\nnx: 1\npgd_table: 0x0\n"
	"p4d_table: 0x0\npud_table: 0x0\npmd_table: 0x0\npte_table: 0x0\n"
	"file_offset: 0x3000\nfile_path: /tmp/a\\012pfn: 0x1234\n";

TEST(walk_module_file_keys)
{
	struct ml_walk w;
	uint64_t next;

	ASSERT_EQ(0, ml_walk_parse(t_file_user, &w));
	/* Hidden tables are no tables, and the raw entry shows none either. */
	ASSERT_FALSE(w.e[ML_PGD].has_table);
	ASSERT_FALSE(ml_walk_next_table(&w, ML_PGD, &next));
	ASSERT_EQ(1, w.nx);
	ASSERT_STREQ("/tmp/a\\012pfn: 0x1234", w.path);
	ASSERT_TRUE(w.has_file_off);
	ASSERT_EQ(0x3000, w.file_off);
	ASSERT_FALSE(w.has_pfn);
	ASSERT_EQ(0, w.pfn);
	/* The module's file wins over the mapping's. */
	ml_walk_set_file(&w, "/usr/lib/libc.so.6", 0x7f1234560000, 0);
	ASSERT_FALSE(w.file_from_maps);
	ASSERT_STREQ("file", ml_walk_kind(&w));
}

TEST(walk_file_from_maps)
{
	struct ml_walk w;

	ASSERT_EQ(0, ml_walk_parse(t_anon, &w));
	w.anon = 0;
	w.file = 1;
	ml_walk_set_file(&w, "/usr/lib/libc.so.6", 0x7ffd5f3a2000, 0x3000);
	ASSERT_STREQ("file", ml_walk_kind(&w));
	/* page 0x7ffd5f3c1000 is 0x1f000 into the mapping */
	ASSERT_EQ(0x22000, w.file_off);
	ASSERT_TRUE(w.file_from_maps);
}

TEST(walk_garbage_is_refused)
{
	struct ml_walk w;

	ASSERT_NE(0, ml_walk_parse("hello: world\n", &w));
	ASSERT_NE(0, ml_walk_parse("", &w));
}

TEST(pagemap_counts)
{
	uint64_t pm[4] = {
		1ULL << 63 | 5, 1ULL << 62, 0, 1ULL << 63 | 7,
	};
	uint64_t flags[4] = { 1ULL << 22, 0, 0, 1ULL << 24 };
	struct ml_counts c = { 0 };

	ml_counts_from_pagemap(&c, pm, flags, 4);
	ASSERT_EQ(4, c.pages);
	ASSERT_EQ(2, c.present);
	ASSERT_EQ(1, c.swapped);
	ASSERT_EQ(1, c.thp);
	ASSERT_EQ(1, c.zero);
	ASSERT_EQ(0, c.ksm);
}

/* The terminal picture of README's walk, without colour. */
TEST(draw_picture)
{
	struct ml_walk w;
	char *buf = NULL;
	size_t size = 0;
	FILE *f;

	ASSERT_EQ(0, ml_walk_parse(t_anon, &w));
	f = open_memstream(&buf, &size);
	ASSERT_NE(NULL, f);
	ml_draw_walk(f, &w, 1234, "cat", "[stack]", 0);
	fclose(f);
	ASSERT_NE(NULL, strstr(buf, "vma 0x7ffd5f3a2000-0x7ffd5f3c3000 rw-p [stack]\n"));
	ASSERT_NE(NULL, strstr(buf, "  binary   011111111  111110101  011111001  111000001  101000100000\n"));
	ASSERT_NE(NULL, strstr(buf, "| index 255   entry 0x800000010c1e6067"));
	ASSERT_NE(NULL, strstr(buf, "| -> next table at physical 0x10c1e6000"));
	ASSERT_NE(NULL, strstr(buf, "+- 4 KiB page: anonymous memory "));
	ASSERT_EQ(NULL, strchr(buf, '\033'));
	free(buf);
}

TEST_HARNESS_MAIN
