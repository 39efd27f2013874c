/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * memlab test library: the "t" (translate) result of /proc/mtest as
 * key/value pairs, kept in the order the module printed them.
 */
#ifndef MEMLAB_TEST_XLATE_H
#define MEMLAB_TEST_XLATE_H

#include <stddef.h>
#include <sys/types.h>

#define XLATE_MAX	64

struct xlate {
	int n;
	char key[XLATE_MAX][16];
	char val[XLATE_MAX][256];
};

int xlate_parse(struct xlate *x, const char *text);
int xlate_query(int fd, pid_t pid, unsigned long addr, struct xlate *x);
const char *xlate_get(const struct xlate *x, const char *key);
int xlate_num(const struct xlate *x, const char *key, unsigned long long *v);
unsigned long long xlate_val(const struct xlate *x, const char *key);
const char *xlate_check(const struct xlate *x);
int xlate_arch_bit(const char *key);
void xlate_dump(const struct xlate *x, const char *prefix);

#endif /* MEMLAB_TEST_XLATE_H */
