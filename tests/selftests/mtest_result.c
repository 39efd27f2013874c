// SPDX-License-Identifier: GPL-2.0-only
/*
 * /proc/mtest results: they belong to the thread group that ran the
 * command, are readable from offset 0 as often as wanted and survive
 * failed commands. Other processes never see them.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "client.h"

FIXTURE(result) {
	int fd;
	unsigned char buf[16];
};

FIXTURE_SETUP(result)
{
	int i;

	self->fd = ml_mtest_open();
	ASSERT_LE(0, self->fd) TH_LOG("open: %s", strerror(-self->fd));
	for (i = 0; i < (int)sizeof(self->buf); i++)
		self->buf[i] = 40 + i;
}

FIXTURE_TEARDOWN(result)
{
	if (self->fd >= 0)
		close(self->fd);
}

static const char *result_text(int fd)
{
	static char text[ML_RESULT_BUF];

	if (ml_mtest_result(fd, text, sizeof(text)) < 0)
		return "(read error)";
	return text;
}

/* Run @fn in a forked child; its return value is the exit code. */
static int result_in_child(int (*fn)(void *), void *arg)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return -1;
	if (!pid)
		_exit(fn(arg));
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* Exit code 0 if a new process sees an empty result on a fresh open. */
static int result_child_empty(void *arg)
{
	int fd = ml_mtest_open();
	char buf[64];

	(void)arg;
	if (fd < 0)
		return 2;
	return ml_mtest_result(fd, buf, sizeof(buf)) == 0 ? 0 : 3;
}

/* Same, through a file descriptor inherited from a process with a result. */
static int result_child_inherited(void *arg)
{
	char buf[64];

	return ml_mtest_result(*(int *)arg, buf, sizeof(buf)) == 0 ? 0 : 3;
}

TEST_F(result, empty_before_any_command)
{
	EXPECT_EQ(0, result_in_child(result_child_empty, NULL));
}

TEST_F(result, other_process_never_sees_it)
{
	ASSERT_EQ(0, ml_mtest_cmd(self->fd, "r %d %lx 3", getpid(),
			       (unsigned long)self->buf));
	EXPECT_EQ(0, result_in_child(result_child_empty, NULL));
	EXPECT_EQ(0, result_in_child(result_child_inherited, &self->fd));
	EXPECT_STREQ("40 41 42\n", result_text(self->fd));
}

TEST_F(result, reopen_and_fscanf)
{
	char cmd[64];
	FILE *f;
	int v = -1;

	f = fopen(MEMLAB_MTEST_PATH, "w");
	ASSERT_NE(NULL, f);
	snprintf(cmd, sizeof(cmd), "r %d %lx\n", getpid(),
		 (unsigned long)self->buf + 2);
	fputs(cmd, f);
	ASSERT_EQ(0, fclose(f));
	f = fopen(MEMLAB_MTEST_PATH, "r");
	ASSERT_NE(NULL, f);
	EXPECT_EQ(1, fscanf(f, "%d", &v));
	fclose(f);
	EXPECT_EQ(42, v);
}

TEST_F(result, pread_repeatable)
{
	char a[64], b[64];
	int i;

	ASSERT_EQ(0, ml_mtest_cmd(self->fd, "r %d %lx 4", getpid(),
			       (unsigned long)self->buf));
	ASSERT_EQ(12, ml_mtest_result(self->fd, a, sizeof(a)));
	EXPECT_STREQ("40 41 42 43\n", a);
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(12, ml_mtest_result(self->fd, b, sizeof(b)));
		EXPECT_STREQ(a, b);
	}
	/* A partial pread from an offset is a slice of the same text. */
	ASSERT_EQ(3, pread(self->fd, b, 3, 3));
	EXPECT_EQ(0, memcmp(b, "41 ", 3));
}

TEST_F(result, read_then_eof_then_lseek)
{
	char a[64];

	ASSERT_EQ(0, ml_mtest_cmd(self->fd, "r %d %lx 2", getpid(),
			       (unsigned long)self->buf));
	ASSERT_EQ(0, lseek(self->fd, 0, SEEK_SET));
	ASSERT_EQ(6, read(self->fd, a, sizeof(a)));
	EXPECT_EQ(0, memcmp(a, "40 41\n", 6));
	EXPECT_EQ(0, read(self->fd, a, sizeof(a)));
	ASSERT_EQ(0, lseek(self->fd, 0, SEEK_SET));
	ASSERT_EQ(6, read(self->fd, a, sizeof(a)));
	EXPECT_EQ(0, memcmp(a, "40 41\n", 6));
}

/* Readable through another descriptor of the same process. */
TEST_F(result, other_descriptor_same_process)
{
	int fd2 = ml_mtest_open();

	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, ml_mtest_cmd(self->fd, "r %d %lx", getpid(),
			       (unsigned long)self->buf + 1));
	EXPECT_STREQ("41\n", result_text(fd2));
	close(fd2);
}

