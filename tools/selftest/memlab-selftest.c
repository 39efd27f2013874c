// SPDX-License-Identifier: GPL-2.0-only
/*
 * memlab-selftest: a quick but real check of the loaded mtest and maptest
 * modules, run by the package after install and by memlab-selftest.service
 * at boot. Prints TAP and one closing PASS/FAIL line; exits 0 on pass, 1 on
 * a failed check, 2 when the modules are not loaded.
 *
 * Only the caller's own process and its child are touched, so a member of
 * the memlab group can run it as well as root.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "client.h"
#include "mapbuf.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Each check returns NULL when it passed, or why it failed. */
static const char *selftest_err(int err)
{
	return strerror(err < 0 ? -err : err);
}

/* r of our own memory returns exactly the bytes that are there. */
static const char *selftest_read_self(int fd)
{
	static const unsigned char want[] = { 'm', 0, 255, 42, '\n', 7 };
	unsigned char got[sizeof(want)];
	int ret;

	ret = ml_mtest_read_text(fd, getpid(), (unsigned long)want, got, sizeof(got));
	if (ret)
		return selftest_err(ret);
	return memcmp(got, want, sizeof(want)) ? "bytes differ" : NULL;
}

/* w @len bytes at @addr of @pid, then r them back. */
static const char *selftest_write_read(int fd, pid_t pid, unsigned char *addr,
				       const unsigned char *data, size_t len)
{
	unsigned char got[MTEST_WRITE_MAX];
	char res[16];
	int ret;

	ret = ml_mtest_write_one(fd, pid, (unsigned long)addr, data, len);
	if (ret)
		return selftest_err(ret);
	if (ml_mtest_result(fd, res, sizeof(res)) != 0)
		return "w left a non-empty result";
	ret = ml_mtest_read_text(fd, pid, (unsigned long)addr, got, len);
	if (ret)
		return selftest_err(ret);
	return memcmp(got, data, len) ? "r does not return what w wrote" : NULL;
}

/*
 * w into a child's copy of a buffer, read it back with r, and let the child
 * confirm that its own memory changed while ours did not.
 */
static const char *selftest_write_child(int fd)
{
	static unsigned char buf[8] = "memlab!";
	static const unsigned char data[] = { 0, 0x7f, 200 };
	const char *why;
	int go[2], status;
	pid_t pid;

	if (pipe(go))
		return selftest_err(errno);
	pid = fork();
	if (pid < 0)
		return selftest_err(errno);
	if (!pid) {
		char c;

		close(go[1]);
		if (read(go[0], &c, 1) != 1 || c != 'y')
			_exit(2);
		_exit(memcmp(buf + 2, data, sizeof(data)) ? 1 : 0);
	}
	close(go[0]);

	why = selftest_write_read(fd, pid, buf + 2, data, sizeof(data));
	if (!why && memcmp(buf, "memlab!", 8))
		why = "the writer's own copy changed";

	if (write(go[1], why ? "n" : "y", 1) != 1 && !why)
		why = selftest_err(errno);
	close(go[1]);
	if (waitpid(pid, &status, 0) != pid)
		why = why ? why : selftest_err(errno);
	else if (!why && (!WIFEXITED(status) || WEXITSTATUS(status)))
		why = "the child's memory does not hold the written bytes";
	return why;
}

/* A malformed command fails with EINVAL and keeps the previous result. */
static const char *selftest_bad_command(int fd)
{
	static const unsigned char want[] = { 'x' };
	char res[16];
	int ret;

	ret = ml_mtest_read_text(fd, getpid(), (unsigned long)want, res, 1);
	if (ret)
		return selftest_err(ret);
	ret = ml_mtest_cmd(fd, "q %d %#lx", (int)getpid(), (unsigned long)want);
	if (ret != -EINVAL)
		return ret ? selftest_err(ret) : "accepted";
	ret = ml_mtest_result(fd, res, sizeof(res));
	return ret == 4 && !strcmp(res, "120\n") ? NULL :
	       "the previous result was lost";
}

/* t walks our page tables down to a present page. */
static const char *selftest_translate(int fd)
{
	static char page[64] = "touched";
	char res[1024];
	int ret;

	ret = ml_mtest_cmd(fd, "t %d %#lx", (int)getpid(), (unsigned long)page);
	if (ret)
		return selftest_err(ret);
	ret = ml_mtest_result(fd, res, sizeof(res));
	return ret > 0 && strstr(res, "\npresent: 1\n") ? NULL :
	       "no \"present: 1\" line";
}

/* The maptest buffer, seen through mmap and read(), has the kernel's text. */
static const char *selftest_maptest(int mtest_fd)
{
	const char *why = NULL;
	long size = ml_mapbuf_size();
	char *map, *text;
	int fd;

	(void)mtest_fd;

	if (size < 0)
		return selftest_err(size);
	fd = open(MEMLAB_MAPTEST_PATH, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return selftest_err(errno);
	map = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
	text = malloc(size);
	if (map == MAP_FAILED || !text) {
		why = selftest_err(errno);
	} else {
		why = ml_mapbuf_check(map, size);
		if (!why && (pread(fd, text, size, 0) != size - 1 ||
			     memcmp(text, map, size - 1)))
			why = "read() and mmap disagree";
	}
	if (map != MAP_FAILED)
		munmap(map, size);
	free(text);
	close(fd);
	return why;
}

static const struct {
	const char *name;
	const char *(*run)(int fd);
} selftest_checks[] = {
	{ "mtest: read round-trip",			selftest_read_self },
	{ "mtest: write round-trip into a child",	selftest_write_child },
	{ "mtest: bad command rejected with EINVAL",	selftest_bad_command },
	{ "mtest: translate finds a present page",	selftest_translate },
	{ "maptest: content through mmap and read",	selftest_maptest },
};

int main(int argc, char **argv)
{
	size_t i, n = ARRAY_SIZE(selftest_checks);
	const char *why;
	int fd, failed = 0;

	if (argc > 1) {
		fprintf(stderr, "usage: %s\n"
			"Checks the loaded mtest and maptest modules.\n", argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (access(MEMLAB_MTEST_PATH, F_OK) || access(MEMLAB_MAPTEST_PATH, F_OK)) {
		printf("memlab-selftest: FAIL: %s or %s missing: modules not loaded (modprobe -a mtest maptest)\n",
		       MEMLAB_MTEST_PATH, MEMLAB_MAPTEST_PATH);
		return 2;
	}
	fd = ml_mtest_open();
	if (fd < 0) {
		printf("memlab-selftest: FAIL: open %s: %s%s\n", MEMLAB_MTEST_PATH,
		       selftest_err(fd),
		       fd == -EACCES ? " (run as root or as a member of the memlab group)" : "");
		return 1;
	}

	printf("TAP version 13\n1..%zu\n", n);
	for (i = 0; i < n; i++) {
		why = selftest_checks[i].run(fd);
		if (why)
			failed++;
		printf("%sok %zu - %s%s%s\n", why ? "not " : "", i + 1,
		       selftest_checks[i].name, why ? ": " : "", why ? why : "");
	}
	close(fd);

	if (failed) {
		printf("memlab-selftest: FAIL (%d of %zu checks failed)\n", failed, n);
		return 1;
	}
	printf("memlab-selftest: PASS (%zu checks)\n", n);
	return 0;
}
