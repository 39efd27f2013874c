// SPDX-License-Identifier: GPL-2.0-only
/*
 * Whose rights a /proc/mtest file carries: its opener's, as for
 * /proc/PID/mem (CVE-2012-0056). A file opened by an unprivileged user
 * gives a setuid program no more than that user has; a file opened by
 * root keeps root's rights when it is handed to an unprivileged process.
 * Needs root (the tests change uid) and mtest loaded with mode=0666.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "client.h"
#include "priv.h"
#include "target.h"
#include "xlate.h"

#define DEPUTY_COPY	"/tmp/memlab-deputy-suid"

static volatile unsigned char deputy_byte = 77;

/* The victim's byte, read by root through the kernel's own interface. */
static int victim_byte(pid_t pid)
{
	unsigned char b;
	struct iovec local = { &b, 1 };
	struct iovec remote = { (void *)&deputy_byte, 1 };

	if (process_vm_readv(pid, &local, 1, &remote, 1, 0) != 1)
		return -errno;
	return b;
}

/* A setuid-root copy of tests/helpers/mtest_deputy. */
static int make_deputy(void)
{
	char self[PATH_MAX], src[PATH_MAX + 32], cmd[2 * PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n < 0)
		return -errno;
	self[n] = '\0';
	snprintf(src, sizeof(src), "%s/../helpers/mtest_deputy", dirname(self));
	snprintf(cmd, sizeof(cmd), "cp %s %s && chmod 4755 %s", src,
		 DEPUTY_COPY, DEPUTY_COPY);
	return system(cmd) ? -ENOENT : 0;
}

/* Opens /proc/mtest as @uid, then takes root back (saved uid 0). */
static int open_as(uid_t uid)
{
	int fd;

	if (setresuid(uid, uid, 0))
		return -errno;
	fd = ml_mtest_open();
	if (setresuid(0, 0, 0))
		return -errno;
	return fd;
}

FIXTURE(deputy) {
	struct target victim;
};

/* The harness runs the test body even after a SKIP in the setup. */
#define DEPUTY_ROOT	"needs root to change uids and install a setuid program"

FIXTURE_SETUP(deputy)
{
	self->victim.pid = -1;
	self->victim.go = -1;
	if (!priv_root())
		return;
	/* A root process: no unprivileged user may write it. */
	ASSERT_EQ(0, target_start(&self->victim, NULL, NULL));
	ASSERT_EQ(77, victim_byte(self->victim.pid));
}

FIXTURE_TEARDOWN(deputy)
{
	target_kill(&self->victim);
	unlink(DEPUTY_COPY);
}

/* CVE-2012-0056's shape: nobody's file as a setuid program's stderr. */
TEST_F(deputy, setuid_writer_gets_the_openers_rights)
{
	char cmd[64];
	int status, fd;
	pid_t pid;

	if (!priv_root())
		SKIP(return, DEPUTY_ROOT);
	ASSERT_EQ(0, make_deputy());
	snprintf(cmd, sizeof(cmd), "w %d %lx 1", self->victim.pid,
		 (unsigned long)&deputy_byte);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		if (priv_drop(PRIV_NOBODY, PRIV_NOBODY))
			_exit(100);
		fd = open(MEMLAB_MTEST_PATH, O_RDWR);
		if (fd < 0 || dup2(fd, STDERR_FILENO) < 0)
			_exit(101);
		execl(DEPUTY_COPY, DEPUTY_COPY, cmd, (char *)NULL);
		_exit(102);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	/* The deputy ran as root and its write was refused. */
	EXPECT_TRUE(WEXITSTATUS(status) == EACCES ||
		    WEXITSTATUS(status) == EPERM)
		TH_LOG("the setuid writer exited %d", WEXITSTATUS(status));
	EXPECT_EQ(77, victim_byte(self->victim.pid));
}

/* The same without a setuid program: root writing nobody's file. */
TEST_F(deputy, root_writer_of_nobodys_file_is_refused)
{
	int fd;

	if (!priv_root())
		SKIP(return, DEPUTY_ROOT);
	fd = open_as(PRIV_NOBODY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, geteuid());
	EXPECT_EQ(-EACCES, ml_mtest_cmd(fd, "w %d %lx 1", self->victim.pid,
				     (unsigned long)&deputy_byte));
	EXPECT_EQ(-EACCES, ml_mtest_cmd(fd, "r %d %lx", self->victim.pid,
				     (unsigned long)&deputy_byte));
	close(fd);
	EXPECT_EQ(77, victim_byte(self->victim.pid));
}

/* The reverse: root's file, handed to nobody, keeps root's rights. */
TEST_F(deputy, roots_file_handed_to_nobody_keeps_roots_rights)
{
	int fd, status;
	pid_t pid;

	if (!priv_root())
		SKIP(return, DEPUTY_ROOT);
	fd = ml_mtest_open();
	ASSERT_LE(0, fd);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		if (priv_drop(PRIV_NOBODY, PRIV_NOBODY))
			_exit(100);
		_exit(-ml_mtest_cmd(fd, "w %d %lx 9", self->victim.pid,
				 (unsigned long)&deputy_byte));
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(9, victim_byte(self->victim.pid));
	close(fd);
}

/* pagemap's rule, judged at open: nobody's file shows root no pfn. */
TEST_F(deputy, pfn_view_is_the_openers)
{
	unsigned long addr = (unsigned long)&deputy_byte;
	struct xlate x;
	int fd;

	if (!priv_root())
		SKIP(return, DEPUTY_ROOT);
	fd = open_as(PRIV_NOBODY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, xlate_query(fd, getpid(), addr, &x));
	EXPECT_EQ(0, xlate_val(&x, "pfn"));
	close(fd);

	fd = ml_mtest_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, xlate_query(fd, getpid(), addr, &x));
	EXPECT_NE(0, xlate_val(&x, "pfn"));
	close(fd);
}

TEST_HARNESS_MAIN
