// SPDX-License-Identifier: GPL-2.0-only
/*
 * /proc/mtest "t": the page-table walk, checked against /proc/PID/pagemap,
 * /proc/PID/maps and smaps over the kinds of memory that matter: anonymous,
 * zero page, file, THP, hugetlb and swapped out.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/capability.h>
#include <sys/mman.h>

#include "kselftest_harness.h"
#include "client.h"
#include "pagemap.h"
#include "priv.h"
#include "procfs.h"
#include "target.h"
#include "xlate.h"

/* Page, PMD leaf (THP) and default hugetlb sizes, as this kernel has them. */
#define PSZ		procfs_page_size()
#define HPSZ		procfs_pmd_size()
#define HTLBSZ		procfs_hugetlb_size()
/*
 * Address bits of a raw entry: 12-51 on x86-64; on arm64, 12-47 hold the
 * address whatever the page size and VA size (50 and 51 are the BTI and
 * DBM flags, and LPA2's extra address bits 8-9 are flags elsewhere).
 */
#ifdef __aarch64__
#define PTE_PFN_MASK	0x0000fffffffff000ULL
#else
#define PTE_PFN_MASK	0x000ffffffffff000ULL
#endif

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT	21
#endif

FIXTURE(xlate) {
	int fd;
	struct target t;
	struct xlate x;
	char path[64];
};

FIXTURE_SETUP(xlate)
{
	self->t.pid = -1;
	self->t.go = -1;
	self->fd = ml_mtest_open();
	ASSERT_LE(0, self->fd) TH_LOG("open: %s", strerror(-self->fd));
}

FIXTURE_TEARDOWN(xlate)
{
	target_kill(&self->t);
	if (self->path[0])
		unlink(self->path);
	if (self->fd >= 0)
		close(self->fd);
}

/* Translate and check the format; dump the result on any failure. */
#define XLATE(self, pid, addr) do { \
		int __ret = xlate_query((self)->fd, (pid), (addr), &(self)->x); \
		const char *__why; \
		ASSERT_EQ(0, __ret) TH_LOG("t %d %lx: %s", (int)(pid), \
					   (unsigned long)(addr), \
					   strerror(-__ret)); \
		__why = xlate_check(&(self)->x); \
		if (__why) \
			xlate_dump(&(self)->x, "#   "); \
		ASSERT_EQ(NULL, __why) TH_LOG("%s", __why); \
	} while (0)

/* Signed, to compare with plain int constants. */
#define XV(self, key)	((long long)xlate_val(&(self)->x, key))

static char *xlate_anon(size_t len)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* The walk's raw entries carry no pfn bits for unprivileged callers. */
static int xlate_raw_pfns_hidden(const struct xlate *x)
{
	static const char * const keys[] = { "pgd", "p4d", "pud", "pmd", "pte" };
	unsigned long long v;
	int i;

	for (i = 0; i < 5; i++)
		if (!xlate_num(x, keys[i], &v) && (v & PTE_PFN_MASK))
			return 0;
	return 1;
}

/*
 * pfn and phys against pagemap: equal for root, both hidden (0) otherwise,
 * as pagemap hides them without CAP_SYS_ADMIN.
 */
static void xlate_check_pfn(struct __test_metadata *_metadata,
			    const struct xlate *x, pid_t pid, unsigned long addr)
{
	uint64_t ent;

	ASSERT_EQ(0, pagemap_entry(pid, addr, &ent));
	ASSERT_TRUE(!!(ent & PAGEMAP_PRESENT));
	EXPECT_EQ(pagemap_pfn(ent), xlate_val(x, "pfn"));
	if (priv_root()) {
		EXPECT_NE(0, (long long)xlate_val(x, "pfn"));
		EXPECT_EQ(xlate_val(x, "pfn") * PSZ | (addr & (PSZ - 1)),
			  xlate_val(x, "phys"));
	} else {
		EXPECT_EQ(0, (long long)xlate_val(x, "pfn"));
		EXPECT_EQ(0, (long long)xlate_val(x, "phys"));
		EXPECT_TRUE(xlate_raw_pfns_hidden(x));
	}
}

TEST_F(xlate, anon_page)
{
	char *p = xlate_anon(PSZ);
	unsigned long a;

	ASSERT_NE(NULL, p);
	p[0] = 1;
	a = (unsigned long)p + 0x123;
	XLATE(self, getpid(), a);
	EXPECT_EQ((long long)a, XV(self, "addr"));
	EXPECT_STREQ("pte", xlate_get(&self->x, "level"));
	EXPECT_EQ(1, XV(self, "present"));
	EXPECT_EQ(1, XV(self, "writable"));
	EXPECT_EQ(1, XV(self, "user"));
	EXPECT_EQ(1, XV(self, "accessed"));
	EXPECT_EQ(1, XV(self, "dirty"));
	EXPECT_EQ(0, XV(self, "huge"));
	EXPECT_EQ(1, XV(self, "anon"));
	EXPECT_EQ(0, XV(self, "file"));
	EXPECT_EQ(0, XV(self, "zero"));
	EXPECT_EQ(0, XV(self, "thp"));
	EXPECT_EQ(0, XV(self, "hugetlb"));
	EXPECT_EQ(0, XV(self, "ksm"));
	EXPECT_EQ(0, XV(self, "special"));
	if (priv_root()) {
		EXPECT_LE(1, XV(self, "refcount"));
		EXPECT_EQ(1, XV(self, "mapcount"));
	} else {
		/* They tell about other users' pages, as pfns do. */
		EXPECT_EQ(0, XV(self, "refcount"));
		EXPECT_EQ(0, XV(self, "mapcount"));
	}
	xlate_check_pfn(_metadata, &self->x, 0, a);
}

