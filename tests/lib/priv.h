/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * memlab test library: credentials. The guest has root, nobody (65534)
 * and memlab2 (1001).
 */
#ifndef MEMLAB_TEST_PRIV_H
#define MEMLAB_TEST_PRIV_H

#include <stdbool.h>
#include <sys/types.h>

#define PRIV_NOBODY	65534
#define PRIV_OTHER	1001
#define PRIV_PTRACE_SCOPE	"/proc/sys/kernel/yama/ptrace_scope"

bool priv_root(void);
int priv_drop(uid_t uid, gid_t gid);
int priv_drop_caps(void);
int priv_cap_effective(int cap, bool on);
int priv_unshare_user(void);
int priv_ptrace_scope(void);
int priv_set_ptrace_scope(int scope);

#endif /* MEMLAB_TEST_PRIV_H */
