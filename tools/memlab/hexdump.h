/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * memlab: bytes as hexdump -C shows them: the address, 16 bytes in hex
 * (two groups of 8) and the same bytes as ASCII between bars.
 */
#ifndef MEMLAB_HEXDUMP_H
#define MEMLAB_HEXDUMP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define ML_HEX_PER_LINE		16
/* One line: address, 16 * "xx ", group gap, bars, 16 characters, NUL. */
#define ML_HEX_LINE_MAX		96

size_t ml_hexdump_line(char *out, uint64_t addr, const unsigned char *b,
		       size_t n);
void ml_hexdump(FILE *f, uint64_t addr, const unsigned char *b, size_t n);

#endif /* MEMLAB_HEXDUMP_H */
