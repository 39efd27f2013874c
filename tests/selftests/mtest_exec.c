// SPDX-License-Identifier: GPL-2.0-only
/*
 * A write into running code: a thread calls a two-instruction function
 * ("return 1") in a loop while mtest rewrites its immediate to 2. The
 * thread must see the new instruction, as after a debugger's write through
 * ptrace: the I-cache is made coherent with the bytes written (arm64
 * cleans and invalidates; x86 is coherent by itself).
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
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
static const unsigned char patch_two[] = { 0x40 };
#elif defined(__x86_64__)
/* mov eax, 1; ret */
static const unsigned char code_one[] = { 0xb8, 0x01, 0x00, 0x00, 0x00, 0xc3 };
#define PATCH_OFF	1
static const unsigned char patch_two[] = { 0x02 };
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
};

FIXTURE_SETUP(exec)
{
	self->code = MAP_FAILED;
	self->fd = ml_mtest_open();
	ASSERT_LE(0, self->fd);
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
	close(self->fd);
}

TEST_F_TIMEOUT(exec, running_loop_sees_the_written_instruction, 120)
{
#ifdef PATCH_OFF
	struct runner r = { .fn = (int (*)(void))(void *)self->code };
	pthread_t th;
	int i;

	if (self->code == MAP_FAILED)
		SKIP(return, "no mapping");
	ASSERT_EQ(0, pthread_create(&th, NULL, run_loop, &r));
	for (i = 0; i < 1000 && atomic_load(&r.seen) != 1; i++)
		usleep(1000);
	ASSERT_EQ(1, atomic_load(&r.seen));
	ASSERT_EQ(0, ml_mtest_write_one(self->fd, getpid(),
				 (unsigned long)self->code + PATCH_OFF,
				 patch_two, sizeof(patch_two)));
	/*
	 * It must switch over; under TCG on a loaded host the loop may get
	 * little CPU for seconds: up to 25,000 naps of a millisecond.
	 */
	for (i = 0; i < 25000 && atomic_load(&r.seen) != 2; i++)
		usleep(1000);
	atomic_store(&r.stop, 1);
	pthread_join(th, NULL);
	EXPECT_EQ(2, atomic_load(&r.seen));
#else
	SKIP(return, "no instruction encoding for this architecture");
#endif
}

TEST_HARNESS_MAIN
