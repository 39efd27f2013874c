// SPDX-License-Identifier: GPL-2.0-only
/*
 * memlab-target OUT: the process that tests/vm/guest-tool.sh points
 * memlab at. It makes one page of each kind the walk must draw (normal
 * anonymous, THP, hugetlb, file, file not yet mapped, swapped, zero page)
 * plus known bytes and a hole, writes the page, THP and hugetlb sizes and
 * "NAME 0xADDR" lines and "ready" to OUT, and waits to be killed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define GOLDEN		"memlab: golden bytes 0123456789\n"
#define DATA_FILE	"/tmp/memlab-tool.dat"

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT	21
#endif

static FILE *out;
/* The page, THP (PMD leaf) and default hugetlb sizes of this kernel. */
static unsigned long page, thp, htlb;

/* The first number after @key in file @path, times @unit; 0 if none. */
static unsigned long target_size(const char *path, const char *key,
				 unsigned long unit)
{
	char line[256];
	unsigned long v = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return 0;
	while (!v && fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key)))
			v = strtoul(line + strlen(key), NULL, 10) * unit;
	fclose(f);
	return v;
}

static void *target_map(size_t len, int prot, int flags)
{
	void *p = mmap(NULL, len, prot, flags | MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static void target_say(const char *name, const void *addr)
{
	fprintf(out, "%s %p\n", name, addr);
}

/* Known bytes: the golden text, then 0x00..0x1f. */
static void target_anon(void)
{
	unsigned char *p = target_map(page, PROT_READ | PROT_WRITE, 0);
	int i;

	if (!p)
		return;
	madvise(p, page, MADV_NOHUGEPAGE);
	memcpy(p, GOLDEN, strlen(GOLDEN));
	for (i = 0; i < 32; i++)
		p[32 + i] = i;
	target_say("anon", p);
}

static void target_thp(void)
{
	char *p = target_map(2 * thp, PROT_READ | PROT_WRITE, 0);
	char *aligned;

	if (!p)
		return;
	aligned = (char *)(((uintptr_t)p + thp - 1) & ~(thp - 1));
	madvise(aligned, thp, MADV_HUGEPAGE);
	memset(aligned, 0x5a, thp);
	target_say("thp", aligned + 0x1234);
}

static void target_hugetlb(void)
{
	char *p = htlb ? target_map(htlb, PROT_READ | PROT_WRITE, MAP_HUGETLB) :
		NULL;

	if (!p)
		return;
	memset(p, 0x48, htlb);
	target_say("hugetlb", p + 0x10);
}

/* A file page mapped and touched, and a mapping of it never touched. */
static void target_file(void)
{
	char *buf = malloc(page);
	char *p, *q;
	int fd, i;

	fd = buf ? open(DATA_FILE, O_RDWR | O_CREAT | O_TRUNC, 0644) : -1;
	if (fd < 0)
		return;
	for (i = 0; i < 4; i++) {
		memset(buf, 'a' + i, page);
		if (write(fd, buf, page) != (ssize_t)page)
			return;
	}
	free(buf);
	p = mmap(NULL, 4 * page, PROT_READ, MAP_SHARED, fd, 0);
	q = mmap(NULL, 2 * page, PROT_READ, MAP_SHARED, fd, 2 * page);
	close(fd);
	if (p == MAP_FAILED || q == MAP_FAILED)
		return;
	if (p[page + 8] != 'b')
		return;
	target_say("file", p + page + 8);
	target_say("fileabsent", q + page + 8);
}

/* Is the page at @p swapped out? pagemap bit 62, readable for ourselves. */
static int target_swapped(const void *p)
{
	uint64_t e = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0)
		return 0;
	if (pread(fd, &e, 8, (uintptr_t)p / page * 8) != 8)
		e = 0;
	close(fd);
	return !!(e & (1ULL << 62));
}

static void target_swap(void)
{
	char *p = target_map(page, PROT_READ | PROT_WRITE, 0);
	int tries;

	if (!p)
		return;
	madvise(p, page, MADV_NOHUGEPAGE);
	memset(p, 0x77, page);
	for (tries = 0; tries < 20 && !target_swapped(p); tries++) {
		madvise(p, page, MADV_PAGEOUT);
		usleep(50000);
	}
	if (target_swapped(p))
		target_say("swap", p + 0x40);
}

/* Read, never written: the shared zero page. */
static void target_zero(void)
{
	volatile char *p = target_map(page, PROT_READ | PROT_WRITE, 0);

	if (!p)
		return;
	madvise((void *)p, page, MADV_NOHUGEPAGE);
	if (p[0x80] == 0)
		target_say("zero", (void *)(p + 0x80));
}

/* Three pages with the middle one unmapped. */
static void target_hole(void)
{
	char *p = target_map(3 * page, PROT_READ | PROT_WRITE, 0);

	if (!p)
		return;
	munmap(p + page, page);
	target_say("hole", p + page + 0x10);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: memlab-target OUT\n");
		return 2;
	}
	out = fopen(argv[1], "w");
	if (!out)
		return 1;
	setvbuf(out, NULL, _IOLBF, 0);
	page = sysconf(_SC_PAGESIZE);
	thp = target_size("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size",
			  "", 1);
	htlb = target_size("/proc/meminfo", "Hugepagesize:", 1024);
	if (!thp)
		thp = page * (page / 8);
	/* The sizes the checks expect, as "pagesize 0x1000" etc. */
	fprintf(out, "pagesize %#lx\nthpsize %#lx\nhugetlbsize %#lx\n", page,
		thp, htlb);
	target_anon();
	target_thp();
	target_hugetlb();
	target_file();
	target_zero();
	target_swap();
	/* Last, so that no later mapping fills the hole. */
	target_hole();
	fprintf(out, "ready\n");
	for (;;)
		pause();
}
