// SPDX-License-Identifier: GPL-2.0-only
/*
 * libmemlab: numbers on the command line, parsed strictly. Pure: no I/O,
 * no messages; the caller says what was wrong.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"

/* Digits of @base, all of @s, no sign: strtoull alone accepts "-1" and " 1". */
static int ml_parse_base(const char *s, int base, uint64_t *v)
{
	unsigned long long n;
	char *end;

	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return -EINVAL;
	errno = 0;
	n = strtoull(s, &end, base);
	if (errno || *end)
		return -EINVAL;
	*v = n;
	return 0;
}

/* Decimal, or hex with 0x; a leading zero is not octal (as mtest). */
int ml_parse_u64(const char *s, uint64_t *v)
{
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return s[2] ? ml_parse_base(s + 2, 16, v) : -EINVAL;
	return ml_parse_base(s, 10, v);
}

/* Hex, with or without 0x: the way addresses are written. */
int ml_parse_hex(const char *s, uint64_t *v)
{
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	return ml_parse_base(s, 16, v);
}

/* A number with an optional K, M or G (binary units, as in dd). */
int ml_parse_size(const char *s, uint64_t *v)
{
	char num[32];
	size_t len = strlen(s);
	unsigned int shift = 0;

	if (!len || len >= sizeof(num))
		return -EINVAL;
	switch (s[len - 1]) {
	case 'k':
	case 'K':
		shift = 10;
		break;
	case 'm':
	case 'M':
		shift = 20;
		break;
	case 'g':
	case 'G':
		shift = 30;
		break;
	}
	memcpy(num, s, len + 1);
	if (shift)
		num[len - 1] = '\0';
	if (ml_parse_u64(num, v) || *v > (UINT64_MAX >> shift))
		return -EINVAL;
	*v <<= shift;
	return 0;
}

int ml_parse_byte(const char *s, unsigned char *b)
{
	uint64_t v;

	if (ml_parse_u64(s, &v) || v > 255)
		return -EINVAL;
	*b = v;
	return 0;
}
