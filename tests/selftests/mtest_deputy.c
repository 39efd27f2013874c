// SPDX-License-Identifier: GPL-2.0-only
/*
 * Whose rights a /proc/mtest file carries: its opener's, as for
 * /proc/PID/mem (CVE-2012-0056). A file opened by an unprivileged user
 * gives a setuid program no more than that user has; a file opened by
 * root keeps root's rights when it is handed to an unprivileged process.
 *
 * The rule holds whoever writes the command and whatever the opener has
 * done since: a setuid program writing into itself, its parent, its
 * child, a vfork child sharing its mm or one of its threads; an opener
 * that exec'd the setuid program itself or exited before the write; a
 * file passed over a socket under Yama's ptrace_scope 1.
 * Needs mtest loaded with mode=0666; the setuid tests need root.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "client.h"
#include "fdpass.h"
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
	ASSERT_EQ((uid_t)0, geteuid());
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
	EXPECT_EQ(0ULL, xlate_val(&x, "pfn"));
	close(fd);

	fd = ml_mtest_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, xlate_query(fd, getpid(), addr, &x));
	EXPECT_NE(0ULL, xlate_val(&x, "pfn"));
	close(fd);
}

/* How the setuid program got nobody's file. */
enum handover {
	OPENER_EXECS,	/* the opener exec'd the program, keeping its stderr */
	OPENER_WAITS,	/* a child of the opener exec'd it */
	OPENER_EXITS,	/* the same, and the opener exited before the write */
};

FIXTURE(setuid_deputy) {
};

FIXTURE_VARIANT(setuid_deputy) {
	const char *who;
	enum handover how;
};

FIXTURE_VARIANT_ADD(setuid_deputy, self) {
	.who = "self", .how = OPENER_EXECS,
};

FIXTURE_VARIANT_ADD(setuid_deputy, parent) {
	.who = "parent", .how = OPENER_EXECS,
};

FIXTURE_VARIANT_ADD(setuid_deputy, child) {
	.who = "child", .how = OPENER_EXECS,
};

FIXTURE_VARIANT_ADD(setuid_deputy, vfork_child) {
	.who = "vfork", .how = OPENER_EXECS,
};

FIXTURE_VARIANT_ADD(setuid_deputy, thread) {
	.who = "thread", .how = OPENER_EXECS,
};

FIXTURE_VARIANT_ADD(setuid_deputy, self_forked_by_opener) {
	.who = "self", .how = OPENER_WAITS,
};

FIXTURE_VARIANT_ADD(setuid_deputy, self_after_opener_exited) {
	.who = "orphan", .how = OPENER_EXITS,
};

FIXTURE_SETUP(setuid_deputy)
{
}

FIXTURE_TEARDOWN(setuid_deputy)
{
	unlink(DEPUTY_COPY);
}

/* The opener: nobody opens /proc/mtest and hands it to the deputy. */
static void deputy_opener(const char *who, enum handover how, int out)
{
	char addr[32];
	pid_t pid;
	int fd;

	/* "orphan" waits for the opener's exit: its pid instead. */
	if (how == OPENER_EXITS)
		snprintf(addr, sizeof(addr), "%d", getpid());
	else
		snprintf(addr, sizeof(addr), "%lx", (unsigned long)&deputy_byte);
	if (priv_drop(PRIV_NOBODY, PRIV_NOBODY))
		_exit(100);
	fd = open(MEMLAB_MTEST_PATH, O_RDWR);
	if (fd < 0 || dup2(fd, STDERR_FILENO) < 0 ||
	    dup2(out, STDOUT_FILENO) < 0)
		_exit(101);
	if (how != OPENER_EXECS) {
		pid = fork();
		if (pid < 0)
			_exit(102);
		if (pid) {
			if (how == OPENER_EXITS)
				_exit(0);
			waitpid(pid, NULL, 0);
			_exit(0);
		}
	}
	execl(DEPUTY_COPY, DEPUTY_COPY, "-t", who, addr, (char *)NULL);
	_exit(103);
}

