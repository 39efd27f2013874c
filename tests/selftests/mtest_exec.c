// SPDX-License-Identifier: GPL-2.0-only
/*
 * A write into running code: a thread calls a two-instruction function
 * ("return 1") in a loop while its immediate is rewritten. The thread must
 * see the new instruction, as after a debugger's write through ptrace: the
 * I-cache is made coherent with the bytes written (arm64 cleans and
 * invalidates; x86 is coherent by itself).
 *
 * The kernel's own path is the oracle: the loop must first see a write
 * through /proc/self/mem, then mtest's. Both threads run on one CPU:
 * under TCG with one thread per vCPU, code running on one vCPU did not
 * always see a write made on another, through /proc/self/mem as much as
 * through mtest (measured on QEMU 7.2), so a cross-CPU check there would
 * test the emulator.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include "kselftest_harness.h"
#include "client.h"

#if defined(__aarch64__)
/* mov w0, #1; ret. The immediate is bits 5-20 of the first word. */
static const unsigned char code_one[] = {
	0x20, 0x00, 0x80, 0x52, 0xc0, 0x03, 0x5f, 0xd6,
};
#define PATCH_OFF	0
/* The first byte of "mov w0, #v": imm16 starts at bit 5. */
static const unsigned char patch_imm[] = { 0x00, 0x20, 0x40, 0x60 };
#elif defined(__x86_64__)
/* mov eax, 1; ret */
static const unsigned char code_one[] = { 0xb8, 0x01, 0x00, 0x00, 0x00, 0xc3 };
#define PATCH_OFF	1
static const unsigned char patch_imm[] = { 0x00, 0x01, 0x02, 0x03 };
#endif

struct runner {
	int (*fn)(void);
	atomic_int seen;
	atomic_int stop;
};

static void *run_loop(void *arg)
{
	struct runner *r = arg;
	int v;

	while (!atomic_load(&r->stop)) {
		v = r->fn();
		atomic_store(&r->seen, v);
	}
	return NULL;
}

FIXTURE(exec) {
	unsigned char *code;
	int fd;
	int mem;	/* /proc/self/mem, the kernel's own path */
};

/* Wait up to @ms for the loop to return @v: true if it did. */
static bool loop_sees(struct runner *r, int v, int ms)
{
	int i;

	for (i = 0; i < ms && atomic_load(&r->seen) != v; i++)
		usleep(1000);
	return atomic_load(&r->seen) == v;
}

FIXTURE_SETUP(exec)
{
	cpu_set_t one;

	self->code = MAP_FAILED;
	self->fd = ml_mtest_open();
	ASSERT_LE(0, self->fd);
	self->mem = open("/proc/self/mem", O_RDWR);
	ASSERT_LE(0, self->mem);
	/* The writer and the loop (which inherits this) on one CPU. */
	CPU_ZERO(&one);
	CPU_SET(sched_getcpu(), &one);
	ASSERT_EQ(0, sched_setaffinity(0, sizeof(one), &one));
#ifdef PATCH_OFF
	self->code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (self->code == MAP_FAILED)
		SKIP(return, "no executable anonymous mapping: %s",
		     strerror(errno));
	memcpy(self->code, code_one, sizeof(code_one));
	__builtin___clear_cache((char *)self->code,
				(char *)self->code + sizeof(code_one));
#endif
}

FIXTURE_TEARDOWN(exec)
{
	if (self->code != MAP_FAILED)
		munmap(self->code, 4096);
	close(self->mem);
	close(self->fd);
}

TEST_F_TIMEOUT(exec, running_loop_sees_the_written_instruction, 120)
{
#ifdef PATCH_OFF
	struct runner r = { .fn = (int (*)(void))(void *)self->code };
	unsigned long at = (unsigned long)self->code + PATCH_OFF;
	pthread_t th;
	bool kernel_seen;

	if (self->code == MAP_FAILED)
		SKIP(return, "no mapping");
	ASSERT_EQ(0, pthread_create(&th, NULL, run_loop, &r));
	/* Under TCG on a loaded host the loop may get little CPU for seconds. */
	ASSERT_TRUE(loop_sees(&r, 1, 25000));
	ASSERT_EQ(1, pwrite(self->mem, &patch_imm[2], 1, (off_t)at));
	kernel_seen = loop_sees(&r, 2, 25000);
	if (kernel_seen) {
		ASSERT_EQ(0, ml_mtest_write_one(self->fd, getpid(), at,
						&patch_imm[3], 1));
		EXPECT_TRUE(loop_sees(&r, 3, 25000));
	}
	atomic_store(&r.stop, 1);
	pthread_join(th, NULL);
	if (!kernel_seen)
		SKIP(return, "the loop did not see the kernel's own write through /proc/self/mem: nothing to compare with");
	EXPECT_EQ(3, atomic_load(&r.seen));
#else
	SKIP(return, "no instruction encoding for this architecture");
#endif
}

TEST_HARNESS_MAIN
