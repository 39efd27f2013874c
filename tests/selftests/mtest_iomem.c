// SPDX-License-Identifier: GPL-2.0-only
/*
 * I/O memory: a VM_IO | VM_PFNMAP mapping has no struct page for GUP.
 * /proc/PID/mem still reads and writes it, through the VMA's ->access()
 * (generic_access_phys() for a PCI resource mapped from sysfs); mtest must
 * answer as /proc/PID/mem does. The mapping is a memory BAR of the first
 * display device (the VM's graphics adapter), whose framebuffer no one
 * reads. Needs root (sysfs resource files are 0600).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include "kselftest_harness.h"
#include "client.h"
#include "priv.h"

#define PCI_DEVICES	"/sys/bus/pci/devices"
/* IORESOURCE_MEM in a resource line's flags. */
#define RES_MEM		0x200UL
#define SPAN		16

/* Opens the first memory BAR of a display-class device, or -ENOENT. */
static int open_display_bar(char *path, size_t size)
{
	unsigned long long start, end, flags;
	struct dirent *d;
	char buf[512];
	int bar, fd = -ENOENT;
	FILE *f;
	DIR *dir;

	dir = opendir(PCI_DEVICES);
	if (!dir)
		return -ENOENT;
	while (fd < 0 && (d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(buf, sizeof(buf), PCI_DEVICES "/%s/class", d->d_name);
		f = fopen(buf, "r");
		if (!f)
			continue;
		if (!fgets(buf, sizeof(buf), f) || strncmp(buf, "0x03", 4)) {
			fclose(f);
			continue;
		}
		fclose(f);
		snprintf(buf, sizeof(buf), PCI_DEVICES "/%s/resource",
			 d->d_name);
		f = fopen(buf, "r");
		for (bar = 0; f && bar < 6; bar++) {
			if (fscanf(f, "%llx %llx %llx", &start, &end,
				   &flags) != 3)
				break;
			if (!(flags & RES_MEM) || end - start + 1 < 4096)
				continue;
			snprintf(path, size, PCI_DEVICES "/%s/resource%d",
				 d->d_name, bar);
			fd = open(path, O_RDWR);
			if (fd >= 0)
				break;
			fd = -errno;
		}
		if (f)
			fclose(f);
	}
	closedir(dir);
	return fd;
}

static ssize_t mem_rw(unsigned long addr, void *buf, size_t len, int write)
{
	ssize_t n;
	int fd;

	fd = open("/proc/self/mem", O_RDWR);
	if (fd < 0)
		return -errno;
	n = write ? pwrite(fd, buf, len, addr) : pread(fd, buf, len, addr);
	if (n < 0)
		n = -errno;
	close(fd);
	return n;
}

FIXTURE(iomem) {
	char path[512];
	unsigned char *map;
	int fd;
};

FIXTURE_SETUP(iomem)
{
	int bar;

	self->map = MAP_FAILED;
	self->fd = ml_mtest_open();
	ASSERT_LE(0, self->fd);
	if (!priv_root())
		SKIP(return, "sysfs PCI resource files are root's");
	bar = open_display_bar(self->path, sizeof(self->path));
	if (bar < 0)
		SKIP(return, "no display device with a memory BAR: %s",
		     strerror(-bar));
	self->map = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, bar,
			 0);
	close(bar);
	ASSERT_NE(MAP_FAILED, self->map) TH_LOG("mmap %s", self->path);
}

FIXTURE_TEARDOWN(iomem)
{
	if (self->map != MAP_FAILED)
		munmap(self->map, 4096);
	close(self->fd);
}

/* Reads agree with /proc/self/mem, which goes through ->access(). */
TEST_F(iomem, read_as_proc_pid_mem)
{
	unsigned long addr;
	unsigned char want[SPAN], got[SPAN + 1];
	int i;

	if (self->map == MAP_FAILED)
		SKIP(return, "no mapping");
	addr = (unsigned long)self->map + 64;
	for (i = 0; i < SPAN; i++)
		self->map[64 + i] = 0x30 + i;
	ASSERT_EQ(SPAN, mem_rw(addr, want, SPAN, 0))
		TH_LOG("/proc/self/mem cannot read %s", self->path);
	EXPECT_EQ(0, ml_mtest_read_text(self->fd, getpid(), addr, got, SPAN));
	EXPECT_EQ(0, memcmp(want, got, SPAN));
	EXPECT_EQ(0x30, got[0]);
	/* "R" takes the same path. */
	memset(got, 0, sizeof(got));
	ASSERT_EQ(0, ml_mtest_cmd(self->fd, "R %d %lx %d", getpid(), addr, SPAN));
	EXPECT_EQ(SPAN, ml_mtest_result(self->fd, (char *)got, sizeof(got)));
	EXPECT_EQ(0, memcmp(want, got, SPAN));
}

/* A write lands in the BAR, as a write to /proc/self/mem does. */
TEST_F(iomem, write_as_proc_pid_mem)
{
	unsigned char b = 0xa5, back = 0;
	unsigned long addr;

	if (self->map == MAP_FAILED)
		SKIP(return, "no mapping");
	addr = (unsigned long)self->map + 128;
	self->map[128] = 0;
	ASSERT_EQ(1, mem_rw(addr, &b, 1, 1));
	ASSERT_EQ(0xa5, self->map[128]);
	self->map[128] = 0;
	EXPECT_EQ(0, ml_mtest_write_one(self->fd, getpid(), addr, &b, 1));
	EXPECT_EQ(0xa5, self->map[128]);
	ASSERT_EQ(1, mem_rw(addr, &back, 1, 0));
	EXPECT_EQ(0xa5, back);
}

TEST_HARNESS_MAIN
