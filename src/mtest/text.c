// SPDX-License-Identifier: GPL-2.0-only
/*
 * mtest: the text of every result, in one place: the bytes of "r" as
 * decimal numbers and the walk of "t" as "key: value" lines. Both are
 * written without vsnprintf, from lookup tables and fixed-size copies,
 * into buffers sized for their longest text.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitops.h>
#include <linux/bug.h>
#include <linux/dcache.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/string.h>
#include "memlab_compat.h"
#include "mtest_arch.h"
#include "text.h"
#include "walk.h"

/* "v " for every byte value, NUL-padded to 4 bytes, and its length. */
static u32 mtest_u8_text[256];
static u8 mtest_u8_len[256];

void mtest_text_init(void)
{
	char t[8];
	int v, n;

	for (v = 0; v < 256; v++) {
		memset(t, 0, sizeof(t));
		n = snprintf(t, sizeof(t), "%d ", v);
		memcpy(&mtest_u8_text[v], t, 4);
		mtest_u8_len[v] = n;
	}
}

/**
 * mtest_text_bytes() - append @n bytes as "v " decimal text
 * @ctx: a struct mtest_text_out whose buffer has MTEST_TEXT_BYTE_MAX bytes
 *       of room per byte, so that every 4-byte store is in bounds with no
 *       check per byte
 * @src: the bytes
 * @n: how many
 *
 * An mtest_sink_t, called with each page's part of an "r" range.
 */
void mtest_text_bytes(void *ctx, const u8 *src, unsigned int n)
{
	struct mtest_text_out *out = ctx;
	char *p = out->end;
	u8 v;

	while (n--) {
		v = *src++;
		memcpy(p, &mtest_u8_text[v], 4);
		p += mtest_u8_len[v];
	}
	out->end = p;
}

/**
 * mtest_text_bytes_finish() - end the "r" text: its last separator
 * becomes the final newline
 * @out: what mtest_text_bytes() wrote
 *
 * Return: the text's length.
 */
size_t mtest_text_bytes_finish(struct mtest_text_out *out)
{
	if (out->end > out->start)
		out->end[-1] = '\n';
	return out->end - out->start;
}

static const char * const mtest_level_names[MTEST_NR_LEVELS] = {
	"pgd", "p4d", "pud", "pmd", "pte",
};

/*
 * The "t" text without vsnprintf. Its lines but for a file's path take
 * about 700 bytes, under MTEST_TEXT_WALK_LINES, and the path has its own
 * room (mtest_text_file()), so the writers need no bounds check; literal
 * keys are fixed-size copies.
 */
#define mtest_put_lit(p, s)	(memcpy(p, s, sizeof(s) - 1), (p) + sizeof(s) - 1)

/* Level names are three letters. */
static char *mtest_put_level(char *p, enum mtest_level level)
{
	memcpy(p, mtest_level_names[level], 3);
	return p + 3;
}

static char *mtest_put_str(char *p, const char *s)
{
	size_t n = strlen(s);

	memcpy(p, s, n);
	return p + n;
}

static char *mtest_put_hex(char *p, u64 v)
{
	int n = v ? DIV_ROUND_UP(fls64(v), 4) : 1;
	char *end;

	*p++ = '0';
	*p++ = 'x';
	end = p + n;
	while (n--) {
		p[n] = hex_asc[v & 15];
		v >>= 4;
	}
	return end;
}

static char *mtest_put_dec(char *p, long v)
{
	unsigned long u = v < 0 ? -(unsigned long)v : v;
	char t[20];
	int i = 0;

	if (v < 0)
		*p++ = '-';
	do {
		t[i++] = '0' + u % 10;
		u /= 10;
	} while (u);
	while (i)
		*p++ = t[--i];
	return p;
}

static char *mtest_put_flag(char *p, bool v)
{
	*p++ = '0' + v;
	*p++ = '\n';
	return p;
}

static char *mtest_text_leaf(const struct mtest_walk *w, char *p)
{
	u64 phys = w->pfn_hidden ? 0 :
		   PFN_PHYS(w->pfn) | offset_in_page(w->addr);

	p = mtest_put_lit(p, "present: 1\nwritable: ");
	p = mtest_put_flag(p, w->writable);
	p = mtest_put_lit(p, "user: ");
	p = mtest_put_flag(p, w->user);
	p = mtest_put_lit(p, "accessed: ");
	p = mtest_put_flag(p, w->accessed);
	p = mtest_put_lit(p, "dirty: ");
	p = mtest_put_flag(p, w->dirty);
	p = mtest_put_lit(p, "huge: ");
	p = mtest_put_flag(p, w->level < MTEST_PTE);
	p = mtest_put_lit(p, "pfn: ");
	p = mtest_put_hex(p, w->pfn);
	p = mtest_put_lit(p, "\nphys: ");
	p = mtest_put_hex(p, phys);
	p = mtest_put_lit(p, "\nrefcount: ");
	p = mtest_put_dec(p, w->refcount);
	p = mtest_put_lit(p, "\nmapcount: ");
	p = mtest_put_dec(p, w->mapcount);
	p = mtest_put_lit(p, "\nanon: ");
	p = mtest_put_flag(p, w->anon);
	p = mtest_put_lit(p, "file: ");
	p = mtest_put_flag(p, w->file);
	p = mtest_put_lit(p, "ksm: ");
	p = mtest_put_flag(p, w->ksm);
	p = mtest_put_lit(p, "zero: ");
	p = mtest_put_flag(p, w->zero);
	p = mtest_put_lit(p, "thp: ");
	p = mtest_put_flag(p, w->thp);
	p = mtest_put_lit(p, "hugetlb: ");
	p = mtest_put_flag(p, w->hugetlb);
	p = mtest_put_lit(p, "special: ");
	return mtest_put_flag(p, w->special);
}

