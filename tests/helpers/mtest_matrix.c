// SPDX-License-Identifier: GPL-2.0-only
/*
 * mtest_matrix SCOPE...: the differential permission test. For each Yama
 * ptrace_scope given (or "-" to keep the current one), each caller (root,
 * an unprivileged uid, a uid with CAP_SYS_PTRACE only) and each target
 * (self, child, parent, sibling, a root process, a non-dumpable one, one
 * before and after it execs a setuid program, one in another user
 * namespace, one that named the caller with PR_SET_PTRACER and one that
 * allowed any tracer), the caller tries mtest "r", "R" and "w" and the
 * kernel's process_vm_readv() and process_vm_writev() on the same byte of
 * the same target ("R" must answer as "r" does). open() of /proc/PID/mem
 * is printed beside them: its own mode bits refuse the CAP_SYS_PTRACE-only
 * caller where ptrace admits it.
 *
 * Who opened and who writes: the caller opens /proc/mtest, and the
 * commands are written by the caller itself, by a child that inherited
 * the file, by a process that received it over a socket (SCM_RIGHTS: the
 * caller's parent, no ancestor of the targets but the parent itself) and
 * by a setuid-root program the caller runs with it. Each must get the
 * verdict of process_vm_* run by the caller, the opener. A writer other
 * than the opener may be refused where the opener is admitted only by
 * its relation to the target (docs/security.md): the target is the
 * opener's own process, or, at ptrace_scope 1, its child or a process
 * that named it with PR_SET_PTRACER. Nowhere may it get more.
 *
 * Prints one line per cell and writer and exits 1 if mtest and
 * process_vm_* (or "r" and "R") disagree in any. Runs as root, with
 * /proc/mtest loaded mode=0666. Scope 3 cannot be lowered again until
 * reboot.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include "client.h"
#include "fdpass.h"
#include "priv.h"

#ifndef PR_SET_PTRACER
#define PR_SET_PTRACER		0x59616d61
#endif
#ifndef PR_SET_PTRACER_ANY
#define PR_SET_PTRACER_ANY	((unsigned long)-1)
#endif

#define SUID_COPY	"/tmp/memlab-matrix-suid"

static volatile unsigned char matrix_byte = 42;

enum caller { CALLER_ROOT, CALLER_USER, CALLER_CAP, NR_CALLERS };
static const char * const caller_names[] = { "root", "user", "ptrace-cap" };

enum kind {
	T_SELF, T_CHILD, T_PARENT, T_SIBLING, T_ROOT, T_NODUMP, T_SUID,
	T_USERNS, T_PTRACER, T_PTRACER_ANY, NR_KINDS
};
static const char * const kind_names[] = {
	"self", "child", "parent", "sibling", "root-process", "non-dumpable",
	"setuid", "other-userns", "ptracer-pid", "ptracer-any",
};

enum writer { W_OPENER, W_CHILD, W_SCM, W_SETUID, NR_WRITERS };
static const char * const writer_names[] = {
	"opener", "child", "scm-receiver", "setuid",
};

/* The scope in force, numerically: -1 without Yama. */
static int cur_scope = -1;

/* What a target tells the caller: where to look, and what it is. */
struct report {
	pid_t pid;		/* -1: the target could not be set up */
	unsigned long addr;
	char label[24];
};

static void die(const char *what)
{
	perror(what);
	exit(2);
}

/* Blocks until @go has a byte for it or is closed. */
static void hold(int go)
{
	char c;

	while (read(go, &c, 1) < 0 && errno == EINTR)
		;
}

static void send_report(int fd, pid_t pid, const char *label)
{
	struct report r = { .pid = pid, .addr = (unsigned long)&matrix_byte };

	snprintf(r.label, sizeof(r.label), "%s", label);
	if (write(fd, &r, sizeof(r)) != sizeof(r))
		die("report");
}

/* Caps: only CAP_SYS_PTRACE, effective and permitted. */
static int set_ptrace_cap_only(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];

	memset(data, 0, sizeof(data));
	data[0].effective = data[0].permitted = 1u << CAP_SYS_PTRACE;
	return syscall(SYS_capset, &hdr, data) ? -errno : 0;
}

