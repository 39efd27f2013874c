/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * memlab test library: the /proc/maptest buffer layout.
 */
#ifndef MEMLAB_TEST_MAPBUF_H
#define MEMLAB_TEST_MAPBUF_H

#include <stddef.h>

long mapbuf_size(void);
int mapbuf_has_marker(const char *page, size_t len, unsigned int p);
const char *mapbuf_check(const char *buf, size_t size);

#endif /* MEMLAB_TEST_MAPBUF_H */
