/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * memlab test library: a file descriptor handed to another process over a
 * unix socket (SCM_RIGHTS), with a message beside it, as the tests of
 * whose rights a passed /proc/mtest file carries do.
 */
#ifndef MEMLAB_TEST_FDPASS_H
#define MEMLAB_TEST_FDPASS_H

#include <stddef.h>

int fdpass_send(int sock, const void *buf, size_t len, int fd);
int fdpass_recv(int sock, void *buf, size_t len);

#endif /* MEMLAB_TEST_FDPASS_H */