/*
 * A PMD-mapped read fault in an anonymous VMA maps the huge zero page,
 * which is the zero page as much as the 4 KiB one.
 */
TEST_F(xlate, huge_zero_page)
{
	char *raw = mmap(NULL, 2 * HPSZ, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *p;

	ASSERT_NE(MAP_FAILED, raw);
	p = (char *)(((unsigned long)raw + HPSZ - 1) & ~(HPSZ - 1));
	if (madvise(p, HPSZ, MADV_HUGEPAGE))
		SKIP(return, "MADV_HUGEPAGE: %s", strerror(errno));
	ASSERT_EQ(0, __atomic_load_n(p + 0x1234, __ATOMIC_RELAXED));
	XLATE(self, getpid(), (unsigned long)p + 0x1234);
	if (strcmp(xlate_get(&self->x, "level"), "pmd"))
		SKIP(return, "the read fault mapped no huge zero page (level %s)",
		     xlate_get(&self->x, "level"));
	EXPECT_EQ(1, XV(self, "present"));
	EXPECT_EQ(1, XV(self, "huge"));
	EXPECT_EQ(1, XV(self, "zero"));
	EXPECT_EQ(0, XV(self, "anon"));
	EXPECT_EQ(0, XV(self, "thp"));
	xlate_check_pfn(_metadata, &self->x, 0, (unsigned long)p + 0x1234);
}

#define KSM_RUN		"/sys/kernel/mm/ksm/run"

/* Writes @val to ksmd's run file; returns the old value, or -1. */
static int xlate_ksm_run(int val)
{
	char buf[16];
	int fd = open(KSM_RUN, O_RDWR), old = -1;
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	if (n > 0) {
		buf[n] = '\0';
		old = atoi(buf);
		n = snprintf(buf, sizeof(buf), "%d\n", val);
		if (pwrite(fd, buf, n, 0) != n)
			old = -1;
	}
	close(fd);
	return old;
}

/*
 * A KSM page is shared with whoever else has the same bytes: its "ksm",
 * like refcount and mapcount, is for the privileged view alone, which is
 * the opener's at open().
 */
TEST_F(xlate, ksm_page_hidden_without_the_pfn_view)
{
	char *p = xlate_anon(2 * PSZ);
	int run, i, fd, ksm = 0;

	ASSERT_NE(NULL, p);
	if (!priv_root())
		SKIP(return, "needs root to start ksmd");
	memset(p, 0x5a, 2 * PSZ);
	if (madvise(p, 2 * PSZ, MADV_MERGEABLE))
		SKIP(return, "MADV_MERGEABLE: %s", strerror(errno));
	run = xlate_ksm_run(1);
	if (run < 0)
		SKIP(return, "no %s", KSM_RUN);
	for (i = 0; i < 300 && !ksm; i++) {
		XLATE(self, getpid(), (unsigned long)p);
		ksm = XV(self, "ksm");
		if (!ksm)
			usleep(100000);
	}
	xlate_ksm_run(run);
	if (!ksm)
		SKIP(return, "ksmd merged nothing in 30 s");
	EXPECT_LE(2, XV(self, "mapcount"));

	/* Opened without CAP_SYS_ADMIN: the same page tells nothing. */
	ASSERT_EQ(0, priv_cap_effective(CAP_SYS_ADMIN, false));
	fd = ml_mtest_open();
	ASSERT_EQ(0, priv_cap_effective(CAP_SYS_ADMIN, true));
	ASSERT_LE(0, fd);
	close(self->fd);
	self->fd = fd;
	XLATE(self, getpid(), (unsigned long)p);
	EXPECT_EQ(1, XV(self, "present"));
	EXPECT_EQ(1, XV(self, "anon"));
	EXPECT_EQ(0, XV(self, "ksm"));
	EXPECT_EQ(0, XV(self, "refcount"));
	EXPECT_EQ(0, XV(self, "mapcount"));
	EXPECT_EQ(0, XV(self, "pfn"));
}

/*
 * The start of [vvar] if it is a pfn map (VmFlags "pf" or "io"): up to 6.12
 * it is; from 6.13 the vDSO data are ordinary pages.
 */
static unsigned long xlate_vvar_pfnmap(void)
{
	unsigned long start = 0, s, e;
	int in_vvar = 0, pfnmap = 0;
	char line[256];
	FILE *f = fopen("/proc/self/smaps", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		/* A mapping's header line: "start-end perms ...". */
		if (sscanf(line, "%lx-%lx ", &s, &e) == 2) {
			in_vvar = !!strstr(line, "[vvar]");
			start = s;
			continue;
		}
		if (in_vvar && !strncmp(line, "VmFlags:", 8)) {
			pfnmap = strstr(line, " pf") || strstr(line, " io");
			break;
		}
	}
	fclose(f);
	return in_vvar && pfnmap ? start : 0;
}

/* A pfn map (the vDSO's vvar data) has no struct page to describe. */
TEST_F(xlate, special_pfnmap)
{
	unsigned long start = xlate_vvar_pfnmap();

	if (!start)
		SKIP(return, "no [vvar] pfn map in this process (VmFlags pf/io)");
	/* Readable by its process; the touch faults the pfn in. */
	(void)*(volatile char *)start;
	XLATE(self, getpid(), start);
	if (XV(self, "present") != 1)
		SKIP(return, "[vvar]'s first page is not mapped yet");
	EXPECT_EQ(1, XV(self, "special"));
	EXPECT_EQ(0, XV(self, "refcount"));
	EXPECT_EQ(0, XV(self, "anon"));
	EXPECT_EQ(0, XV(self, "file"));
}

TEST_F(xlate, vma_line_matches_maps)
{
	struct procfs_map maps[128];
	char *p = xlate_anon(3 * PSZ), want[96];
	int n, i;

	ASSERT_NE(NULL, p);
	ASSERT_EQ(0, mprotect(p + PSZ, PSZ, PROT_READ));
	p[0] = 1;
	XLATE(self, getpid(), (unsigned long)p + PSZ + 5);
	n = procfs_maps(0, maps, 128);
	for (i = 0; i < n; i++)
		if (maps[i].start == (unsigned long)p + PSZ)
			break;
	ASSERT_LT(i, n);
	snprintf(want, sizeof(want), "0x%lx-0x%lx %s", maps[i].start,
		 maps[i].end, maps[i].perms);
	EXPECT_STREQ(want, xlate_get(&self->x, "vma"));
	EXPECT_STREQ("r--p", maps[i].perms);
}

TEST_F(xlate, levels_as_expected)
{
	int want = procfs_levels();
	char *p = xlate_anon(PSZ);

	ASSERT_NE(NULL, p);
	p[0] = 1;
	XLATE(self, getpid(), (unsigned long)p);
	if (!want)
		SKIP(return, "MEMLAB_LEVELS not set (the VM runner sets it)");
	EXPECT_EQ(want, (int)XV(self, "levels"));
	/* On 4-level paging p4d is folded into pgd. */
	if (want == 4)
		EXPECT_EQ(XV(self, "pgd"), XV(self, "p4d"));
	/* On 3-level paging (16 KiB pages, arm64.nolva) so are p4d and pud. */
	if (want == 3) {
		EXPECT_EQ(XV(self, "pgd"), XV(self, "p4d"));
		EXPECT_EQ(XV(self, "pgd"), XV(self, "pud"));
	}
}

TEST_F(xlate, other_process)
{
	char *p = xlate_anon(PSZ);

	ASSERT_NE(NULL, p);
	p[0] = 1;
	ASSERT_EQ(0, target_start(&self->t, NULL, NULL));
	/* Shared by fork until someone writes: write ours, not the child's. */
	p[0] = 2;
	XLATE(self, self->t.pid, (unsigned long)p);
	EXPECT_EQ(1, XV(self, "anon"));
	xlate_check_pfn(_metadata, &self->x, self->t.pid, (unsigned long)p);
	/* Not our page. */
	if (priv_root()) {
		uint64_t ent;

		ASSERT_EQ(0, pagemap_entry(0, (unsigned long)p, &ent));
		EXPECT_NE((long long)pagemap_pfn(ent), XV(self, "pfn"));
	}
}

TEST_F(xlate, zero_page)
{
	char *p = xlate_anon(PSZ);

	ASSERT_NE(NULL, p);
	ASSERT_EQ(0, __atomic_load_n(p, __ATOMIC_RELAXED));
	XLATE(self, getpid(), (unsigned long)p);
	EXPECT_EQ(1, XV(self, "present"));
	EXPECT_EQ(1, XV(self, "zero"));
	EXPECT_EQ(0, XV(self, "writable"));
	xlate_check_pfn(_metadata, &self->x, 0, (unsigned long)p);
}

TEST_F(xlate, untouched_page_not_present)
{
	char *p = xlate_anon(PSZ);

	ASSERT_NE(NULL, p);
	XLATE(self, getpid(), (unsigned long)p);
	EXPECT_EQ(0, XV(self, "present"));
	EXPECT_EQ(0, XV(self, "swap"));
	/* Asking does not fault it in. */
	XLATE(self, getpid(), (unsigned long)p);
	EXPECT_EQ(0, XV(self, "present"));
}

TEST_F(xlate, file_page)
{
	char *p;
	int ffd;

	strcpy(self->path, "/tmp/memlab-xlate.XXXXXX");
	ffd = mkstemp(self->path);
	ASSERT_LE(0, ffd);
	ASSERT_EQ(0, ftruncate(ffd, PSZ));
	ASSERT_EQ(4, pwrite(ffd, "data", 4, 0));
	p = mmap(NULL, PSZ, PROT_READ, MAP_SHARED, ffd, 0);
	close(ffd);
	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ('d', p[0]);
	XLATE(self, getpid(), (unsigned long)p + 1);
	EXPECT_EQ(1, XV(self, "present"));
	EXPECT_EQ(1, XV(self, "file"));
	EXPECT_EQ(0, XV(self, "anon"));
	EXPECT_EQ(0, XV(self, "zero"));
	EXPECT_EQ(0, XV(self, "writable"));
	EXPECT_EQ(0, strcmp(xlate_get(&self->x, "vma") +
			    strlen(xlate_get(&self->x, "vma")) - 4, "r--s"));
	xlate_check_pfn(_metadata, &self->x, 0, (unsigned long)p + 1);
}

TEST_F(xlate, unmapped_efault)
{
	char *p = xlate_anon(PSZ);

	ASSERT_NE(NULL, p);
	ASSERT_EQ(0, munmap(p, PSZ));
	EXPECT_EQ(-EFAULT, ml_mtest_cmd(self->fd, "t %d %lx", getpid(),
				     (unsigned long)p));
	EXPECT_EQ(-EFAULT, ml_mtest_cmd(self->fd, "t %d 0", getpid()));
}

/* A PMD-aligned region inside a larger mapping. */
static char *xlate_aligned(size_t len)
{
	char *p = xlate_anon(len + HPSZ);

	if (!p)
		return NULL;
	return (char *)(((unsigned long)p + HPSZ - 1) & ~(HPSZ - 1));
}

TEST_F(xlate, thp)
{
	char buf[128] = "";
	char *p = xlate_aligned(2 * HPSZ);
	unsigned char out[4];

	ASSERT_NE(NULL, p);
	procfs_read("/sys/kernel/mm/transparent_hugepage/enabled", buf,
		    sizeof(buf));
	if (madvise(p, 2 * HPSZ, MADV_HUGEPAGE))
		SKIP(return, "MADV_HUGEPAGE: %s (THP enabled: %s)",
		     strerror(errno), buf);
	memset(p, 7, HPSZ);
	if (procfs_smaps(0, (unsigned long)p, "AnonHugePages") <= 0)
		SKIP(return, "smaps shows no AnonHugePages (THP enabled: %s)",
		     buf);
	XLATE(self, getpid(), (unsigned long)p + 0x12345);
	EXPECT_STREQ("pmd", xlate_get(&self->x, "level"));
	EXPECT_EQ(1, XV(self, "present"));
	EXPECT_EQ(1, XV(self, "huge"));
	EXPECT_EQ(1, XV(self, "thp"));
	EXPECT_EQ(0, XV(self, "hugetlb"));
	EXPECT_EQ(1, XV(self, "anon"));
	EXPECT_EQ(NULL, xlate_get(&self->x, "pte"));
	xlate_check_pfn(_metadata, &self->x, 0, (unsigned long)p + 0x12345);
	/* r and w work inside the huge page, also across its end. */
	ASSERT_EQ(0, ml_mtest_cmd(self->fd, "w %d %lx 1 2 3 4", getpid(),
			       (unsigned long)p + HPSZ - 2));
	EXPECT_EQ(1, p[HPSZ - 2]);
	EXPECT_EQ(4, p[HPSZ + 1]);
	ASSERT_EQ(0, ml_mtest_read_text(self->fd, getpid(), (unsigned long)p + 0x1000,
				out, 4));
	EXPECT_EQ(7, out[3]);
}

TEST_F(xlate, hugetlb)
{
	long free_pages = procfs_meminfo("HugePages_Free");
	char *p;

	if (!HTLBSZ)
		SKIP(return, "no hugetlb pages (no Hugepagesize in /proc/meminfo)");
	if (free_pages <= 0)
		SKIP(return, "no free hugetlb pages (HugePages_Free: %ld)",
		     free_pages);
	p = mmap(NULL, HTLBSZ, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	if (p == MAP_FAILED)
		SKIP(return, "MAP_HUGETLB: %s", strerror(errno));
	memset(p, 3, PSZ);
	XLATE(self, getpid(), (unsigned long)p + 0x1001);
	EXPECT_STREQ("pmd", xlate_get(&self->x, "level"));
	EXPECT_EQ(1, XV(self, "present"));
	EXPECT_EQ(1, XV(self, "huge"));
	EXPECT_EQ(1, XV(self, "hugetlb"));
	EXPECT_EQ(0, XV(self, "thp"));
	xlate_check_pfn(_metadata, &self->x, 0, (unsigned long)p + 0x1001);
	ASSERT_EQ(0, ml_mtest_cmd(self->fd, "w %d %lx 9", getpid(),
			       (unsigned long)p + HTLBSZ - 1));
	EXPECT_EQ(9, p[HTLBSZ - 1]);
}

static void gigantic_pages(const char *n)
{
	char path[80];
	FILE *f;

	snprintf(path, sizeof(path),
		 "/sys/kernel/mm/hugepages/hugepages-%lukB/nr_hugepages",
		 procfs_pud_size() >> 10);
	f = fopen(path, "w");

	if (f) {
		fputs(n, f);
		fclose(f);
	}
}

/* PROT_NONE keeps the page: a PUD (1 GiB) hugetlb leaf is still present. */
TEST_F(xlate, hugetlb_1g_prot_none)
{
	const unsigned long gsz = procfs_pud_size();
	char *p;

	if (!procfs_hugetlb_has(gsz))
		SKIP(return, "no hugetlb pages of the PUD size, %lu MiB",
		     gsz >> 20);
	/* Root reserves one for the test, if memory allows, and frees it. */
	if (priv_root())
		gigantic_pages("1");
	p = mmap(NULL, gsz, PROT_READ | PROT_WRITE, MAP_PRIVATE |
		 MAP_ANONYMOUS | MAP_HUGETLB |
		 (__builtin_ctzl(gsz) << MAP_HUGE_SHIFT), -1, 0);
	if (p == MAP_FAILED) {
		if (priv_root())
			gigantic_pages("0");
		SKIP(return, "MAP_HUGETLB %lu MiB: %s (no such page free)",
		     gsz >> 20, strerror(errno));
	}
	p[0x1234] = 5;
	ASSERT_EQ(0, mprotect(p, gsz, PROT_NONE));
	XLATE(self, getpid(), (unsigned long)p + 0x1234);
	EXPECT_STREQ("pud", xlate_get(&self->x, "level"));
	EXPECT_EQ(1, XV(self, "present"));
	EXPECT_EQ(1, XV(self, "hugetlb"));
	EXPECT_EQ(0, XV(self, "writable"));
	munmap(p, gsz);
	if (priv_root())
		gigantic_pages("0");
}

TEST_F_TIMEOUT(xlate, swapped_out, 120)
{
	char *p = xlate_anon(PSZ);
	unsigned char out[2];
	uint64_t ent = 0;
	int tries;

	ASSERT_NE(NULL, p);
	if (!procfs_swap_on())
		SKIP(return, "no active swap area in /proc/swaps");
	memset(p, 0x6b, PSZ);
	p[100] = 0x21;
	for (tries = 0; tries < 20; tries++) {
		if (madvise(p, PSZ, MADV_PAGEOUT))
			SKIP(return, "MADV_PAGEOUT: %s", strerror(errno));
		ASSERT_EQ(0, pagemap_entry(0, (unsigned long)p, &ent));
		if (ent & PAGEMAP_SWAP)
			break;
		usleep(50000);
	}
	ASSERT_TRUE(!!(ent & PAGEMAP_SWAP)) TH_LOG("pagemap %#llx after pageout",
					       (unsigned long long)ent);
	XLATE(self, getpid(), (unsigned long)p + 100);
	EXPECT_EQ(0, XV(self, "present"));
	EXPECT_EQ(1, XV(self, "swap"));
	EXPECT_STREQ("pte", xlate_get(&self->x, "level"));
	if (priv_root()) {
		EXPECT_EQ((long long)pagemap_swap_type(ent), XV(self, "swap_type"));
		EXPECT_EQ((long long)pagemap_swap_offset(ent),
			  XV(self, "swap_offset"));
		EXPECT_NE(0, XV(self, "swap_offset"));
	} else {
		/* pagemap hides the whole entry; guest-init makes type 1. */
		EXPECT_EQ(0, XV(self, "swap_type"));
		EXPECT_EQ(0, XV(self, "swap_offset"));
	}
	/* Translating does not swap it in; reading does. */
	ASSERT_EQ(0, pagemap_entry(0, (unsigned long)p, &ent));
	EXPECT_TRUE(!!(ent & PAGEMAP_SWAP));
	ASSERT_EQ(0, ml_mtest_read_text(self->fd, getpid(), (unsigned long)p + 99, out,
				2));
	EXPECT_EQ(0x6b, out[0]);
	EXPECT_EQ(0x21, out[1]);
	ASSERT_EQ(0, pagemap_entry(0, (unsigned long)p, &ent));
	EXPECT_TRUE(!!(ent & PAGEMAP_PRESENT));
	EXPECT_FALSE(!!(ent & PAGEMAP_SWAP));
	XLATE(self, getpid(), (unsigned long)p + 100);
	EXPECT_EQ(1, XV(self, "present"));
}

/*
 * The walk's new lines, over its own pages: page sizes from the kernel, so
 * that they hold on 4 KiB and 16 KiB kernels alike.
 */
static unsigned long xlate_page_size(void)
{
	return (unsigned long)sysconf(_SC_PAGESIZE);
}

static const char * const xlate_levels[] = { "pgd", "p4d", "pud", "pmd", "pte" };

/* "pgd_table" .. "pte_table" of level @l. */
static unsigned long long xlate_table(const struct xlate *x, int l)
{
	char key[16];

	snprintf(key, sizeof(key), "%s_table", xlate_levels[l]);
	return xlate_val(x, key);
}

/* The index of the level where the walk ended. */
static int xlate_leaf(const struct xlate *x)
{
	const char *level = xlate_get(x, "level");
	int l;

	for (l = 0; level && l < 5; l++)
		if (!strcmp(level, xlate_levels[l]))
			return l;
	return -1;
}

/*
 * Root: the first level in use reads the root table, and the levels folded
 * into it the same; every other table is a page, and the one its parent
 * entry's address bits name. Without privilege every table reads 0.
 */
static void xlate_check_tables(struct __test_metadata *_metadata,
			       const struct xlate *x)
{
	int leaf = xlate_leaf(x), root = 5 - (int)xlate_val(x, "levels"), l;

	ASSERT_LE(0, leaf);
	ASSERT_LE(0, root);
	for (l = 0; l <= leaf; l++) {
		if (!priv_root()) {
			EXPECT_EQ(0ULL, xlate_table(x, l))
				TH_LOG("%s_table shown", xlate_levels[l]);
			continue;
		}
		if (l <= root) {
			EXPECT_NE(0ULL, xlate_table(x, l));
			/* An entry is 8 bytes; the root may be under a page. */
			EXPECT_EQ(0ULL, xlate_table(x, l) & 7);
			EXPECT_EQ(xlate_table(x, root), xlate_table(x, l))
				TH_LOG("%s folded into the root", xlate_levels[l]);
			continue;
		}
		EXPECT_EQ(0ULL, xlate_table(x, l) & (xlate_page_size() - 1))
			TH_LOG("%s_table %#llx not page aligned", xlate_levels[l],
			       xlate_table(x, l));
		EXPECT_EQ(xlate_val(x, xlate_levels[l - 1]) & PTE_PFN_MASK,
			  xlate_table(x, l))
			TH_LOG("%s_table is not what %s points to",
			       xlate_levels[l], xlate_levels[l - 1]);
	}
}

TEST_F(xlate, tables_match_entries)
{
	unsigned long long root;
	char *p = xlate_anon(xlate_page_size()), *q;

	ASSERT_NE(NULL, p);
	p[0] = 1;
	XLATE(self, getpid(), (unsigned long)p);
	/* For the log: one whole walk as this kernel prints it. */
	if (priv_root())
		xlate_dump(&self->x, "#   t: ");
	xlate_check_tables(_metadata, &self->x);
	xlate_check_pfn(_metadata, &self->x, 0, (unsigned long)p);
	root = xlate_table(&self->x, 0);
	/* One root per process: the stack's walk starts at the same table. */
	XLATE(self, getpid(), (unsigned long)&q);
	xlate_check_tables(_metadata, &self->x);
	EXPECT_EQ(root, xlate_table(&self->x, 0));
	/* And another process has its own. */
	ASSERT_EQ(0, target_start(&self->t, NULL, NULL));
	XLATE(self, self->t.pid, (unsigned long)p);
	xlate_check_tables(_metadata, &self->x);
	if (priv_root())
		EXPECT_NE(root, xlate_table(&self->x, 0));
}

/* Tables are shown for a walk that ends early too, and for a huge leaf. */
TEST_F(xlate, tables_of_absent_page)
{
	char *p = xlate_anon(xlate_page_size());

	ASSERT_NE(NULL, p);
	XLATE(self, getpid(), (unsigned long)p);
	EXPECT_EQ(0, XV(self, "present"));
	xlate_check_tables(_metadata, &self->x);
}

/* Execute-never as the MMU reads it for user space: NX, or UXN. */
#ifdef __aarch64__
#define XLATE_NX_BIT	54
#else
#define XLATE_NX_BIT	63
#endif

static int xlate_cpu_has_nx(void)
{
#ifdef __aarch64__
	return 1;
#else
	char line[4096];
	FILE *f = fopen("/proc/cpuinfo", "r");
	int nx = 0;

	if (!f)
		return 0;
	while (!nx && fgets(line, sizeof(line), f))
		nx = !strncmp(line, "flags", 5) && strstr(line, " nx");
	fclose(f);
	return nx;
#endif
}

static void xlate_check_nx(struct __test_metadata *_metadata,
			   const struct xlate *x, int want)
{
	const char *leaf = xlate_get(x, "level");

	ASSERT_NE(NULL, leaf);
	EXPECT_EQ(want, (int)xlate_val(x, "nx"));
	EXPECT_EQ((xlate_val(x, leaf) >> XLATE_NX_BIT) & 1, xlate_val(x, "nx"));
}

TEST_F(xlate, nx_follows_prot_exec)
{
	unsigned long psz = xlate_page_size();
	char *p = xlate_anon(psz);

	ASSERT_NE(NULL, p);
	if (!xlate_cpu_has_nx())
		SKIP(return, "the CPU has no NX: every page is executable");
	p[0] = 1;
	XLATE(self, getpid(), (unsigned long)p);
	xlate_check_nx(_metadata, &self->x, 1);
	ASSERT_EQ(0, mprotect(p, psz, PROT_READ | PROT_EXEC));
	XLATE(self, getpid(), (unsigned long)p);
	xlate_check_nx(_metadata, &self->x, 0);
	EXPECT_EQ(1, XV(self, "present"));
	ASSERT_EQ(0, mprotect(p, psz, PROT_READ));
	XLATE(self, getpid(), (unsigned long)p);
	xlate_check_nx(_metadata, &self->x, 1);
}

/* A file of 4 pages, "page N" at the start of page N. */
static int xlate_file(struct __test_metadata *_metadata, char *path)
{
	unsigned long psz = xlate_page_size();
	char text[16];
	int fd, i;

	fd = mkstemp(path);
	EXPECT_LE(0, fd) TH_LOG("mkstemp %s: %s", path, strerror(errno));
	if (fd < 0)
		return -1;
	EXPECT_EQ(0, ftruncate(fd, 4 * psz));
	for (i = 0; i < 4; i++) {
		snprintf(text, sizeof(text), "page %d", i);
		EXPECT_EQ((ssize_t)strlen(text),
			  pwrite(fd, text, strlen(text), i * psz));
	}
	return fd;
}

/* Present or not, a file page shows its file and its offset in it. */
TEST_F(xlate, file_offset_and_path)
{
	unsigned long psz = xlate_page_size();
	char *p;
	int fd;

	strcpy(self->path, "/tmp/memlab-xlate.XXXXXX");
	fd = xlate_file(_metadata, self->path);
	ASSERT_LE(0, fd);
	/* Pages 2 and 3 of the file. */
	p = mmap(NULL, 2 * psz, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd,
		 2 * psz);
	close(fd);
	ASSERT_NE(MAP_FAILED, p);
	/* Nothing touched yet. */
	XLATE(self, getpid(), (unsigned long)p + psz + 5);
	EXPECT_EQ(0, XV(self, "present"));
	EXPECT_EQ((long long)(3 * psz), XV(self, "file_offset"));
	EXPECT_STREQ(self->path, xlate_get(&self->x, "file_path"));
	/* Its page of the page cache. */
	ASSERT_EQ(0, memcmp(p + psz, "page 3", 6));
	XLATE(self, getpid(), (unsigned long)p + psz + 5);
	EXPECT_EQ(1, XV(self, "present"));
	EXPECT_EQ(1, XV(self, "file"));
	EXPECT_EQ((long long)(3 * psz), XV(self, "file_offset"));
	EXPECT_STREQ(self->path, xlate_get(&self->x, "file_path"));
	xlate_check_pfn(_metadata, &self->x, 0, (unsigned long)p + psz + 5);
	XLATE(self, getpid(), (unsigned long)p + 7);
	EXPECT_EQ((long long)(2 * psz), XV(self, "file_offset"));
	/* A private copy still shows where in the file it came from. */
	p[psz] = 'P';
	XLATE(self, getpid(), (unsigned long)p + psz);
	EXPECT_EQ(1, XV(self, "present"));
	EXPECT_EQ(1, XV(self, "anon"));
	EXPECT_EQ((long long)(3 * psz), XV(self, "file_offset"));
	/* Dropped: not present, and a touch reads the file there again. */
	ASSERT_EQ(0, madvise(p + psz, psz, MADV_DONTNEED));
	XLATE(self, getpid(), (unsigned long)p + psz);
	EXPECT_EQ(0, XV(self, "present"));
	EXPECT_EQ((long long)(3 * psz), XV(self, "file_offset"));
	EXPECT_STREQ(self->path, xlate_get(&self->x, "file_path"));
	EXPECT_EQ(0, memcmp(p + psz, "page 3", 6));
	/* Anonymous memory has neither. */
	XLATE(self, getpid(), (unsigned long)&p);
	EXPECT_EQ(NULL, xlate_get(&self->x, "file_path"));
	EXPECT_EQ(NULL, xlate_get(&self->x, "file_offset"));
}

/* A name cannot forge lines: control bytes and "\" read as \ooo. */
TEST_F(xlate, file_path_escaped)
{
	char want[sizeof(self->path) * 4], *w = want, *p;
	const char *s;
	int fd;

	strcpy(self->path, "/tmp/memlab-x\npfn: 0x1234\\\t.XXXXXX");
	fd = xlate_file(_metadata, self->path);
	ASSERT_LE(0, fd);
	p = mmap(NULL, xlate_page_size(), PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	ASSERT_NE(MAP_FAILED, p);
	for (s = self->path; *s; s++) {
		if (*s == '\n' || *s == '\t' || *s == '\\')
			w += sprintf(w, "\\%03o", (unsigned char)*s);
		else
			*w++ = *s;
	}
	*w = '\0';
	XLATE(self, getpid(), (unsigned long)p);
	ASSERT_NE(NULL, xlate_get(&self->x, "file_path"));
	EXPECT_STREQ(want, xlate_get(&self->x, "file_path"));
	EXPECT_EQ(0, XV(self, "file_offset"));
}

/*
 * arm64: the leaf's attribute keys are its raw bits, and they follow the
 * generic flags (pte_write() is DBM, pte_dirty() is DBM without AP[2] or
 * the software dirty bit) through mprotect() and a first write.
 */
static void xlate_check_arm64(struct __test_metadata *_metadata,
			      const struct xlate *x)
{
	static const char * const keys[] = {
		"valid", "af", "ng", "ap_user", "ap_rdonly", "dbm", "uxn", "pxn",
		"cont",
	};
	unsigned long long entry = xlate_val(x, xlate_get(x, "level"));
	size_t i;

	for (i = 0; i < ARRAY_SIZE(keys); i++)
		EXPECT_EQ((entry >> xlate_arch_bit(keys[i])) & 1,
			  xlate_val(x, keys[i]))
			TH_LOG("bit %d against the entry %#llx",
			       xlate_arch_bit(keys[i]), entry);
	EXPECT_EQ(xlate_val(x, "writable"), xlate_val(x, "dbm"));
	EXPECT_EQ(xlate_val(x, "accessed"), xlate_val(x, "af"));
	EXPECT_EQ(xlate_val(x, "user"), xlate_val(x, "ap_user"));
	EXPECT_EQ(xlate_val(x, "nx"), xlate_val(x, "uxn"));
	/* User pages never run at EL1, and are per process. */
	EXPECT_EQ(1, (int)xlate_val(x, "pxn"));
	EXPECT_EQ(1, (int)xlate_val(x, "ng"));
	if (xlate_val(x, "dbm") && !xlate_val(x, "ap_rdonly"))
		EXPECT_EQ(1, (int)xlate_val(x, "dirty"));
}

#define XLATE_ARM64(self, addr) do { \
		XLATE(self, getpid(), addr); \
		xlate_check_arm64(_metadata, &(self)->x); \
	} while (0)

TEST_F(xlate, arm64_leaf_bits)
{
	unsigned long psz = xlate_page_size();
	char *p;

	if (xlate_arch_bit("valid") < 0) {
		p = xlate_anon(psz);
		ASSERT_NE(NULL, p);
		p[0] = 1;
		XLATE(self, getpid(), (unsigned long)p);
		EXPECT_EQ(NULL, xlate_get(&self->x, "valid"));
		SKIP(return, "arm64 only: this architecture shows no arch keys");
	}
	/* Shared memory: a read maps it writable and clean. */
	p = mmap(NULL, psz, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		 -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(0, __atomic_load_n(p, __ATOMIC_RELAXED));
	XLATE_ARM64(self, (unsigned long)p);
	EXPECT_EQ(1, XV(self, "valid"));
	EXPECT_EQ(1, XV(self, "ap_user"));
	EXPECT_EQ(1, XV(self, "uxn"));
	if (XV(self, "writable") == 1 && XV(self, "dirty") == 0) {
		EXPECT_EQ(1, XV(self, "dbm"));
		EXPECT_EQ(1, XV(self, "ap_rdonly"));
	}
	/* Written: dirty, so AP[2] is clear. */
	p[0] = 1;
	XLATE_ARM64(self, (unsigned long)p);
	EXPECT_EQ(1, XV(self, "dirty"));
	EXPECT_EQ(1, XV(self, "dbm"));
	EXPECT_EQ(0, XV(self, "ap_rdonly"));
	/* Read-only: no DBM, AP[2] set, still dirty (the software bit). */
	ASSERT_EQ(0, mprotect(p, psz, PROT_READ));
	XLATE_ARM64(self, (unsigned long)p);
	EXPECT_EQ(0, XV(self, "dbm"));
	EXPECT_EQ(1, XV(self, "ap_rdonly"));
	EXPECT_EQ(1, XV(self, "dirty"));
	EXPECT_EQ(1, XV(self, "uxn"));
	/* PROT_NONE keeps the page: present, but not valid nor for EL0. */
	ASSERT_EQ(0, mprotect(p, psz, PROT_NONE));
	XLATE_ARM64(self, (unsigned long)p);
	EXPECT_EQ(1, XV(self, "present"));
	EXPECT_EQ(0, XV(self, "valid"));
	EXPECT_EQ(0, XV(self, "ap_user"));
	/* Executable: UXN clear, PXN still set. */
	p = xlate_anon(psz);
	ASSERT_NE(NULL, p);
	p[0] = 1;
	ASSERT_EQ(0, mprotect(p, psz, PROT_READ | PROT_EXEC));
	XLATE_ARM64(self, (unsigned long)p);
	EXPECT_EQ(0, XV(self, "uxn"));
	EXPECT_EQ(1, XV(self, "pxn"));
}

TEST_HARNESS_MAIN
