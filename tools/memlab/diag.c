// SPDX-License-Identifier: GPL-2.0-only
/*
 * memlab: diagnosis. Every failure the kernel reports is turned into what
 * went wrong, in words, and how to fix it; the exit code says which. It
 * reads /proc (the target's ids and mappings) to say why, and prints
 * through err.c.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "err.h"
#include "proc.h"
#include "procmaps.h"

/* Opening /proc/mtest or /proc/maptest failed. */
int ml_open_error(const char *path, int err, const char *module)
{
	if (err == ENOENT) {
		ml_error("%s does not exist: the %s module is not loaded",
			 path, module);
		ml_fix("sudo modprobe %s", module);
		return ML_EXIT_MODULE;
	}
	if (err == EACCES || err == EPERM) {
		ml_error("no permission to open %s", path);
		ml_fix("sudo adduser $USER memlab, then log out and in again");
		return ML_EXIT_PERM;
	}
	ml_error("cannot open %s: %s", path, strerror(err));
	return ML_EXIT_FAIL;
}

/* EACCES from the ptrace rule: say which part of the rule refused. */
static int ml_ptrace_error(pid_t pid)
{
	struct ml_proc_ids ids;
	int err = ml_proc_ids(pid, &ids);

	ml_error("the ptrace rule refused access to process %d", (int)pid);
	if (err) {
		ml_note("(its /proc/%d/status is not readable)", (int)pid);
	} else if (!ml_proc_ids_match(&ids, getuid(), getgid())) {
		ml_note("it is not yours: your real uid %u and gid %u must equal its real, effective and saved uids (%u %u %u) and gids (%u %u %u)",
			(unsigned int)getuid(), (unsigned int)getgid(),
			ids.uid[0], ids.uid[1], ids.uid[2],
			ids.gid[0], ids.gid[1], ids.gid[2]);
	} else {
		ml_note("it runs as you, but it is not dumpable (it changed its ids, ran a setuid or file-capability program, or called prctl(PR_SET_DUMPABLE, 0))");
	}
	ml_note("memlab may read a process only in its own thread group, with CAP_SYS_PTRACE, or when it is yours and dumpable (as /proc/PID/mem)");
	ml_fix("run memlab as the process's owner, or with sudo");
	return ML_EXIT_PERM;
}

/* EFAULT: show the mapping at or around @addr. */
static int ml_fault_error(pid_t pid, uint64_t addr, const char *what)
{
	struct ml_maps maps;
	const struct ml_vma *in, *below, *above;

	if (ml_maps_load(pid, &maps)) {
		ml_error("cannot %s 0x%llx in process %d: not mapped, or the mapping refuses it",
			 what, (unsigned long long)addr, (int)pid);
		return ML_EXIT_FAULT;
	}
	in = ml_maps_find(&maps, addr);
	if (in) {
		ml_error("cannot %s 0x%llx in process %d: its mapping refuses it",
			 what, (unsigned long long)addr, (int)pid);
		ml_note("mapped %s", ml_vma_describe(in));
		ml_fix("a %s mapping; choose an address in one that allows it (memlab maps %d)",
		       in->perms, (int)pid);
		ml_maps_free(&maps);
		return ML_EXIT_FAULT;
	}
	ml_error("cannot %s 0x%llx in process %d: the address is not mapped",
		 what, (unsigned long long)addr, (int)pid);
	ml_maps_nearest(&maps, addr, &below, &above);
	if (below)
		ml_note("nearest mapping below: %s", ml_vma_describe(below));
	if (above)
		ml_note("nearest mapping above: %s", ml_vma_describe(above));
	ml_fix("choose an address inside a mapping: memlab maps %d", (int)pid);
	ml_maps_free(&maps);
	return ML_EXIT_FAULT;
}

/* A command on /proc/mtest failed with -@err. */
int ml_access_error(int err, pid_t pid, uint64_t addr, const char *what)
{
	switch (err) {
	case ESRCH:
		ml_error("no such process: %d (or it has no memory: a kernel thread or a zombie)",
			 (int)pid);
		ml_fix("list processes with ps -e");
		return ML_EXIT_NOPROC;
	case EACCES:
	case EPERM:
		return ml_ptrace_error(pid);
	case EFAULT:
		return ml_fault_error(pid, addr, what);
	case ENOSPC:
		ml_error("mtest is busy: max_results processes hold results");
		ml_fix("retry in a few seconds, or load mtest with a larger max_results");
		return ML_EXIT_FAIL;
	default:
		ml_error("cannot %s 0x%llx in process %d: %s", what,
			 (unsigned long long)addr, (int)pid, strerror(err));
		return ML_EXIT_FAIL;
	}
}
