// SPDX-License-Identifier: GPL-2.0-only
/*
 * Concurrency: processes and threads hammering /proc/mtest and
 * /proc/maptest at once, and a target that exits mid-stream. Bounded in
 * time (MEMLAB_STRESS_SECS, default 3) because the guest runs under TCG.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "client.h"
#include "mapbuf.h"
#include "procfs.h"
#include "target.h"
#include "xlate.h"

#define STRESS_PROCS	3
#define STRESS_THREADS	3
#define STRESS_LEN	24

FIXTURE(stress) {
	struct target t;
	int secs;
};

FIXTURE_SETUP(stress)
{
	const char *s = getenv("MEMLAB_STRESS_SECS");

	self->t.pid = -1;
	self->t.go = -1;
	self->secs = s ? atoi(s) : 3;
	if (self->secs <= 0)
		self->secs = 3;
}

FIXTURE_TEARDOWN(stress)
{
	target_kill(&self->t);
}

static double stress_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Read-only data the target and every worker share (same since fork). */
static unsigned char stress_pattern[STRESS_LEN];

struct stress_worker {
	pthread_t th;
	int id;
	double end;
	pid_t target;
	long ops;
	char err[128];
};

/* Any result this process's threads can produce, checked for shape. */
static int stress_result_ok(const char *text)
{
	unsigned char out[STRESS_LEN + 8];
	int len;

	if (!*text)
		return 1;	/* a "w" result */
	if (!strncmp(text, "addr: ", 6)) {
		struct xlate x;

		return !xlate_parse(&x, text) && !xlate_check(&x);
	}
	for (len = 1; len <= STRESS_LEN + 7; len++)
		if (!ml_parse_r_result(text, out, len))
			return 1;
	return 0;
}

/* Per thread: too big for a thread stack. */
static __thread char stress_text[ML_RESULT_BUF];

static void *stress_mtest_thread(void *arg)
{
	struct stress_worker *w = arg;
	unsigned char mine[STRESS_LEN], src[STRESS_LEN], out[STRESS_LEN];
	char *text = stress_text;
	unsigned int seed = w->id;
	int fd = ml_mtest_open(), ret, i;

	if (fd < 0) {
		snprintf(w->err, sizeof(w->err), "open: %s", strerror(-fd));
		return NULL;
	}
	while (!w->err[0] && stress_now() < w->end) {
		/* Write our own buffer and check it directly. */
		for (i = 0; i < STRESS_LEN; i++)
			src[i] = rand_r(&seed);
		ret = ml_mtest_write_one(fd, getpid(), (unsigned long)mine, src,
				  STRESS_LEN);
		if (ret || memcmp(mine, src, STRESS_LEN)) {
			snprintf(w->err, sizeof(w->err), "w: %s",
				 ret ? strerror(-ret) : "wrong bytes");
			break;
		}
		/*
		 * Read the shared target. Threads share one result, so the
		 * text may be another thread's: it must still be well formed.
		 */
		ret = ml_mtest_cmd(fd, "r %d %lx %d", w->target,
				(unsigned long)stress_pattern, STRESS_LEN);
		/*
		 * One pread: a second one could splice in the tail of a
		 * result another thread made meanwhile.
		 */
		if (!ret) {
			ssize_t n = pread(fd, text, ML_RESULT_BUF - 1, 0);

			ret = n < 0 ? -errno : 0;
			text[n < 0 ? 0 : n] = '\0';
		}
		if (ret || !stress_result_ok(text)) {
			snprintf(w->err, sizeof(w->err), "r: %s \"%.40s\"",
				 strerror(-ret), text);
			break;
		}
		if (!ml_parse_r_result(text, out, STRESS_LEN) &&
		    memcmp(out, stress_pattern, STRESS_LEN)) {
			snprintf(w->err, sizeof(w->err), "r: wrong bytes");
			break;
		}
		ret = ml_mtest_cmd(fd, "t %d %lx", getpid(), (unsigned long)mine);
		if (ret) {
			snprintf(w->err, sizeof(w->err), "t: %s", strerror(-ret));
			break;
		}
		w->ops += 3;
	}
	close(fd);
	return NULL;
}

static void *stress_maptest_thread(void *arg)
{
	struct stress_worker *w = arg;
	char buf[128];
	int fd;

	while (!w->err[0] && stress_now() < w->end) {
		char *p;
		ssize_t n;

		fd = open(MEMLAB_MAPTEST_PATH, O_RDONLY);
		if (fd < 0) {
			snprintf(w->err, sizeof(w->err), "open maptest: %s",
				 strerror(errno));
			break;
		}
		p = mmap(NULL, procfs_page_size(), PROT_READ, MAP_PRIVATE, fd, 0);
		n = read(fd, buf, sizeof(buf));
		close(fd);
		if (p == MAP_FAILED || n != sizeof(buf) ||
		    memcmp(p, MAPTEST_BANNER, strlen(MAPTEST_BANNER)) ||
		    memcmp(buf, MAPTEST_BANNER, strlen(MAPTEST_BANNER))) {
			snprintf(w->err, sizeof(w->err), "maptest: bad map/read");
			break;
		}
		munmap(p, procfs_page_size());
		w->ops++;
	}
	return NULL;
}

