// SPDX-License-Identifier: GPL-2.0-only
/*
 * mtest_deputy CMD: write CMD as one message to stderr and exit with 0, or
 * with the write's errno. Installed setuid root by the deputy test, it is
 * the confused deputy of CVE-2012-0056: a privileged program writing to a
 * file that an unprivileged user opened and handed to it as stderr.
 *
 * mtest_deputy -t WHO [ADDR]: the same deputy, writing "w PID ADDR 1" at a
 * byte of its own choosing, then printing "errno=E changed=C" on stdout:
 * E the write's errno (0 if it was accepted), C whether the byte changed.
 * WHO is the target:
 *   self    its own process;
 *   parent  its parent, at ADDR (the test's byte; changed= is then -1);
 *   child   a forked child of its own;
 *   vfork   itself, written by a vfork child that shares its mm;
 *   thread  one of its own threads, by thread id;
 *   orphan  its own process, once process ADDR (a decimal pid, the
 *           opener that forked it) has exited and it has a new parent.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>

static volatile unsigned char deputy_byte = 77;
static volatile pid_t thread_tid;

static int send_cmd(const char *cmd)
{
	size_t len = strlen(cmd);

	if (write(STDERR_FILENO, cmd, len) != (ssize_t)len)
		return errno ? errno : EIO;
	return 0;
}

static int write_byte(pid_t pid, unsigned long addr)
{
	char cmd[64];

	snprintf(cmd, sizeof(cmd), "w %d %lx 1", pid, addr);
	return send_cmd(cmd);
}

static void *thread_main(void *arg)
{
	(void)arg;
	thread_tid = syscall(SYS_gettid);
	for (;;)
		pause();
	return NULL;
}

/* The child's byte, read as its parent (root, same credentials). */
static int child_byte(pid_t pid)
{
	unsigned char b;
	struct iovec local = { &b, 1 };
	struct iovec remote = { (void *)&deputy_byte, 1 };

	if (process_vm_readv(pid, &local, 1, &remote, 1, 0) != 1)
		return -1;
	return b;
}

static int target(const char *who, const char *arg, int *changed)
{
	unsigned long addr = arg ? strtoul(arg, NULL, 16) : 0;
	unsigned long mine = (unsigned long)&deputy_byte;
	pthread_t th;
	pid_t pid, ppid;
	int err, status;

	*changed = -1;
	if (!strcmp(who, "self")) {
		err = write_byte(getpid(), mine);
	} else if (!strcmp(who, "parent")) {
		return write_byte(getppid(), addr);
	} else if (!strcmp(who, "child")) {
		pid = fork();
		if (pid < 0)
			return -1;
		if (!pid) {
			pause();
			_exit(0);
		}
		err = write_byte(pid, mine);
		*changed = child_byte(pid) != 77;
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return err;
	} else if (!strcmp(who, "vfork")) {
		pid = vfork();
		if (pid < 0)
			return -1;
		if (!pid)
			_exit(write_byte(getpid(), mine));
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
			return -1;
		err = WEXITSTATUS(status);
	} else if (!strcmp(who, "thread")) {
		if (pthread_create(&th, NULL, thread_main, NULL))
			return -1;
		while (!thread_tid)
			usleep(1000);
		err = write_byte(thread_tid, mine);
	} else if (!strcmp(who, "orphan")) {
		ppid = arg ? atoi(arg) : getppid();
		while (getppid() == ppid)
			usleep(1000);
		err = write_byte(getpid(), mine);
	} else {
		return -1;
	}
	*changed = deputy_byte != 77;
	return err;
}

int main(int argc, char **argv)
{
	int err, changed;

	if (argc == 2)
		return send_cmd(argv[1]);
	if (argc < 3 || strcmp(argv[1], "-t"))
		return 2;
	err = target(argv[2], argc > 3 ? argv[3] : NULL, &changed);
	if (err < 0)
		return 3;
	printf("errno=%d changed=%d\n", err, changed);
	return 0;
}
