// SPDX-License-Identifier: GPL-2.0-only
/*
 * mtest_fuzz SECONDS SEED [WORKERS THREADS]: random and grammar-aware
 * commands to /proc/mtest from WORKERS processes of THREADS threads each
 * (default 2 x 2) for SECONDS, while target processes mmap, munmap,
 * mprotect, mremap, fork, exec, collapse and split THPs, page out and
 * exit. Commands name those targets, the fuzzer itself, pid 1, odd and
 * huge pids; addresses in and around their mappings, at page boundaries,
 * in the kernel and in the vsyscall page; boundary lengths. Workers run
 * as root and as nobody by turns, and each pair swaps /proc/mtest files
 * over a unix socket (SCM_RIGHTS): half of each worker's threads write to
 * the file the other credentials opened. Every answer must be one of the
 * documented errnos. Prints the seed, the commands per
 * second and the errno counts; exits 1 on an undocumented answer.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "client.h"
#include "fdpass.h"
#include "priv.h"
#include "procfs.h"

/* Page and PMD leaf (THP) sizes, as this kernel has them. */
#define PSZ		procfs_page_size()
#define HPSZ		procfs_pmd_size()
#define AREA		(4 * HPSZ)
#define NR_TARGETS	4
#define MAX_WORKERS	16
#define MAX_THREADS	16

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE	25
#endif
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT	21
#endif

/* Shared with the workers: the targets and where they map. */
struct fuzz_shared {
	pid_t targets[NR_TARGETS];
	unsigned long area[NR_TARGETS];
	volatile int stop;
};

static struct fuzz_shared *shared;

struct fuzz_thread {
	unsigned int seed;
	int fd;			/* the partner's /proc/mtest, or -1 */
	long cmds, passed, bad, count[8];
	int last_bad;
};

/*
 * splitmix32-style: each call's low bits are as random as its high ones,
 * so "% n" choices made one after another do not follow each other.
 */
static unsigned int fuzz_rand(unsigned int *s)
{
	unsigned int z = (*s += 0x9e3779b9);

	z = (z ^ (z >> 16)) * 0x85ebca6b;
	z = (z ^ (z >> 13)) * 0xc2b2ae35;
	return z ^ (z >> 16);
}

static sigjmp_buf target_fault;

/* A touch of what the loop just unmapped or protected: go on. */
static void target_on_fault(int sig)
{
	(void)sig;
	siglongjmp(target_fault, 1);
}

