// SPDX-License-Identifier: GPL-2.0-only
/*
 * runas UID GID CMD [ARG...]: run CMD with real, effective and saved ids
 * UID/GID and no supplementary groups. Busybox's su needs a shell entry
 * and a password database; the guest suite wants neither.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "priv.h"

int main(int argc, char **argv)
{
	uid_t uid;
	gid_t gid;
	int ret;

	if (argc < 4) {
		fprintf(stderr, "usage: runas UID GID CMD [ARG...]\n");
		return 2;
	}
	uid = strtoul(argv[1], NULL, 10);
	gid = strtoul(argv[2], NULL, 10);
	ret = priv_drop(uid, gid);
	if (ret) {
		fprintf(stderr, "runas: %s\n", strerror(-ret));
		return 126;
	}
	execvp(argv[3], argv + 3);
	perror(argv[3]);
	return 127;
}
