// SPDX-License-Identifier: GPL-2.0-only
/*
 * mtest_force: whether a write may go through a read-only private mapping
 * and a read may see PROT_NONE memory (FOLL_FORCE) is the kernel's
 * /proc/PID/mem rule: CONFIG_PROC_MEM_* and the proc_mem.force_override=
 * boot option. Tries both on a child (not traced) through
 * /proc/PID/mem and through mtest, prints the verdicts and exits 0 when
 * they agree.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "client.h"
#include "procfs.h"

#define PSZ	procfs_page_size()

static const char *verdict(int err)
{
	return err ? strerror(err) : "ok";
}

int main(void)
{
	char *ro, *none, path[32], c = 'x';
	int mem, fd, mw, pw, mr, pr, bad;
	pid_t pid;

	ro = mmap(NULL, PSZ, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	none = mmap(NULL, PSZ, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ro == MAP_FAILED || none == MAP_FAILED)
		return 2;
	pid = fork();
	if (pid < 0)
		return 2;
	if (!pid) {
		pause();
		_exit(0);
	}
	snprintf(path, sizeof(path), "/proc/%d/mem", pid);
	mem = open(path, O_RDWR);
	fd = ml_mtest_open();
	if (mem < 0 || fd < 0) {
		kill(pid, SIGKILL);
		return 2;
	}
	pw = pwrite(mem, &c, 1, (off_t)ro) == 1 ? 0 : errno;
	mw = -ml_mtest_cmd(fd, "w %d %lx 120", pid, (unsigned long)ro);
	pr = pread(mem, &c, 1, (off_t)none) == 1 ? 0 : errno;
	mr = -ml_mtest_cmd(fd, "r %d %lx", pid, (unsigned long)none);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	bad = !pw != !mw || !pr != !mr;
	printf("write read-only private: /proc/PID/mem %s, mtest %s\n",
	       verdict(pw), verdict(mw));
	printf("read PROT_NONE:          /proc/PID/mem %s, mtest %s\n",
	       verdict(pr), verdict(mr));
	printf("mtest_force: %s\n", bad ? "DISAGREE" : "agree");
	return bad;
}