/* A target: its area changes shape until it is killed. */
static void target_loop(unsigned long area, unsigned int seed)
{
	char *p = (char *)area;
	char *m;
	pid_t c;

	signal(SIGSEGV, target_on_fault);
	signal(SIGBUS, target_on_fault);
	sigsetjmp(target_fault, 1);
	for (;;) {
		switch (fuzz_rand(&seed) % 9) {
		case 0:
			munmap(p, AREA);
			mmap(p, AREA, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
			madvise(p, AREA, MADV_HUGEPAGE);
			break;
		case 1:
			mprotect(p + HPSZ, HPSZ, fuzz_rand(&seed) % 2 ?
				 PROT_NONE : PROT_READ);
			break;
		case 2:
			mprotect(p, AREA, PROT_READ | PROT_WRITE);
			memset(p, 1, AREA);
			break;
		case 3:
			madvise(p, AREA, MADV_COLLAPSE);
			break;
		case 4:
			/* Splits a THP: unmap part of it. */
			madvise(p + HPSZ + PSZ, PSZ, MADV_DONTNEED);
			break;
		case 5:
			madvise(p, AREA, MADV_PAGEOUT);
			break;
		case 6:
			m = mremap(p + 2 * HPSZ, HPSZ, HPSZ, MREMAP_MAYMOVE |
				   MREMAP_FIXED, p + 3 * HPSZ);
			(void)m;
			break;
		case 7:
			c = fork();
			if (!c) {
				/* A fault ends the child: it must not loop. */
				signal(SIGSEGV, SIG_DFL);
				signal(SIGBUS, SIG_DFL);
				if (fuzz_rand(&seed) % 2)
					execl("/bin/true", "true", (char *)NULL);
				p[fuzz_rand(&seed) % AREA] = 2;
				_exit(0);
			}
			if (c > 0)
				waitpid(c, NULL, 0);
			break;
		default:
			p[fuzz_rand(&seed) % AREA] = 3;
			break;
		}
	}
}

static pid_t target_start(int i, unsigned int seed)
{
	char *p = mmap(NULL, AREA, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pid_t pid;

	if (p == MAP_FAILED)
		return -1;
	shared->area[i] = (unsigned long)p;
	pid = fork();
	if (!pid)
		target_loop((unsigned long)p, seed);
	munmap(p, AREA);
	return pid;
}

static int fuzz_pid(unsigned int *s)
{
	static const int odd[] = { 0, -1, 1, 2, 4194304, 4194305, 2147483647,
				   -2147483647, 99999 };

	switch (fuzz_rand(s) % 4) {
	case 0:
		return getpid();
	case 1:
		return odd[fuzz_rand(s) % ARRAY_SIZE(odd)];
	default:
		return shared->targets[fuzz_rand(s) % NR_TARGETS];
	}
}

static unsigned long fuzz_addr(unsigned int *s, unsigned long mine)
{
	static const unsigned long odd[] = {
		0, 4095, 4096, 0xffffffffff600000UL, 0xffffffffff600ff0UL,
		0xffff888000000000UL, 0xffffffff81000000UL, ~0UL, ~0UL - 63,
		0x7ffffffff000UL, 0x7fffffffffffUL, 0x800000000000UL,
		0xfffffffffffUL,
	};
	unsigned long base = fuzz_rand(s) % 2 ? mine :
		shared->area[fuzz_rand(s) % NR_TARGETS];

	switch (fuzz_rand(s) % 4) {
	case 0:
		return odd[fuzz_rand(s) % ARRAY_SIZE(odd)];
	case 1:
		/* The last bytes of a page, so that ranges cross it. */
		return base + (fuzz_rand(s) % (AREA / PSZ)) * PSZ - 1 -
			fuzz_rand(s) % 8;
	default:
		return base + fuzz_rand(s) % (AREA + 2 * PSZ) - PSZ;
	}
}

static int fuzz_len(unsigned int *s)
{
	static const int lens[] = { 0, 1, 2, 63, 64, 65, 4095, 4096, 4097 };

	return lens[fuzz_rand(s) % ARRAY_SIZE(lens)];
}

/* A grammar-aware command, or (one in eight) random bytes. */
static int fuzz_command(unsigned int *s, char *buf, size_t size,
			unsigned long mine)
{
	int n, i, len;

	switch (fuzz_rand(s) % 8) {
	case 0:
		n = 1 + fuzz_rand(s) % 300;
		for (i = 0; i < n && i < (int)size; i++)
			buf[i] = fuzz_rand(s) % 3 ? "rwt 0x9af\n-"[fuzz_rand(s) % 11] :
				(char)fuzz_rand(s);
		return n < (int)size ? n : (int)size;
	case 1:
	case 2:
	case 3:
		return snprintf(buf, size, "r %d %lx %d", fuzz_pid(s),
				fuzz_addr(s, mine), fuzz_len(s));
	case 4:
	case 5:
		n = snprintf(buf, size, "w %d 0x%lx", fuzz_pid(s),
			     fuzz_addr(s, mine));
		len = fuzz_len(s) % 66;
		for (i = 0; i < len && n < (int)size - 8; i++)
			n += snprintf(buf + n, size - n, " %u",
				      fuzz_rand(s) % 300);
		return n;
	default:
		return snprintf(buf, size, "t %d %lx", fuzz_pid(s),
				fuzz_addr(s, mine));
	}
}

static int fuzz_slot(int err)
{
	switch (err) {
	case 0:
		return 0;
	case EINVAL:
		return 1;
	case ESRCH:
		return 2;
	case EFAULT:
		return 3;
	case EACCES:
	case EPERM:
		return 4;
	case ENOSPC:
	case ENOMEM:
		return 5;
	case EAGAIN:
	case EINTR:
		return 6;
	default:
		return 7;
	}
}

static void *fuzz_thread(void *arg)
{
	struct fuzz_thread *t = arg;
	char buf[400], *mine = malloc(AREA / 4);
	int fd = t->fd >= 0 ? dup(t->fd) : ml_mtest_open(), n, err;

	if (fd < 0 || !mine) {
		t->bad++;
		t->last_bad = fd < 0 ? -fd : ENOMEM;
		return NULL;
	}
	while (!shared->stop) {
		n = fuzz_command(&t->seed, buf, sizeof(buf),
				 (unsigned long)mine);
		err = -ml_mtest_send(fd, buf, n);
		t->count[fuzz_slot(err)]++;
		if (fuzz_slot(err) == 7) {
			t->bad++;
			t->last_bad = err;
		}
		if (fuzz_rand(&t->seed) % 16 == 0)
			ml_mtest_result(fd, buf, sizeof(buf));
		t->cmds++;
	}
	if (t->fd >= 0)
		t->passed = t->cmds;
	close(fd);
	free(mine);
	return NULL;
}

/*
 * Sends our own /proc/mtest to the partner on @sock and returns the
 * partner's, or -1 without a partner (@sock < 0) or on failure.
 */
static int fuzz_swap_files(int sock)
{
	int own, got;
	char c = 'f';

	if (sock < 0)
		return -1;
	own = ml_mtest_open();
	if (own < 0)
		return -1;
	got = fdpass_send(sock, &c, 1, own) ? -1 : fdpass_recv(sock, &c, 1);
	close(own);
	close(sock);
	return got < 0 ? -1 : got;
}

/*
 * In worker @i: closes every socket but its own end of its pair's, so that
 * a partner that dies is seen at once. Returns that end, or -1.
 */
static int fuzz_own_socket(int sv[][2], int workers, int i)
{
	int *own = &sv[i - i % 2][i % 2], k, end;

	for (k = 0; k < workers; k++)
		for (end = 0; end < 2; end++)
			if (sv[k][end] >= 0 && &sv[k][end] != own)
				close(sv[k][end]);
	return *own;
}

/*
 * One worker process: THREADS threads; reports its totals on @out. Odd
 * workers run as nobody, for whom the root targets are refused. Odd
 * threads use the file the partner worker opened (@sock: see
 * fuzz_swap_files()).
 */
static void fuzz_worker(unsigned int seed, int threads, int nobody, int out,
			int sock)
{
	struct fuzz_thread t[MAX_THREADS], sum;
	pthread_t th[MAX_THREADS];
	int i, j, passed;

	if (nobody && priv_root() && priv_drop(PRIV_NOBODY, PRIV_NOBODY))
		_exit(2);
	passed = fuzz_swap_files(sock);
	memset(t, 0, sizeof(t));
	memset(&sum, 0, sizeof(sum));
	for (i = 0; i < threads; i++) {
		t[i].seed = seed + i * 7919;
		t[i].fd = i % 2 ? passed : -1;
		pthread_create(&th[i], NULL, fuzz_thread, &t[i]);
	}
	for (i = 0; i < threads; i++) {
		pthread_join(th[i], NULL);
		sum.cmds += t[i].cmds;
		sum.passed += t[i].passed;
		sum.bad += t[i].bad;
		for (j = 0; j < 8; j++)
			sum.count[j] += t[i].count[j];
		if (t[i].bad)
			sum.last_bad = t[i].last_bad;
	}
	if (write(out, &sum, sizeof(sum)) != sizeof(sum))
		_exit(2);
	_exit(0);
}

int main(int argc, char **argv)
{
	static const char * const names[] = { "ok", "EINVAL", "ESRCH",
		"EFAULT", "EACCES/EPERM", "ENOSPC/ENOMEM", "EAGAIN/EINTR",
		"other" };
	int secs, workers = 2, threads = 2, i, j, p[2], sv[MAX_WORKERS][2];
	struct fuzz_thread sum, w;
	unsigned int seed;
	pid_t wp[MAX_WORKERS];

	if (argc < 3) {
		fprintf(stderr, "usage: mtest_fuzz SECONDS SEED [WORKERS THREADS]\n");
		return 2;
	}
	secs = atoi(argv[1]);
	seed = strtoul(argv[2], NULL, 0);
	if (argc > 4) {
		workers = atoi(argv[3]);
		threads = atoi(argv[4]);
	}
	if (workers < 1 || workers > MAX_WORKERS || threads < 1 ||
	    threads > MAX_THREADS)
		return 2;
	printf("mtest_fuzz: seed %u, %d s, %d workers x %d threads\n", seed,
	       secs, workers, threads);
	fflush(stdout);
	shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED || pipe(p))
		return 2;
	for (i = 0; i < NR_TARGETS; i++)
		shared->targets[i] = target_start(i, seed + 101 * i);
	/* Workers 2k (root) and 2k + 1 (nobody) swap their files. */
	for (i = 0; i < workers; i++) {
		sv[i][0] = sv[i][1] = -1;
		if (i % 2 && socketpair(AF_UNIX, SOCK_STREAM, 0, sv[i - 1]))
			return 2;
	}
	for (i = 0; i < workers; i++) {
		wp[i] = fork();
		if (!wp[i])
			fuzz_worker(seed + 1000003 * i, threads, i % 2, p[1],
				    fuzz_own_socket(sv, workers, i));
	}
	for (i = 0; i < workers; i += 2) {
		if (sv[i][0] >= 0) {
			close(sv[i][0]);
			close(sv[i][1]);
		}
	}
	sleep(secs);
	shared->stop = 1;
	memset(&sum, 0, sizeof(sum));
	for (i = 0; i < workers; i++) {
		if (read(p[0], &w, sizeof(w)) != sizeof(w)) {
			sum.bad++;
			continue;
		}
		sum.cmds += w.cmds;
		sum.passed += w.passed;
		sum.bad += w.bad;
		for (j = 0; j < 8; j++)
			sum.count[j] += w.count[j];
		if (w.bad)
			sum.last_bad = w.last_bad;
	}
	for (i = 0; i < workers; i++)
		waitpid(wp[i], NULL, 0);
	for (i = 0; i < NR_TARGETS; i++) {
		kill(shared->targets[i], SIGKILL);
		waitpid(shared->targets[i], NULL, 0);
	}
	printf("mtest_fuzz: %ld commands, %.0f per second\n", sum.cmds,
	       (double)sum.cmds / secs);
	printf("mtest_fuzz: %ld of them on a file the other credentials opened\n",
	       sum.passed);
	/* Two workers and two threads each make a pair that swaps files. */
	if (workers > 1 && threads > 1 && !sum.passed) {
		printf("mtest_fuzz: no command went through a passed file\n");
		sum.bad++;
	}
	for (j = 0; j < 8; j++)
		printf("mtest_fuzz:   %-14s %ld\n", names[j], sum.count[j]);
	if (sum.bad)
		printf("mtest_fuzz: %ld undocumented answers, last %s\n",
		       sum.bad, strerror(sum.last_bad));
	return sum.bad ? 1 : 0;
}
