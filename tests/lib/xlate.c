// SPDX-License-Identifier: GPL-2.0-only
/*
 * memlab test library: parse and check the "t" result of /proc/mtest.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "xlate.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/* Lines are "key: value\n"; anything else is a protocol error. */
int xlate_parse(struct xlate *x, const char *text)
{
	const char *p = text;

	x->n = 0;
	while (*p) {
		const char *colon = strchr(p, ':');
		const char *nl = strchr(p, '\n');
		size_t klen, vlen;

		if (!colon || !nl || colon > nl || colon[1] != ' ')
			return -EPROTO;
		klen = colon - p;
		vlen = nl - colon - 2;
		if (x->n == XLATE_MAX || !klen || klen >= sizeof(x->key[0]) ||
		    !vlen || vlen >= sizeof(x->val[0]))
			return -EPROTO;
		memcpy(x->key[x->n], p, klen);
		x->key[x->n][klen] = '\0';
		memcpy(x->val[x->n], colon + 2, vlen);
		x->val[x->n][vlen] = '\0';
		x->n++;
		p = nl + 1;
	}
	return x->n ? 0 : -EPROTO;
}

int xlate_query(int fd, pid_t pid, unsigned long addr, struct xlate *x)
{
	char buf[MTEST_WALK_MAX + 1];
	ssize_t n;
	int ret;

	ret = ml_mtest_cmd(fd, "t %d %#lx", (int)pid, addr);
	if (ret)
		return ret;
	n = ml_mtest_result(fd, buf, sizeof(buf));
	if (n < 0)
		return n;
	return xlate_parse(x, buf);
}

const char *xlate_get(const struct xlate *x, const char *key)
{
	int i;

	for (i = 0; i < x->n; i++)
		if (!strcmp(x->key[i], key))
			return x->val[i];
	return NULL;
}

/* Decimal or 0x-prefixed hex, the whole value. */
int xlate_num(const struct xlate *x, const char *key, unsigned long long *v)
{
	const char *s = xlate_get(x, key);
	char *end;

	if (!s)
		return -ENOENT;
	errno = 0;
	*v = strtoull(s, &end, 0);
	if (errno || *end || end == s || *s == '-')
		return -EPROTO;
	return 0;
}

/* For tests that already checked the format: a missing key reads as ~0. */
unsigned long long xlate_val(const struct xlate *x, const char *key)
{
	unsigned long long v;

	return xlate_num(x, key, &v) ? ~0ULL : v;
}

static const char * const xlate_walk[] = { "pgd", "p4d", "pud", "pmd", "pte" };
static const char * const xlate_leaf[] = {
	"present", "writable", "user", "accessed", "dirty", "huge", "pfn",
	"phys", "refcount", "mapcount", "anon", "file", "ksm", "zero", "thp",
	"hugetlb", "special",
};

/*
 * The arch part's keys of a present leaf, after nx, in order: bits of the
 * entry, as the uapi header lists them; none on x86-64.
 */
struct xlate_arch_key {
	const char *key;
	int bit;
};

#ifdef __aarch64__
#define XLATE_ARCH_BIT(key, bit, word)	{ key, bit },
static const struct xlate_arch_key xlate_arch_bits[] =
	MEMLAB_ARM64_LEAF_BITS(XLATE_ARCH_BIT);
static const int xlate_narch = sizeof(xlate_arch_bits) /
			       sizeof(xlate_arch_bits[0]);
#else
static const struct xlate_arch_key xlate_arch_bits[1];
static const int xlate_narch;
#endif

/* The bit of the leaf entry that arch key @key shows, or -1. */
int xlate_arch_bit(const char *key)
{
	int i;

	for (i = 0; i < xlate_narch; i++)
		if (!strcmp(key, xlate_arch_bits[i].key))
			return xlate_arch_bits[i].bit;
	return -1;
}

static int xlate_is_hex(const char *s)
{
	if (strncmp(s, "0x", 2) || !s[2])
		return 0;
	return strspn(s + 2, "0123456789abcdef") == strlen(s + 2);
}

static int xlate_is_dec(const char *s)
{
	return *s && strspn(s, "0123456789") == strlen(s);
}

static int xlate_is_bool(const char *s)
{
	return !strcmp(s, "0") || !strcmp(s, "1");
}

static char xlate_why[160];

__printf(1, 2) static const char *xlate_bad(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(xlate_why, sizeof(xlate_why), fmt, ap);
	va_end(ap);
	return xlate_why;
}

/* An escaped path: no control byte, and a backslash starts "\ooo". */
static int xlate_is_path(const char *s)
{
	for (; *s; s++) {
		if ((unsigned char)*s < ' ' || *s == 0x7f)
			return 0;
		if (*s == '\\' && (strspn(s + 1, "01234567") < 3 || s[1] > '3'))
			return 0;
	}
	return 1;
}

/*
 * What follows the leaf (or absent-page) lines: nx and the arch bits for a
 * present leaf, the table of every level walked, then a file's offset and
 * path. Returns the index after them, or -1 with xlate_why set.
 */
