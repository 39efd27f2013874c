// SPDX-License-Identifier: GPL-2.0-only
/*
 * mtest_deputy CMD: write CMD as one message to stderr and exit with 0, or
 * with the write's errno. Installed setuid root by the deputy test, it is
 * the confused deputy of CVE-2012-0056: a privileged program writing to a
 * file that an unprivileged user opened and handed to it as stderr.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	size_t len;

	if (argc != 2)
		return 2;
	len = strlen(argv[1]);
	if (write(STDERR_FILENO, argv[1], len) != (ssize_t)len)
		return errno ? errno : 1;
	return 0;
}