/* One worker process: mtest threads plus one maptest thread. */
static int stress_process(int id, pid_t target, double end)
{
	struct stress_worker w[STRESS_THREADS + 1];
	int i, bad = 0;

	memset(w, 0, sizeof(w));
	for (i = 0; i <= STRESS_THREADS; i++) {
		w[i].id = id * 100 + i + 1;
		w[i].end = end;
		w[i].target = target;
		if (pthread_create(&w[i].th, NULL, i < STRESS_THREADS ?
				   stress_mtest_thread : stress_maptest_thread,
				   &w[i]))
			return 2;
	}
	for (i = 0; i <= STRESS_THREADS; i++) {
		pthread_join(w[i].th, NULL);
		if (w[i].err[0]) {
			fprintf(stderr, "# worker %d.%d: %s\n", id, i, w[i].err);
			bad = 1;
		} else if (!w[i].ops) {
			fprintf(stderr, "# worker %d.%d did nothing\n", id, i);
			bad = 1;
		}
	}
	return bad;
}

TEST_F_TIMEOUT(stress, processes_and_threads, 120)
{
	pid_t pids[STRESS_PROCS];
	double end;
	int i, status;

	for (i = 0; i < STRESS_LEN; i++)
		stress_pattern[i] = i * 11;
	ASSERT_EQ(0, target_start(&self->t, NULL, NULL));
	end = stress_now() + self->secs;
	for (i = 0; i < STRESS_PROCS; i++) {
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (!pids[i])
			_exit(stress_process(i, self->t.pid, end));
	}
	for (i = 0; i < STRESS_PROCS; i++) {
		ASSERT_EQ(pids[i], waitpid(pids[i], &status, 0));
		EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
			TH_LOG("worker process %d: status %#x", i, status);
	}
}

struct stress_reader {
	pid_t target;
	unsigned long addr;
	double end;
	long ok, esrch;
	char err[128];
	int writer;
};

/*
 * Read (or write) until the target has been gone for a while. Reader and
 * writer are separate processes: threads would share one result.
 */
static void stress_exit_loop(struct stress_reader *r)
{
	unsigned char out[STRESS_LEN];
	int fd = ml_mtest_open(), ret;

	if (fd < 0) {
		snprintf(r->err, sizeof(r->err), "open: %s", strerror(-fd));
		return;
	}
	while (r->esrch < 20 && stress_now() < r->end) {
		if (r->writer)
			ret = ml_mtest_cmd(fd, "w %d %lx 1 2 3", r->target, r->addr);
		else
			ret = ml_mtest_read_text(fd, r->target, r->addr, out, STRESS_LEN);
		if (ret == -ESRCH) {
			r->esrch++;
			continue;
		}
		if (ret)
			snprintf(r->err, sizeof(r->err), "%s", strerror(-ret));
		else if (!r->writer && memcmp(out, stress_pattern, STRESS_LEN))
			snprintf(r->err, sizeof(r->err), "wrong bytes");
		else if (r->esrch)
			snprintf(r->err, sizeof(r->err), "success after ESRCH");
		if (r->err[0])
			break;
		r->ok++;
	}
	close(fd);
}

/*
 * Each command against an exiting target either succeeds with the right
 * data or fails with ESRCH; never anything else, and never a crash.
 */
TEST_F_TIMEOUT(stress, target_exits_midstream, 120)
{
	static unsigned char scratch[STRESS_LEN];
	struct stress_reader *r;
	pid_t pid[2];
	int i, status;

	for (i = 0; i < STRESS_LEN; i++)
		stress_pattern[i] = 255 - i;
	r = mmap(NULL, 2 * sizeof(*r), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, r);
	ASSERT_EQ(0, target_start(&self->t, NULL, NULL));
	for (i = 0; i < 2; i++) {
		r[i].target = self->t.pid;
		r[i].addr = i ? (unsigned long)scratch :
				(unsigned long)stress_pattern;
		r[i].end = stress_now() + self->secs + 10;
		r[i].writer = i;
		pid[i] = fork();
		ASSERT_LE(0, pid[i]);
		if (!pid[i]) {
			/* Only the test process may keep the target alive. */
			close(self->t.go);
			stress_exit_loop(&r[i]);
			_exit(0);
		}
	}
	usleep(self->secs * 100000);
	target_release(&self->t);
	ASSERT_LE(0, target_reap(&self->t));
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(pid[i], waitpid(pid[i], &status, 0));
		EXPECT_EQ(0, status);
		EXPECT_STREQ("", r[i].err) TH_LOG("%s", r[i].writer ? "writer" :
						  "reader");
		EXPECT_LT(0, r[i].ok);
		EXPECT_LT(0, r[i].esrch);
	}
}

TEST_HARNESS_MAIN
