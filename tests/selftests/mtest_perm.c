// SPDX-License-Identifier: GPL-2.0-only
/*
 * /proc/mtest permissions: the kernel's ptrace attach verdict for the opener.
 * Each test acts as an unprivileged caller: run as root, it first drops to
 * nobody itself (the harness forks every test, so this is per test); run
 * as nobody, it is that already. Needs the module loaded with mode=0666.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>

#include "kselftest_harness.h"
#include "client.h"
#include "priv.h"
#include "procfs.h"
#include "target.h"

FIXTURE(perm) {
	int fd;
	struct target t, t2;
	unsigned char byte;
};

FIXTURE_SETUP(perm)
{
	self->fd = -1;
	self->t.pid = self->t2.pid = -1;
	self->t.go = self->t2.go = -1;
	self->byte = 123;
}

FIXTURE_TEARDOWN(perm)
{
	target_kill(&self->t);
	target_kill(&self->t2);
	if (self->fd >= 0)
		close(self->fd);
}

/* The caller's side: become nobody (if root) and open /proc/mtest. */
#define PERM_UNPRIVILEGED(self) do { \
		int __ret = priv_drop(priv_root() ? PRIV_NOBODY : getuid(), \
				      priv_root() ? PRIV_NOBODY : getgid()); \
		ASSERT_EQ(0, __ret) TH_LOG("drop: %s", strerror(-__ret)); \
		(self)->fd = ml_mtest_open(); \
		ASSERT_LE(0, (self)->fd) \
			TH_LOG("open as uid %d: %s (mode=0666 loaded?)", \
			       getuid(), strerror(-(self)->fd)); \
	} while (0)

/* Seed a result, so that every refusal can be seen to keep it. */
#define PERM_SEED(self) \
	ASSERT_EQ(0, ml_mtest_cmd((self)->fd, "r %d %lx", getpid(), \
			       (unsigned long)&(self)->byte))

#define EXPECT_DENIED(self, pid) do { \
		unsigned long __a = (unsigned long)&(self)->byte; \
		char __res[16]; \
		EXPECT_EQ(-EACCES, ml_mtest_cmd((self)->fd, "r %d %lx", (pid), __a)); \
		EXPECT_EQ(-EACCES, ml_mtest_cmd((self)->fd, "R %d %lx 1", (pid), \
					     __a)); \
		EXPECT_EQ(-EACCES, ml_mtest_cmd((self)->fd, "w %d %lx 1", (pid), \
					     __a)); \
		EXPECT_EQ(-EACCES, ml_mtest_cmd((self)->fd, "t %d %lx", (pid), __a)); \
		ml_mtest_result((self)->fd, __res, sizeof(__res)); \
		EXPECT_STREQ("123\n", __res); \
	} while (0)

static int perm_become_other(void *arg)
{
	(void)arg;
	return priv_drop(PRIV_OTHER, PRIV_OTHER) ? 10 : 0;
}

static int perm_nondumpable(void *arg)
{
	(void)arg;
	return prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) ? 11 : 0;
}

TEST_F(perm, unprivileged_own_process)
{
	unsigned char out;

	PERM_UNPRIVILEGED(self);
	ASSERT_EQ(0, ml_mtest_read_text(self->fd, getpid(), (unsigned long)&self->byte,
				&out, 1));
	EXPECT_EQ(123, out);
	EXPECT_EQ(0, ml_mtest_cmd(self->fd, "w %d %lx 7", getpid(),
			       (unsigned long)&self->byte));
	EXPECT_EQ(7, self->byte);
	EXPECT_EQ(0, ml_mtest_cmd(self->fd, "t %d %lx", getpid(),
			       (unsigned long)&self->byte));
	EXPECT_EQ(0, ml_mtest_cmd(self->fd, "R %d %lx 1", getpid(),
			       (unsigned long)&self->byte));
}

TEST_F(perm, unprivileged_to_root_process)
{
	char buf[1024];

	PERM_UNPRIVILEGED(self);
	PERM_SEED(self);
	ASSERT_LT(0, procfs_read("/proc/1/status", buf, sizeof(buf)));
	if (!strstr(buf, "\nUid:\t0\t"))
		SKIP(return, "pid 1 does not run as root here");
	EXPECT_DENIED(self, 1);
}

TEST_F(perm, unprivileged_to_other_uid)
{
	pid_t pid;

	if (priv_root()) {
		ASSERT_EQ(0, target_start(&self->t, perm_become_other, NULL));
		pid = self->t.pid;
	} else {
		/* The guest suite keeps a memlab2 process around for this. */
		pid = procfs_find_uid(getuid(), 0);
		if (!pid)
			SKIP(return, "no process of another non-root uid to try");
	}
	PERM_UNPRIVILEGED(self);
	PERM_SEED(self);
	EXPECT_DENIED(self, pid);
}

