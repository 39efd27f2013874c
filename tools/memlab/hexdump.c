// SPDX-License-Identifier: GPL-2.0-only
/*
 * memlab: hexdump -C style lines. Unlike hexdump, repeated lines are not
 * folded into "*": a student counting bytes wants to see every one. The
 * address has at least 12 digits, enough for any user address of 4-level
 * paging, so columns line up.
 */
#include <inttypes.h>
#include <stdio.h>

#include "hexdump.h"

static char ml_hex_printable(unsigned char c)
{
	return c >= 0x20 && c < 0x7f ? c : '.';
}

/* Formats up to 16 bytes into @out; returns the line's length. */
size_t ml_hexdump_line(char *out, uint64_t addr, const unsigned char *b,
		       size_t n)
{
	static const char hex[] = "0123456789abcdef";
	char *p = out;
	size_t i;

	if (n > ML_HEX_PER_LINE)
		n = ML_HEX_PER_LINE;
	p += sprintf(p, "%012" PRIx64 " ", addr);
	for (i = 0; i < ML_HEX_PER_LINE; i++) {
		if (i % 8 == 0)
			*p++ = ' ';
		if (i < n) {
			*p++ = hex[b[i] >> 4];
			*p++ = hex[b[i] & 15];
		} else {
			*p++ = ' ';
			*p++ = ' ';
		}
		*p++ = ' ';
	}
	*p++ = ' ';
	*p++ = '|';
	for (i = 0; i < n; i++)
		*p++ = ml_hex_printable(b[i]);
	*p++ = '|';
	*p = '\0';
	return p - out;
}

void ml_hexdump(FILE *f, uint64_t addr, const unsigned char *b, size_t n)
{
	char line[ML_HEX_LINE_MAX];
	size_t off;

	for (off = 0; off < n; off += ML_HEX_PER_LINE) {
		size_t len = n - off;

		if (len > ML_HEX_PER_LINE)
			len = ML_HEX_PER_LINE;
		ml_hexdump_line(line, addr + off, b + off, len);
		fprintf(f, "%s\n", line);
	}
}
