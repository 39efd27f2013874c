/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libmemlab: the /proc/maptest buffer, as the module fills it.
 */
#ifndef MEMLAB_MAPBUF_H
#define MEMLAB_MAPBUF_H

#include <stddef.h>

long ml_mapbuf_size(void);
int ml_mapbuf_has_marker(const char *page, size_t len, unsigned int p);
const char *ml_mapbuf_check(const char *buf, size_t size);

#endif /* MEMLAB_MAPBUF_H */