/* Whatever the setuid program writes at, nobody's file refuses it. */
TEST_F(setuid_deputy, refused_with_the_openers_verdict)
{
	int out[2], err = -1, changed = -1, status;
	char buf[64] = "";
	ssize_t n, len = 0;
	pid_t pid;

	if (!priv_root())
		SKIP(return, DEPUTY_ROOT);
	ASSERT_EQ(0, make_deputy());
	ASSERT_EQ(0, pipe(out));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		close(out[0]);
		deputy_opener(variant->who, variant->how, out[1]);
	}
	close(out[1]);
	/* EOF when the deputy, possibly the opener's orphan, has exited. */
	while ((n = read(out[0], buf + len, sizeof(buf) - 1 - len)) > 0)
		len += n;
	close(out[0]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	n = sscanf(buf, "errno=%d changed=%d", &err, &changed);
	ASSERT_EQ(2, n) TH_LOG("the deputy said \"%s\"", buf);
	EXPECT_TRUE(err == EACCES || err == EPERM)
		TH_LOG("the setuid program's write into its %s: errno %d",
		       variant->who, err);
	EXPECT_NE(1, changed);
	EXPECT_EQ(77, deputy_byte);
}

/*
 * The second scenario: P forks T and O; O opens /proc/mtest and
 * sends it to P over a socket; P reads T through it. O's own verdict on T
 * (process_vm_readv, its sibling) is what P's command gets. Returns P's
 * verdict and O's, as errnos, in the exit status.
 */
static int passfd_scenario(void)
{
	int sv[2], go[2], fd, oracle, err;
	pid_t t, o;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) || pipe(go))
		return 200;
	t = fork();
	if (t < 0)
		return 201;
	if (!t) {
		char c;

		close(go[1]);
		while (read(go[0], &c, 1) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	o = fork();
	if (o < 0)
		return 202;
	if (!o) {
		err = victim_byte(t);
		oracle = err < 0 ? -err : 0;
		fd = ml_mtest_open();
		if (fd < 0 || fdpass_send(sv[1], &oracle, sizeof(oracle), fd))
			_exit(203);
		_exit(0);
	}
	fd = fdpass_recv(sv[0], &oracle, sizeof(oracle));
	waitpid(o, NULL, 0);
	if (fd < 0)
		return 204;
	err = -ml_mtest_cmd(fd, "r %d %lx", t, (unsigned long)&deputy_byte);
	close(go[1]);
	waitpid(t, NULL, 0);
	/* Denied is denied, whichever of EACCES and EPERM says it. */
	if (err == EPERM)
		err = EACCES;
	if (oracle == EPERM)
		oracle = EACCES;
	return (err ? 2 : 0) | (oracle ? 1 : 0);
}

FIXTURE(passfd) {
	int scope0;
};

FIXTURE_SETUP(passfd)
{
	self->scope0 = priv_ptrace_scope();
}

FIXTURE_TEARDOWN(passfd)
{
	if (self->scope0 >= 0 && priv_root())
		priv_set_ptrace_scope(self->scope0);
}

/*
 * As root: three processes of nobody under ptrace_scope 1, where O may not
 * read its sibling. As nobody: under the scope the system has, whatever
 * O's verdict is.
 */
TEST_F(passfd, scm_rights_receiver_gets_the_openers_verdict)
{
	int status, got;
	pid_t pid;

	if (priv_root()) {
		if (self->scope0 < 0)
			SKIP(return, "no Yama: no relational ptrace scope");
		ASSERT_EQ(0, priv_set_ptrace_scope(1));
	}
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		if (priv_root() && priv_drop(PRIV_NOBODY, PRIV_NOBODY))
			_exit(199);
		_exit(passfd_scenario());
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	got = WEXITSTATUS(status);
	ASSERT_GT(4, got) TH_LOG("scenario setup failed: %d", got);
	if (priv_root())
		EXPECT_EQ(1, got & 1) TH_LOG("O may read its sibling at scope 1");
	/* P's command: refused exactly when O's own read is. */
	EXPECT_EQ(got & 1, (got & 2) >> 1)
		TH_LOG("opener's process_vm_readv %s, receiver's mtest r %s",
		       got & 1 ? "refused" : "allowed",
		       got & 2 ? "refused" : "allowed");
}

TEST_HARNESS_MAIN
