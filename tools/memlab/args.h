/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * memlab: command-line values (numbers, sizes, bytes) and the address
 * argument, resolved through /proc/PID/maps when it names a region.
 */
#ifndef MEMLAB_ARGS_H
#define MEMLAB_ARGS_H

#include <stdint.h>
#include <sys/types.h>

int ml_parse_u64(const char *s, uint64_t *v);
int ml_parse_hex(const char *s, uint64_t *v);
int ml_parse_size(const char *s, uint64_t *v);
int ml_parse_byte(const char *s, unsigned char *b);
int ml_resolve_addr(pid_t pid, const char *spec, uint64_t *addr);

#endif /* MEMLAB_ARGS_H */
