/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * memlab test library: small readers of /proc files and the environment.
 */
#ifndef MEMLAB_TEST_PROCFS_H
#define MEMLAB_TEST_PROCFS_H

#include <stddef.h>
#include <sys/types.h>

struct procfs_map {
	unsigned long start, end;
	char perms[5];
	char name[128];
};

ssize_t procfs_read(const char *path, char *buf, size_t size);
long procfs_meminfo(const char *key);
long procfs_smaps(pid_t pid, unsigned long addr, const char *field);
int procfs_maps(pid_t pid, struct procfs_map *maps, int max);
pid_t procfs_find_uid(uid_t uid_not1, uid_t uid_not2);
int procfs_swap_on(void);
int procfs_levels(void);
int procfs_mem_forces(void);
unsigned long procfs_page_size(void);
unsigned long procfs_pmd_size(void);
unsigned long procfs_pud_size(void);
unsigned long procfs_hugetlb_size(void);
int procfs_hugetlb_has(unsigned long size);
long procfs_hugetlb_free(unsigned long size);

#endif /* MEMLAB_TEST_PROCFS_H */