TEST_F(perm, unprivileged_to_same_uid_nondumpable)
{
	PERM_UNPRIVILEGED(self);
	PERM_SEED(self);
	ASSERT_EQ(0, target_start(&self->t, perm_nondumpable, NULL));
	EXPECT_DENIED(self, self->t.pid);
}

TEST_F(perm, unprivileged_to_same_uid_dumpable_child)
{
	unsigned char out;

	PERM_UNPRIVILEGED(self);
	ASSERT_EQ(0, target_start(&self->t, NULL, NULL));
	self->byte = 50;	/* after the fork: the child still has 123 */
	ASSERT_EQ(0, ml_mtest_read_text(self->fd, self->t.pid,
				(unsigned long)&self->byte, &out, 1));
	EXPECT_EQ(123, out);
	EXPECT_EQ(0, ml_mtest_cmd(self->fd, "w %d %lx 9", self->t.pid,
			       (unsigned long)&self->byte));
	ASSERT_EQ(0, ml_mtest_read_text(self->fd, self->t.pid,
				(unsigned long)&self->byte, &out, 1));
	EXPECT_EQ(9, out);
	EXPECT_EQ(50, self->byte);
	EXPECT_EQ(0, ml_mtest_cmd(self->fd, "t %d %lx", self->t.pid,
			       (unsigned long)&self->byte));
}

/*
 * CAP_SYS_PTRACE in a user namespace of our own does not reach processes
 * outside it: pid 1 (root) and a process of another uid.
 */
TEST_F(perm, user_namespace_to_outside)
{
	int ret;

	if (priv_root())
		ASSERT_EQ(0, target_start(&self->t, perm_become_other, NULL));
	PERM_UNPRIVILEGED(self);
	PERM_SEED(self);
	ret = priv_unshare_user();
	if (ret)
		SKIP(return, "no user namespace for uid %d: %s", getuid(),
		     strerror(-ret));
	EXPECT_DENIED(self, 1);
	if (self->t.pid > 0)
		EXPECT_DENIED(self, self->t.pid);
	/* Still fine for ourselves. */
	EXPECT_EQ(0, ml_mtest_cmd(self->fd, "r %d %lx", getpid(),
			       (unsigned long)&self->byte));
}

/*
 * A non-dumpable target needs CAP_SYS_PTRACE in its mm's user namespace.
 * A child forked inside our new namespace keeps the mm's namespace of
 * its last exec (the initial one), where we have no capability: denied,
 * although the task's credentials belong to the new namespace.
 */
TEST_F(perm, user_namespace_nondumpable_forked_child)
{
	int ret;

	PERM_UNPRIVILEGED(self);
	PERM_SEED(self);
	ret = priv_unshare_user();
	if (ret)
		SKIP(return, "no user namespace for uid %d: %s", getuid(),
		     strerror(-ret));
	ASSERT_EQ(0, target_start(&self->t, perm_nondumpable, NULL));
	EXPECT_DENIED(self, self->t.pid);
}

TEST_F(perm, root_to_anyone)
{
	struct procfs_map init_map;
	unsigned char out;

	if (!priv_root())
		SKIP(return, "needs root");
	self->fd = ml_mtest_open();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, target_start(&self->t, perm_become_other, NULL));
	ASSERT_EQ(0, target_start(&self->t2, perm_nondumpable, NULL));
	/* pid 1's first mapping, whatever it is. */
	ASSERT_EQ(1, procfs_maps(1, &init_map, 1));
	EXPECT_EQ(0, ml_mtest_cmd(self->fd, "r 1 %lx 16", init_map.start));
	EXPECT_EQ(0, ml_mtest_cmd(self->fd, "R 1 %lx 16", init_map.start));
	EXPECT_EQ(0, ml_mtest_cmd(self->fd, "R %d %lx 1", self->t.pid,
			       (unsigned long)&self->byte));
	EXPECT_EQ(0, ml_mtest_cmd(self->fd, "t 1 %lx", init_map.start));
	ASSERT_EQ(0, ml_mtest_read_text(self->fd, self->t.pid,
				(unsigned long)&self->byte, &out, 1));
	EXPECT_EQ(123, out);
	ASSERT_EQ(0, ml_mtest_read_text(self->fd, self->t2.pid,
				(unsigned long)&self->byte, &out, 1));
	EXPECT_EQ(123, out);
	EXPECT_EQ(0, ml_mtest_cmd(self->fd, "w %d %lx 5", self->t2.pid,
			       (unsigned long)&self->byte));
}

TEST_HARNESS_MAIN