TEST_F(result, failed_command_keeps_previous)
{
	ASSERT_EQ(0, ml_mtest_cmd(self->fd, "r %d %lx 2", getpid(),
			       (unsigned long)self->buf + 5));
	EXPECT_EQ(-EINVAL, ml_mtest_cmd(self->fd, "q"));
	EXPECT_STREQ("45 46\n", result_text(self->fd));
	EXPECT_EQ(-EFAULT, ml_mtest_cmd(self->fd, "r %d 0 2", getpid()));
	EXPECT_STREQ("45 46\n", result_text(self->fd));
	EXPECT_EQ(-EFAULT, ml_mtest_cmd(self->fd, "t %d 0", getpid()));
	EXPECT_STREQ("45 46\n", result_text(self->fd));
	EXPECT_EQ(-ESRCH, ml_mtest_cmd(self->fd, "r 4194304 %lx",
				    (unsigned long)self->buf));
	EXPECT_STREQ("45 46\n", result_text(self->fd));
	/* A successful write replaces it with an empty result. */
	ASSERT_EQ(0, ml_mtest_cmd(self->fd, "w %d %lx 45", getpid(),
			       (unsigned long)self->buf + 5));
	EXPECT_STREQ("", result_text(self->fd));
}

struct result_peer {
	int to_child[2], to_parent[2];
	unsigned char value;
};

/* The child's half of two_processes_at_once. */
static int result_peer_child(void *arg)
{
	struct result_peer *pr = arg;
	char want[8], c;
	int fd = ml_mtest_open();

	if (fd < 0)
		return 2;
	if (ml_mtest_cmd(fd, "r %d %lx", getpid(), (unsigned long)&pr->value))
		return 3;
	if (write(pr->to_parent[1], "x", 1) != 1 ||
	    read(pr->to_child[0], &c, 1) != 1)
		return 4;
	snprintf(want, sizeof(want), "%u\n", pr->value);
	return strcmp(want, result_text(fd)) ? 5 : 0;
}

/* Interleaved: each process keeps its own result. */
TEST_F(result, two_processes_at_once)
{
	struct result_peer pr = { .value = 111 };
	pid_t pid;
	int status;
	char c;

	ASSERT_EQ(0, pipe(pr.to_child));
	ASSERT_EQ(0, pipe(pr.to_parent));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(result_peer_child(&pr));
	ASSERT_EQ(1, read(pr.to_parent[0], &c, 1));
	pr.value = 222;
	ASSERT_EQ(0, ml_mtest_cmd(self->fd, "r %d %lx", getpid(),
			       (unsigned long)&pr.value));
	ASSERT_EQ(1, write(pr.to_child[1], "x", 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status)) TH_LOG("child saw a wrong result");
	EXPECT_STREQ("222\n", result_text(self->fd));
}

struct result_thread {
	int fd;
	unsigned char *addr;
	int ret;
};

static void *result_thread_cmd(void *arg)
{
	struct result_thread *rt = arg;

	rt->ret = ml_mtest_cmd(rt->fd, "r %d %lx 2", getpid(),
			    (unsigned long)rt->addr);
	return NULL;
}

/* Results belong to the thread group: another thread's result is ours. */
TEST_F(result, shared_by_threads)
{
	struct result_thread rt = { .addr = self->buf + 8 };
	pthread_t th;

	rt.fd = ml_mtest_open();
	ASSERT_LE(0, rt.fd);
	ASSERT_EQ(0, pthread_create(&th, NULL, result_thread_cmd, &rt));
	ASSERT_EQ(0, pthread_join(th, NULL));
	ASSERT_EQ(0, rt.ret);
	EXPECT_STREQ("48 49\n", result_text(self->fd));
	close(rt.fd);
}

/*
 * A result is for the program that asked: after an exec (a setuid one, or
 * one that dropped privileges) the new program reads nothing.
 */
TEST_F(result, hidden_after_exec)
{
	char out[64];
	int p[2], status;
	ssize_t n;
	pid_t pid;

	ASSERT_EQ(0, pipe(p));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		int fd = ml_mtest_open();

		if (fd < 0 || ml_mtest_cmd(fd, "r %d %lx 4", getpid(),
					(unsigned long)self->buf))
			_exit(3);
		if (ml_mtest_result(fd, out, sizeof(out)) <= 0)
			_exit(4);
		dup2(p[1], STDOUT_FILENO);
		execl("/bin/cat", "cat", MEMLAB_MTEST_PATH, (char *)NULL);
		_exit(5);
	}
	close(p[1]);
	n = read(p[0], out, sizeof(out));
	close(p[0]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(0, n) TH_LOG("cat read %zd bytes of the pre-exec result", n);
}

TEST_HARNESS_MAIN
