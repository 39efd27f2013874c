// SPDX-License-Identifier: GPL-2.0-only
/*
 * memlab test library: /proc readers.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include "procfs.h"

/* Whole file into @buf, NUL-terminated; returns its length or -errno. */
ssize_t procfs_read(const char *path, char *buf, size_t size)
{
	size_t got = 0;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (got < size - 1) {
		n = read(fd, buf + got, size - 1 - got);
		if (n < 0) {
			n = -errno;
			close(fd);
			return n;
		}
		if (!n)
			break;
		got += n;
	}
	close(fd);
	buf[got] = '\0';
	return got;
}

/* A /proc/meminfo value (kB for most keys), -1 if absent. */
long procfs_meminfo(const char *key)
{
	char line[256];
	size_t klen = strlen(key);
	long val = -1;
	FILE *f;

	f = fopen("/proc/meminfo", "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, klen) && line[klen] == ':') {
			val = strtol(line + klen + 1, NULL, 10);
			break;
		}
	fclose(f);
	return val;
}

/* A field (in kB) of the smaps entry holding @addr; -1 if not found. */
long procfs_smaps(pid_t pid, unsigned long addr, const char *field)
{
	char path[64], line[512];
	size_t flen = strlen(field);
	unsigned long s, e;
	int inside = 0;
	long val = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/smaps", pid ? (int)pid : getpid());
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx ", &s, &e) == 2 && strchr(line, '-') <
		    strchr(line, ' ')) {
			if (inside)
				break;
			inside = addr >= s && addr < e;
		} else if (inside && !strncmp(line, field, flen) &&
			   line[flen] == ':') {
			val = strtol(line + flen + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return val;
}

/* Parse /proc/PID/maps (pid 0: self); returns the count or -errno. */
int procfs_maps(pid_t pid, struct procfs_map *maps, int max)
{
	char path[64], line[512];
	int n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid ? (int)pid : getpid());
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (n < max && fgets(line, sizeof(line), f)) {
		struct procfs_map *m = &maps[n];
		int off = 0;

		m->name[0] = '\0';
		if (sscanf(line, "%lx-%lx %4s %*x %*s %*u %n", &m->start,
			   &m->end, m->perms, &off) < 3)
			continue;
		if (off)
			sscanf(line + off, "%127s", m->name);
		n++;
	}
	fclose(f);
	return n;
}

/* A live (non-zombie) user process whose real uid is neither argument. */
pid_t procfs_find_uid(uid_t uid_not1, uid_t uid_not2)
{
	struct dirent *d;
	pid_t found = 0;
	DIR *dir;

	dir = opendir("/proc");
	if (!dir)
		return 0;
	while (!found && (d = readdir(dir))) {
		char path[300], buf[4096], *p;
		unsigned int uid;

		if (!isdigit((unsigned char)d->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/status", d->d_name);
		if (procfs_read(path, buf, sizeof(buf)) < 0)
			continue;
		p = strstr(buf, "\nUid:");
		if (!p || sscanf(p + 5, "%u", &uid) != 1)
			continue;
		if (uid == uid_not1 || uid == uid_not2)
			continue;
		/* Kernel threads have no VmSize; zombies are state Z. */
		if (!strstr(buf, "\nVmSize:") || strstr(buf, "State:\tZ"))
			continue;
		found = atoi(d->d_name);
	}
	closedir(dir);
	return found;
}

/* 1 if /proc/swaps lists an active swap area. */
int procfs_swap_on(void)
{
	char buf[4096];

	if (procfs_read("/proc/swaps", buf, sizeof(buf)) < 0)
		return 0;
	return strchr(buf, '\n') && strchr(buf, '\n')[1] != '\0';
}

/* The paging levels the VM runner expects (MEMLAB_LEVELS), 0 if unset. */
int procfs_levels(void)
{
	const char *s = getenv("MEMLAB_LEVELS");

	return s ? atoi(s) : 0;
}

/*
 * Whether /proc/self/mem overrides a mapping's protections (FOLL_FORCE)
 * for this process: the kernel's proc_mem.force_override rule, "always"
 * on most kernels, only for a ptracer on Debian's 7.x. mtest follows the
 * same rule. Probed by writing through a read-only private page.
 */
int procfs_mem_forces(void)
{
	long psz = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, psz, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);
	char one = 1;
	int fd, forced;

	if (p == MAP_FAILED)
		return -errno;
	fd = open("/proc/self/mem", O_RDWR);
	if (fd < 0) {
		munmap(p, psz);
		return -errno;
	}
	forced = pwrite(fd, &one, 1, (off_t)(unsigned long)p) == 1 && p[0] == 1;
	close(fd);
	munmap(p, psz);
	return forced;
}

/* The base page size: 4 KiB on x86-64, 4, 16 or 64 KiB on arm64. */
unsigned long procfs_page_size(void)
{
	return (unsigned long)sysconf(_SC_PAGESIZE);
}

/*
 * What a PMD leaf maps (a THP): the kernel says so in hpage_pmd_size; a
 * kernel without THP still has PMD leaves, a table of 8-byte entries.
 */
unsigned long procfs_pmd_size(void)
{
	unsigned long psz = procfs_page_size();
	char buf[32];

	if (procfs_read("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size",
			buf, sizeof(buf)) > 0 && strtoul(buf, NULL, 10))
		return strtoul(buf, NULL, 10);
	return psz * (psz / 8);
}

/* What a PUD leaf maps: 1 GiB with 4 KiB pages, 64 GiB with 16 KiB. */
unsigned long procfs_pud_size(void)
{
	return procfs_pmd_size() * (procfs_page_size() / 8);
}

/* The default hugetlb page size (Hugepagesize), 0 without hugetlb. */
unsigned long procfs_hugetlb_size(void)
{
	long kb = procfs_meminfo("Hugepagesize");

	return kb > 0 ? (unsigned long)kb << 10 : 0;
}

/* 1 if the kernel offers hugetlb pages of @size bytes. */
int procfs_hugetlb_has(unsigned long size)
{
	char path[80];

	snprintf(path, sizeof(path), "/sys/kernel/mm/hugepages/hugepages-%lukB",
		 size >> 10);
	return access(path, F_OK) == 0;
}

/* Free hugetlb pages of @size bytes, -1 if the kernel has no such size. */
long procfs_hugetlb_free(unsigned long size)
{
	char path[96], buf[32];

	snprintf(path, sizeof(path),
		 "/sys/kernel/mm/hugepages/hugepages-%lukB/free_hugepages",
		 size >> 10);
	return procfs_read(path, buf, sizeof(buf)) < 0 ? -1 : atol(buf);
}
