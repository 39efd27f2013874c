// SPDX-License-Identifier: GPL-2.0-only
/*
 * memlab test library: dropping privileges without libcap, and Yama's
 * ptrace_scope, which decides who may trace whom.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "priv.h"

bool priv_root(void)
{
	return geteuid() == 0;
}

/*
 * Become @uid/@gid for real, effective and saved ids with no supplementary
 * groups. The uid change makes the mm non-dumpable (suid_dumpable), which
 * would deny ptrace-style access even to the same uid: undo that.
 */
int priv_drop(uid_t uid, gid_t gid)
{
	uid_t r, e, s;

	if (getresuid(&r, &e, &s))
		return -errno;
	if (r == uid && e == uid && s == uid && getgid() == gid &&
	    getegid() == gid)
		return 0;
	if (setgroups(0, NULL) || setresgid(gid, gid, gid) ||
	    setresuid(uid, uid, uid))
		return -errno;
	if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0))
		return -errno;
	return 0;
}

/* Keep the uid, lose every capability (effective, permitted, inheritable). */
int priv_drop_caps(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];

	memset(data, 0, sizeof(data));
	if (syscall(SYS_capset, &hdr, data))
		return -errno;
	return 0;
}

/* Lower or raise @cap in the effective set; the permitted set is kept. */
int priv_cap_effective(int cap, bool on)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data))
		return -errno;
	if (on)
		data[cap / 32].effective |= 1u << (cap % 32);
	else
		data[cap / 32].effective &= ~(1u << (cap % 32));
	if (syscall(SYS_capset, &hdr, data))
		return -errno;
	return 0;
}

static int priv_write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	if (n < 0)
		n = -errno;
	close(fd);
	return n < 0 ? (int)n : 0;
}

/* Yama's ptrace_scope, 0 to 3, or -1 where the kernel has no Yama. */
int priv_ptrace_scope(void)
{
	FILE *f = fopen(PRIV_PTRACE_SCOPE, "r");
	int scope = -1;

	if (f) {
		if (fscanf(f, "%d", &scope) != 1)
			scope = -1;
		fclose(f);
	}
	return scope;
}

/* Sets Yama's ptrace_scope (root only; 3 cannot be lowered until reboot). */
int priv_set_ptrace_scope(int scope)
{
	char text[16];

	snprintf(text, sizeof(text), "%d\n", scope);
	return priv_write_file(PRIV_PTRACE_SCOPE, text);
}

/*
 * Enter a new user namespace, mapping the current ids to root inside it, so
 * that the process has full capabilities there (and none outside).
 */
int priv_unshare_user(void)
{
	char map[64];
	uid_t uid = geteuid();
	gid_t gid = getegid();
	int ret;

	if (unshare(CLONE_NEWUSER))
		return -errno;
	snprintf(map, sizeof(map), "0 %u 1", uid);
	ret = priv_write_file("/proc/self/uid_map", map);
	if (ret)
		return ret;
	priv_write_file("/proc/self/setgroups", "deny");
	snprintf(map, sizeof(map), "0 %u 1", gid);
	return priv_write_file("/proc/self/gid_map", map);
}
