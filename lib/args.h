/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libmemlab: command-line values (numbers, sizes, bytes), parsed with no
 * side effect. Each returns 0 or -EINVAL.
 */
#ifndef MEMLAB_ARGS_H
#define MEMLAB_ARGS_H

#include <stdint.h>

int ml_parse_u64(const char *s, uint64_t *v);
int ml_parse_hex(const char *s, uint64_t *v);
int ml_parse_size(const char *s, uint64_t *v);
int ml_parse_byte(const char *s, unsigned char *b);

#endif /* MEMLAB_ARGS_H */
