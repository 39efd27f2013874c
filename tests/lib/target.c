// SPDX-License-Identifier: GPL-2.0-only
/*
 * memlab test library: forked target processes.
 */
#include <errno.h>
#include <signal.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "target.h"

/*
 * Fork a target. It runs @fn, reports ready through a pipe and blocks
 * reading another pipe: EOF on it (target_release or our death) lets it
 * exit. Returns 0 or -errno; -ECHILD if the target died during setup.
 */
int target_start(struct target *t, target_fn fn, void *arg)
{
	int ready[2], go[2];
	char c;
	ssize_t n;

	t->pid = -1;
	t->go = -1;
	if (pipe(ready))
		return -errno;
	if (pipe(go)) {
		close(ready[0]);
		close(ready[1]);
		return -errno;
	}
	t->pid = fork();
	if (t->pid < 0) {
		int err = -errno;

		close(ready[0]);
		close(ready[1]);
		close(go[0]);
		close(go[1]);
		return err;
	}
	if (!t->pid) {
		int ret = 0;

		close(ready[0]);
		close(go[1]);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (fn)
			ret = fn(arg);
		if (ret)
			_exit(ret);
		if (write(ready[1], "r", 1) != 1)
			_exit(1);
		while (read(go[0], &c, 1) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	close(ready[1]);
	close(go[0]);
	t->go = go[1];
	do {
		n = read(ready[0], &c, 1);
	} while (n < 0 && errno == EINTR);
	close(ready[0]);
	if (n != 1) {
		target_kill(t);
		return -ECHILD;
	}
	return 0;
}

/* Let the target exit; it stays a zombie until target_reap(). */
void target_release(struct target *t)
{
	if (t->go >= 0)
		close(t->go);
	t->go = -1;
}

/* Wait for the target; returns its wait status or -errno. */
int target_reap(struct target *t)
{
	int status;

	if (t->pid <= 0)
		return -ECHILD;
	while (waitpid(t->pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	t->pid = -1;
	return status;
}

/* Idempotent, so that teardowns can call it whatever happened. */
void target_kill(struct target *t)
{
	target_release(t);
	if (t->pid > 0) {
		kill(t->pid, SIGKILL);
		target_reap(t);
	}
}