/* Execute-never, then the leaf's bits that only the arch part knows. */
static char *mtest_text_leaf_bits(const struct mtest_walk *w, char *p)
{
	const struct mtest_arch_bit *bits;
	u64 entry = w->entry[w->level];
	unsigned int i, n;

	p = mtest_put_lit(p, "nx: ");
	p = mtest_put_flag(p, w->nx);
	bits = mtest_arch_leaf_bits(&n);
	for (i = 0; i < n; i++) {
		p = mtest_put_str(p, bits[i].key);
		p = mtest_put_lit(p, ": ");
		p = mtest_put_flag(p, entry & bits[i].bit);
	}
	return p;
}

static char *mtest_text_absent(const struct mtest_walk *w, char *p)
{
	if (!w->swap)
		return mtest_put_lit(p, "present: 0\nswap: 0\n");
	p = mtest_put_lit(p, "present: 0\nswap: 1\nswap_type: ");
	p = mtest_put_dec(p, w->swap_type);
	p = mtest_put_lit(p, "\nswap_offset: ");
	p = mtest_put_hex(p, w->swap_offset);
	*p++ = '\n';
	return p;
}

/* The table read at each level. */
static char *mtest_text_tables(const struct mtest_walk *w, char *p)
{
	enum mtest_level level;

	for (level = MTEST_PGD; level <= w->level; level++) {
		p = mtest_put_level(p, level);
		p = mtest_put_lit(p, "_table: ");
		p = mtest_put_hex(p, w->table[level]);
		*p++ = '\n';
	}
	return p;
}

/*
 * Bytes of a path that could break a line or forge one (a file named
 * "a\npfn: 0x1234"), and the backslash, so that every escape is one: as
 * \ooo, which /proc/PID/maps uses for "\n".
 */
static bool mtest_text_escaped(unsigned char c)
{
	return c < ' ' || c == 0x7f || c == '\\';
}

/*
 * The offset in the file of addr's page and the file's path, last.
 * d_path() writes the path at the end of the buffer, PATH_MAX bytes at
 * most, and it is escaped forward from there: the text before it ends
 * within MTEST_TEXT_WALK_LINES bytes, so writing four bytes for every byte
 * read never reaches a byte not yet read. A path over PATH_MAX is left out.
 */
static char *mtest_text_file(const struct mtest_walk *w, char *p, char *end)
{
	const char *path;
	unsigned char c;

	p = mtest_put_lit(p, "file_offset: ");
	p = mtest_put_hex(p, w->file_offset);
	*p++ = '\n';
	path = d_path(memlab_file_user_path(w->vm_file), end - PATH_MAX,
		      PATH_MAX);
	if (IS_ERR(path))
		return p;
	p = mtest_put_lit(p, "file_path: ");
	while ((c = *path++)) {
		if (!mtest_text_escaped(c)) {
			*p++ = c;
			continue;
		}
		*p++ = '\\';
		*p++ = '0' + (c >> 6);
		*p++ = '0' + ((c >> 3) & 7);
		*p++ = '0' + (c & 7);
	}
	*p++ = '\n';
	return p;
}

/**
 * mtest_text_walk() - the "t" text of a walk
 * @w: what mtest_walk() found, through mtest_walk_hide() for a caller
 *     who may not see physical addresses
 * @buf: where the "key: value" text goes
 * @size: room in @buf, at least MTEST_TEXT_WALK_MAX
 *
 * Return: the text's length, or -EINVAL if @buf is too small.
 */
int mtest_text_walk(const struct mtest_walk *w, char *buf, size_t size)
{
	unsigned long f = w->vm_flags;
	enum mtest_level level;
	char *p = buf;

	if (WARN_ON_ONCE(size < MTEST_TEXT_WALK_MAX))
		return -EINVAL;
	p = mtest_put_lit(p, "addr: ");
	p = mtest_put_hex(p, w->addr);
	p = mtest_put_lit(p, "\nvma: ");
	p = mtest_put_hex(p, w->vm_start);
	*p++ = '-';
	p = mtest_put_hex(p, w->vm_end);
	*p++ = ' ';
	*p++ = f & VM_READ ? 'r' : '-';
	*p++ = f & VM_WRITE ? 'w' : '-';
	*p++ = f & VM_EXEC ? 'x' : '-';
	*p++ = f & VM_SHARED ? 's' : 'p';
	p = mtest_put_lit(p, "\nlevels: ");
	*p++ = '0' + w->levels;
	*p++ = '\n';
	for (level = MTEST_PGD; level <= w->level; level++) {
		p = mtest_put_level(p, level);
		p = mtest_put_lit(p, ": ");
		p = mtest_put_hex(p, w->entry[level]);
		*p++ = '\n';
	}
	p = mtest_put_lit(p, "level: ");
	p = mtest_put_level(p, w->level);
	*p++ = '\n';
	if (w->present) {
		p = mtest_text_leaf(w, p);
		p = mtest_text_leaf_bits(w, p);
	} else {
		p = mtest_text_absent(w, p);
	}
	p = mtest_text_tables(w, p);
	if (w->vm_file)
		p = mtest_text_file(w, p, buf + MTEST_TEXT_WALK_MAX);
	*p = '\0';
	return p - buf;
}
