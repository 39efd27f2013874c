// SPDX-License-Identifier: GPL-2.0-only
/*
 * memlab: the PID and ADDR arguments, resolved through /proc (a process
 * by number or name; an address in hex, or a region of /proc/PID/maps and
 * an offset), and the ids of a process.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "err.h"
#include "proc.h"
#include "procmaps.h"

/* Most matches a name lookup lists. */
#define ML_PROC_MATCH_MAX	32
/* The kernel keeps 15 bytes of a command name. */
#define ML_COMM_LEN		15

/* Reads a small /proc file into @buf; returns its length or -1. */
static ssize_t ml_proc_read(pid_t pid, const char *file, char *buf,
			    size_t size)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return n;
}

void ml_proc_comm(pid_t pid, char *buf, size_t size)
{
	ssize_t n = ml_proc_read(pid, "comm", buf, size);

	if (n <= 0) {
		snprintf(buf, size, "?");
		return;
	}
	buf[strcspn(buf, "\n")] = '\0';
}

/* The base name of argv[0], from the NUL-separated command line. */
static void ml_proc_argv0(pid_t pid, char *buf, size_t size)
{
	char line[4096];
	const char *slash;

	if (ml_proc_read(pid, "cmdline", line, sizeof(line)) <= 0) {
		buf[0] = '\0';
		return;
	}
	slash = strrchr(line, '/');
	snprintf(buf, size, "%.*s", (int)size - 1, slash ? slash + 1 : line);
}

/* Does @name name the process? Its comm is cut to 15 bytes by the kernel. */
int ml_proc_name_matches(const char *name, const char *comm,
			 const char *argv0)
{
	if (!strcmp(name, comm) || (argv0[0] && !strcmp(name, argv0)))
		return 1;
	return strlen(name) > ML_COMM_LEN && strlen(comm) == ML_COMM_LEN &&
	       !strncmp(name, comm, ML_COMM_LEN);
}

static int ml_is_number(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

/* Every process named @name except ourselves; returns how many. */
static size_t ml_find_by_name(const char *name, pid_t *out, size_t max)
{
	char comm[64], argv0[256];
	struct dirent *d;
	size_t n = 0;
	DIR *dir = opendir("/proc");

	if (!dir)
		return 0;
	while ((d = readdir(dir))) {
		pid_t pid;

		if (!ml_is_number(d->d_name))
			continue;
		pid = atoi(d->d_name);
		if (pid == getpid())
			continue;
		ml_proc_comm(pid, comm, sizeof(comm));
		ml_proc_argv0(pid, argv0, sizeof(argv0));
		if (!ml_proc_name_matches(name, comm, argv0))
			continue;
		if (n < max)
			out[n] = pid;
		n++;
	}
	closedir(dir);
	return n;
}

static int ml_pid_ambiguous(const char *name, const pid_t *pids, size_t n)
{
	char comm[64], line[256];
	size_t i;

	ml_error("%zu processes are named %s:", n, name);
	for (i = 0; i < n && i < ML_PROC_MATCH_MAX; i++) {
		ssize_t len = ml_proc_read(pids[i], "cmdline", line,
					   sizeof(line));
		ssize_t j;

		for (j = 0; j < len - 1; j++)
			if (!line[j])
				line[j] = ' ';
		ml_proc_comm(pids[i], comm, sizeof(comm));
		ml_note("%7d  %s", (int)pids[i], len > 0 ? line : comm);
	}
	ml_fix("give the PID of the one you mean");
	return ML_EXIT_NOPROC;
}

/* A PID, or the name of exactly one process. Returns an exit code. */
int ml_resolve_pid(const char *arg, pid_t *pid)
{
	pid_t found[ML_PROC_MATCH_MAX];
	size_t n;

	if (ml_is_number(arg)) {
		*pid = atoi(arg);
		if (*pid > 0)
			return ML_EXIT_OK;
	}
	n = ml_find_by_name(arg, found, ML_PROC_MATCH_MAX);
	if (n == 1) {
		*pid = found[0];
		return ML_EXIT_OK;
	}
	if (n > 1)
		return ml_pid_ambiguous(arg, found, n);
	ml_error("no such process: %s", arg);
	ml_fix("give a PID or a process name that ps -e lists");
	return ML_EXIT_NOPROC;
}

/* "Uid:\t1000\t1000\t1000\t1000" and the Gid: line of /proc/PID/status. */
int ml_proc_ids(pid_t pid, struct ml_proc_ids *ids)
{
	char buf[4096];
	const char *u, *g;

	if (ml_proc_read(pid, "status", buf, sizeof(buf)) <= 0)
		return -1;
	u = strstr(buf, "\nUid:");
	g = strstr(buf, "\nGid:");
	if (!u || !g ||
	    sscanf(u, "\nUid: %u %u %u %u", &ids->uid[0], &ids->uid[1],
		   &ids->uid[2], &ids->uid[3]) != 4 ||
	    sscanf(g, "\nGid: %u %u %u %u", &ids->gid[0], &ids->gid[1],
		   &ids->gid[2], &ids->gid[3]) != 4)
		return -1;
	return 0;
}

/*
 * The ptrace rule's id test: our real uid and gid equal the target's
 * real, effective and saved ones (its filesystem ids do not count).
 */
int ml_proc_ids_match(const struct ml_proc_ids *ids, uid_t uid, gid_t gid)
{
	int i;

	for (i = 0; i < 3; i++)
		if (ids->uid[i] != uid || ids->gid[i] != gid)
			return 0;
	return 1;
}

/* Tell a user what regions there are when the one they named is not. */
static void ml_list_regions(const struct ml_maps *maps)
{
	const char *last = "";
	size_t i;

	for (i = 0; i < maps->n; i++) {
		const char *name = ml_vma_name(&maps->vma[i]);

		if (!*name || !strcmp(name, last))
			continue;
		ml_note("%s", name);
		last = name;
	}
}

/* Returns an exit code; on ML_EXIT_OK *@addr is set. */
int ml_resolve_addr(pid_t pid, const char *spec, uint64_t *addr)
{
	struct ml_maps maps;
	int err;

	if (!ml_parse_hex(spec, addr))
		return ML_EXIT_OK;
	err = ml_maps_load(pid, &maps);
	if (err == -ENOENT || err == -ESRCH) {
		ml_error("no such process: %d", (int)pid);
		return ML_EXIT_NOPROC;
	}
	if (err) {
		ml_error("cannot read /proc/%d/maps to find %s: %s", (int)pid,
			 spec, strerror(-err));
		ml_fix("give the address in hex, or run as the process's owner");
		return err == -EACCES ? ML_EXIT_PERM : ML_EXIT_FAIL;
	}
	err = ml_maps_resolve(&maps, spec, addr);
	if (err) {
		ml_error("%s is not an address (hex) nor a region of process %d",
			 spec, (int)pid);
		ml_note("regions: [heap], [stack], [vdso] or a mapped file, with an optional +OFFSET; process %d has:",
			(int)pid);
		ml_list_regions(&maps);
	}
	ml_maps_free(&maps);
	return err ? ML_EXIT_USAGE : ML_EXIT_OK;
}