static int xlate_check_tail(const struct xlate *x, int i, int present,
			    int walked)
{
	char key[16];
	int k;

	for (k = -1; present && (k < 0 || k < xlate_narch); k++, i++) {
		const char *want = k < 0 ? "nx" : xlate_arch_bits[k].key;

		if (i == x->n || strcmp(x->key[i], want) ||
		    !xlate_is_bool(x->val[i])) {
			xlate_bad("\"%s: 0|1\" missing at line %d", want, i + 1);
			return -1;
		}
	}
	for (k = 0; k < walked; k++, i++) {
		snprintf(key, sizeof(key), "%s_table", xlate_walk[k]);
		if (i == x->n || strcmp(x->key[i], key) ||
		    !xlate_is_hex(x->val[i])) {
			xlate_bad("\"%s: 0x...\" missing at line %d", key, i + 1);
			return -1;
		}
	}
	if (i == x->n || strcmp(x->key[i], "file_offset"))
		return i;
	if (!xlate_is_hex(x->val[i++])) {
		xlate_bad("file_offset is not hex");
		return -1;
	}
	if (i < x->n && !strcmp(x->key[i], "file_path")) {
		if (x->val[i][0] != '/' || !xlate_is_path(x->val[i])) {
			xlate_bad("bad file_path \"%s\"", x->val[i]);
			return -1;
		}
		i++;
	}
	return i;
}

/*
 * Check the key order and value formats of the contract. Returns NULL when
 * the result is well formed, else a short description of the first problem.
 */
const char *xlate_check(const struct xlate *x)
{
	unsigned long s, e;
	char perms[8];
	int i = 0, w, k, present;

	if (x->n < 5 || strcmp(x->key[0], "addr") || !xlate_is_hex(x->val[0]))
		return xlate_bad("no \"addr: 0x...\" first");
	if (strcmp(x->key[1], "vma") ||
	    sscanf(x->val[1], "0x%lx-0x%lx %7s", &s, &e, perms) != 3 ||
	    strlen(perms) != 4 || !strchr("r-", perms[0]) ||
	    !strchr("w-", perms[1]) || !strchr("x-", perms[2]) ||
	    !strchr("ps", perms[3]) || s >= e)
		return xlate_bad("bad vma line \"%s\"", x->val[1]);
	if (strcmp(x->key[2], "levels") || (strcmp(x->val[2], "3") &&
					    strcmp(x->val[2], "4") &&
					    strcmp(x->val[2], "5")))
		return xlate_bad("bad levels line");
	for (i = 3, w = 0; i < x->n && w < 5; i++, w++) {
		if (strcmp(x->key[i], xlate_walk[w]))
			break;
		if (!xlate_is_hex(x->val[i]))
			return xlate_bad("%s is not hex", x->key[i]);
	}
	if (!w)
		return xlate_bad("no pgd line");
	if (i == x->n || strcmp(x->key[i], "level"))
		return xlate_bad("\"level\" missing after %s", xlate_walk[w - 1]);
	if (strcmp(x->val[i], xlate_walk[w - 1]))
		return xlate_bad("level: %s but walk printed down to %s", x->val[i],
			  xlate_walk[w - 1]);
	i++;
	if (i == x->n || strcmp(x->key[i], "present") ||
	    !xlate_is_bool(x->val[i]))
		return xlate_bad("\"present\" missing after level");
	present = !strcmp(x->val[i], "1");
	if (present) {
		for (k = 0; k < (int)ARRAY_SIZE(xlate_leaf);
		     k++, i++) {
			const char *v;

			if (i == x->n || strcmp(x->key[i], xlate_leaf[k]))
				return xlate_bad("expected \"%s\" at line %d", xlate_leaf[k],
					  i + 1);
			v = x->val[i];
			if (!strcmp(xlate_leaf[k], "pfn") ||
			    !strcmp(xlate_leaf[k], "phys")) {
				if (!xlate_is_hex(v))
					return xlate_bad("%s is not hex", xlate_leaf[k]);
			} else if (!strcmp(xlate_leaf[k], "refcount") ||
				   !strcmp(xlate_leaf[k], "mapcount")) {
				if (!xlate_is_dec(v))
					return xlate_bad("%s is not decimal", xlate_leaf[k]);
			} else if (!xlate_is_bool(v)) {
				return xlate_bad("%s is not 0|1", xlate_leaf[k]);
			}
		}
	} else {
		i++;
		if (i == x->n || strcmp(x->key[i], "swap") ||
		    !xlate_is_bool(x->val[i]))
			return xlate_bad("\"swap\" missing after present: 0");
		if (!strcmp(x->val[i++], "1")) {
			if (i == x->n || strcmp(x->key[i], "swap_type") ||
			    !xlate_is_dec(x->val[i]))
				return xlate_bad("\"swap_type\" missing");
			i++;
			if (i == x->n || strcmp(x->key[i], "swap_offset") ||
			    !xlate_is_hex(x->val[i]))
				return xlate_bad("\"swap_offset\" missing");
			i++;
		}
	}
	i = xlate_check_tail(x, i, present, w);
	if (i < 0)
		return xlate_why;
	if (i != x->n)
		return xlate_bad("unexpected \"%s\" after the last field", x->key[i]);
	return NULL;
}

/* For test logs: the result as the module printed it. */
void xlate_dump(const struct xlate *x, const char *prefix)
{
	int i;

	for (i = 0; i < x->n; i++)
		fprintf(stderr, "%s%s: %s\n", prefix, x->key[i], x->val[i]);
}