static int become(enum caller c)
{
	switch (c) {
	case CALLER_ROOT:
		return 0;
	case CALLER_USER:
		return priv_drop(PRIV_OTHER, PRIV_OTHER);
	case CALLER_CAP:
		if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) ||
		    priv_drop(PRIV_NOBODY, PRIV_NOBODY))
			return -errno;
		return set_ptrace_cap_only();
	default:
		return -EINVAL;
	}
}

static const char *verdict(int err)
{
	switch (err) {
	case 0:
		return "ok";
	case EACCES:
		return "EACCES";
	case EPERM:
		return "EPERM";
	case ESRCH:
		return "ESRCH";
	default:
		return strerror(err);
	}
}

static int pvm(pid_t pid, unsigned long addr, int write_it)
{
	unsigned char b = matrix_byte;
	struct iovec local = { &b, 1 }, remote = { (void *)addr, 1 };
	ssize_t n;

	if (write_it)
		n = process_vm_writev(pid, &local, 1, &remote, 1, 0);
	else
		n = process_vm_readv(pid, &local, 1, &remote, 1, 0);
	return n == 1 ? 0 : errno;
}

static int mem_open(pid_t pid)
{
	char path[32];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/mem", pid);
	fd = open(path, O_RDWR);
	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

/* Denied is denied, whichever of EACCES and EPERM says it. */
static int same(int a, int b)
{
	int da = a == EACCES || a == EPERM, db = b == EACCES || b == EPERM;

	return da == db && (da || a == b);
}

/* mtest's "r", "R" and "w" on the report's byte, as errnos. */
struct verdicts {
	int r, raw, w;
};

static void run_cmds(int fd, pid_t pid, unsigned long addr,
		     struct verdicts *v)
{
	v->r = -ml_mtest_cmd(fd, "r %d %lx", pid, addr);
	v->raw = -ml_mtest_cmd(fd, "R %d %lx 1", pid, addr);
	v->w = -ml_mtest_cmd(fd, "w %d %lx %u", pid, addr, 42u);
}

static void read_verdicts(int in, struct verdicts *v)
{
	if (read(in, v, sizeof(*v)) != sizeof(*v))
		v->r = v->raw = v->w = EIO;
}

/* Sends @r with @fd attached (@fd < 0: none, the end of the cell). */
static void send_req(int sock, const struct report *r, int fd)
{
	if (fdpass_send(sock, r, sizeof(*r), fd))
		die("sendmsg");
}

/* The receiver (the caller's parent): until the end of the cell. */
static void serve(int sock)
{
	struct report r;
	struct verdicts v;
	int fd;

	while ((fd = fdpass_recv(sock, &r, sizeof(r))) >= 0) {
		run_cmds(fd, r.pid, r.addr, &v);
		close(fd);
		if (write(sock, &v, sizeof(v)) != sizeof(v))
			die("serve");
	}
}

/* The commands of @fd, written by @w. */
static void write_as(enum writer w, int fd, int sock, const struct report *r,
		     struct verdicts *v)
{
	char fdarg[16], pidarg[16], addrarg[32], outarg[16];
	int out[2];
	pid_t pid;

	switch (w) {
	case W_OPENER:
		run_cmds(fd, r->pid, r->addr, v);
		return;
	case W_SCM:
		send_req(sock, r, fd);
		read_verdicts(sock, v);
		return;
	default:
		break;
	}
	if (pipe(out))
		die("pipe");
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		close(out[0]);
		if (w == W_CHILD) {
			run_cmds(fd, r->pid, r->addr, v);
			_exit(write(out[1], v, sizeof(*v)) != sizeof(*v));
		}
		/* ml_mtest_open() gave O_CLOEXEC: a copy without it. */
		snprintf(fdarg, sizeof(fdarg), "%d", dup(fd));
		snprintf(pidarg, sizeof(pidarg), "%d", r->pid);
		snprintf(addrarg, sizeof(addrarg), "%lx", r->addr);
		snprintf(outarg, sizeof(outarg), "%d", out[1]);
		execl(SUID_COPY, SUID_COPY, "write", fdarg, pidarg, addrarg,
		      outarg, (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	read_verdicts(out[0], v);
	close(out[0]);
	waitpid(pid, NULL, 0);
}

/*
 * Where a writer other than the opener is refused and the opener is not:
 * the opener's relation to the target, which no other writer has.
 */
static int stricter_allowed(enum kind k)
{
	return k == T_SELF ||
	       (cur_scope == 1 && (k == T_CHILD || k == T_PTRACER));
}

static int denied(int err)
{
	return err == EACCES || err == EPERM;
}

static int agree(enum writer w, enum kind k, int m, int p)
{
	if (same(m, p))
		return 1;
	return w != W_OPENER && !p && denied(m) && stricter_allowed(k);
}

/* The caller's side: one line per writer; returns 1 on a disagreement. */
static int measure(const char *scope, enum caller c, enum kind k, int sock,
		   const struct report *r)
{
	int pr, pw, mo, fd, bad, any = 0;
	struct verdicts v;
	enum writer w;

	if (r->pid < 0) {
		printf("%-5s %-10s %-19s n/a (target setup failed)\n",
		       scope, caller_names[c], r->label);
		return 0;
	}
	fd = ml_mtest_open();
	if (fd < 0) {
		printf("%-5s %-10s %-19s cannot open /proc/mtest: %s\n",
		       scope, caller_names[c], r->label, strerror(-fd));
		return 1;
	}
	pr = pvm(r->pid, r->addr, 0);
	pw = pvm(r->pid, r->addr, 1);
	mo = mem_open(r->pid);
	for (w = 0; w < NR_WRITERS; w++) {
		write_as(w, fd, sock, r, &v);
		/* "R" must give the verdict of "r", to the errno. */
		bad = !agree(w, k, v.r, pr) || v.raw != v.r ||
		      !agree(w, k, v.w, pw);
		printf("%-5s %-10s %-19s %-12s r %-6s R %-6s pvr %-6s",
		       scope, caller_names[c], r->label, writer_names[w],
		       verdict(v.r), verdict(v.raw), verdict(pr));
		printf(" | w %-6s pvw %-6s | mem-open %-6s %s\n",
		       verdict(v.w), verdict(pw), verdict(mo),
		       bad ? "DISAGREE" : "agree");
		any |= bad;
	}
	close(fd);
	fflush(stdout);
	return any;
}

/* A sibling target: set up, report, wait to be released. */
static void sibling(enum kind k, pid_t caller, int rep, int go)
{
	char fd1[16], fd2[16];
	int ok = 0;

	switch (k) {
	case T_NODUMP:
		ok = prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
		break;
	case T_USERNS:
		ok = unshare(CLONE_NEWUSER);
		break;
	case T_PTRACER:
		/* EINVAL without Yama: then it is a plain sibling. */
		prctl(PR_SET_PTRACER, caller, 0, 0, 0);
		break;
	case T_PTRACER_ANY:
		prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0);
		break;
	default:
		break;
	}
	if (k == T_SUID) {
		send_report(rep, getpid(), "setuid-before-exec");
		hold(go);
		snprintf(fd1, sizeof(fd1), "%d", rep);
		snprintf(fd2, sizeof(fd2), "%d", go);
		execl(SUID_COPY, SUID_COPY, "hold", fd1, fd2, (char *)NULL);
		die(SUID_COPY);
	}
	send_report(rep, ok ? -1 : getpid(), kind_names[k]);
	hold(go);
	exit(0);
}

/*
 * @rep is the pipe the targets report on, @go the one they wait on: a
 * byte releases one, EOF all.
 */
static int caller_main(const char *scope, enum caller c, enum kind k,
		       const int rep[2], const int go[2], int nreports,
		       int sock)
{
	struct report r;
	int bad = 0;
	pid_t child;

	switch (k) {
	case T_SELF:
		send_report(rep[1], getpid(), "self");
		break;
	case T_PARENT:
		send_report(rep[1], getppid(), "parent");
		break;
	case T_CHILD:
		child = fork();
		if (child < 0)
			die("fork");
		if (!child) {
			hold(go[0]);
			exit(0);
		}
		send_report(rep[1], child, "child");
		break;
	default:
		break;
	}
	while (nreports--) {
		if (read(rep[0], &r, sizeof(r)) != sizeof(r))
			die("read report");
		bad |= measure(scope, c, k, sock, &r);
		/* Releases a setuid target to its exec. */
		if (write(go[1], "", 1) != 1)
			die("release");
	}
	/* The end of the cell for the receiver. */
	r.pid = 0;
	send_req(sock, &r, -1);
	return bad;
}

/* One cell: the caller's parent (P) is itself a target (T_PARENT). */
static int cell(const char *scope, enum caller c, enum kind k, pid_t rootp)
{
	int rep[2], go[2], sv[2], status, nreports = k == T_SUID ? 2 : 1;
	pid_t caller, sib = -1;

	if (become(c))
		die("become caller");
	if (pipe(rep) || pipe(go) ||
	    socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		die("pipe");
	caller = fork();
	if (caller < 0)
		die("fork");
	if (!caller) {
		close(sv[0]);
		exit(caller_main(scope, c, k, rep, go, nreports, sv[1]));
	}
	close(sv[1]);
	if (k == T_ROOT) {
		struct report r = { .pid = rootp,
				    .addr = (unsigned long)&matrix_byte };

		snprintf(r.label, sizeof(r.label), "root-process");
		if (write(rep[1], &r, sizeof(r)) != sizeof(r))
			die("report");
	} else if (k >= T_SIBLING) {
		sib = fork();
		if (sib < 0)
			die("fork");
		if (!sib) {
			close(sv[0]);
			sibling(k, caller, rep[1], go[0]);
		}
	}
	serve(sv[0]);
	if (waitpid(caller, &status, 0) < 0)
		die("waitpid");
	close(go[1]);
	if (sib > 0)
		waitpid(sib, NULL, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 2;
}

/* Sets ptrace_scope to @scope, a number, or keeps it ("-"). */
static int set_scope(const char *scope)
{
	char *end;
	long n;

	if (!strcmp(scope, "-"))
		return 0;
	n = strtol(scope, &end, 10);
	if (end == scope || *end || n < 0 || n > 3)
		return -EINVAL;
	return priv_set_ptrace_scope(n);
}

/* The setuid-root copy of this program that the "setuid" target runs. */
static void make_suid_copy(void)
{
	char buf[65536];
	int in, out;
	ssize_t n;

	in = open("/proc/self/exe", O_RDONLY);
	unlink(SUID_COPY);
	out = open(SUID_COPY, O_WRONLY | O_CREAT | O_EXCL, 0700);
	if (in < 0 || out < 0)
		die(SUID_COPY);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n)
			die(SUID_COPY);
	if (n < 0 || fchmod(out, 04755) || close(out))
		die(SUID_COPY);
	close(in);
}

static int run_scope(const char *scope)
{
	int c, k, status, bad = 0, cells = 0;
	pid_t p, rootp;

	if (set_scope(scope)) {
		printf("# cannot set ptrace_scope %s\n", scope);
		return 1;
	}
	cur_scope = priv_ptrace_scope();
	for (c = 0; c < NR_CALLERS; c++) {
		for (k = 0; k < NR_KINDS; k++) {
			rootp = fork();
			if (!rootp) {
				pause();
				exit(0);
			}
			fflush(stdout);
			p = fork();
			if (p < 0)
				die("fork");
			if (!p)
				exit(cell(scope, c, k, rootp));
			waitpid(p, &status, 0);
			kill(rootp, SIGKILL);
			waitpid(rootp, NULL, 0);
			cells++;
			if (!WIFEXITED(status) || WEXITSTATUS(status))
				bad++;
		}
	}
	printf("# scope %s: %d cells, %d disagree\n", scope, cells, bad);
	return bad;
}

int main(int argc, char **argv)
{
	int i, bad = 0;

	if (argc == 4 && !strcmp(argv[1], "hold")) {
		send_report(atoi(argv[2]), getpid(), "setuid-after-exec");
		hold(atoi(argv[3]));
		return 0;
	}
	if (argc == 6 && !strcmp(argv[1], "write")) {
		struct verdicts v;
		int out = atoi(argv[5]);

		run_cmds(atoi(argv[2]), atoi(argv[3]),
			 strtoul(argv[4], NULL, 16), &v);
		return write(out, &v, sizeof(v)) != sizeof(v);
	}
	if (argc < 2 || !priv_root()) {
		fprintf(stderr, "usage (as root): mtest_matrix SCOPE|- ...\n");
		return 2;
	}
	make_suid_copy();
	printf("scope caller     target              writer       mtest r vs");
	printf(" the opener's process_vm_readv | mtest w vs its");
	printf(" process_vm_writev | open(/proc/PID/mem)\n");
	for (i = 1; i < argc; i++)
		bad += run_scope(argv[i]);
	unlink(SUID_COPY);
	printf("# matrix: %s\n", bad ? "mtest and process_vm_* DISAGREE" :
	       "mtest and process_vm_* agree in every cell");
	return bad ? 1 : 0;
}
