/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * memlab: processes by number or by name, addresses by region, and what
 * the ptrace rule looks at (their ids).
 */
#ifndef MEMLAB_PROC_H
#define MEMLAB_PROC_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Real, effective, saved and filesystem ids, as /proc/PID/status lists them. */
struct ml_proc_ids {
	unsigned int uid[4];
	unsigned int gid[4];
};

int ml_resolve_pid(const char *arg, pid_t *pid);
int ml_resolve_addr(pid_t pid, const char *spec, uint64_t *addr);
int ml_proc_name_matches(const char *name, const char *comm,
			 const char *argv0);
void ml_proc_comm(pid_t pid, char *buf, size_t size);
int ml_proc_ids(pid_t pid, struct ml_proc_ids *ids);
int ml_proc_ids_match(const struct ml_proc_ids *ids, uid_t uid, gid_t gid);

#endif /* MEMLAB_PROC_H */
