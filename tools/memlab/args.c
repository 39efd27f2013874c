// SPDX-License-Identifier: GPL-2.0-only
/*
 * memlab: numbers on the command line, and ADDR: hex, or a region of
 * /proc/PID/maps and an offset.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "err.h"
#include "procmaps.h"

/* Digits of @base, all of @s, no sign: strtoull alone accepts "-1" and " 1". */
static int ml_parse_base(const char *s, int base, uint64_t *v)
{
	unsigned long long n;
	char *end;

	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return -EINVAL;
	errno = 0;
	n = strtoull(s, &end, base);
	if (errno || *end)
		return -EINVAL;
	*v = n;
	return 0;
}

/* Decimal, or hex with 0x; a leading zero is not octal (as mtest). */
int ml_parse_u64(const char *s, uint64_t *v)
{
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return s[2] ? ml_parse_base(s + 2, 16, v) : -EINVAL;
	return ml_parse_base(s, 10, v);
}

/* Hex, with or without 0x: the way addresses are written. */
int ml_parse_hex(const char *s, uint64_t *v)
{
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	return ml_parse_base(s, 16, v);
}

/* A number with an optional K, M or G (binary units, as in dd). */
int ml_parse_size(const char *s, uint64_t *v)
{
	char num[32];
	size_t len = strlen(s);
	unsigned int shift = 0;

	if (!len || len >= sizeof(num))
		return -EINVAL;
	switch (s[len - 1]) {
	case 'k':
	case 'K':
		shift = 10;
		break;
	case 'm':
	case 'M':
		shift = 20;
		break;
	case 'g':
	case 'G':
		shift = 30;
		break;
	}
	memcpy(num, s, len + 1);
	if (shift)
		num[len - 1] = '\0';
	if (ml_parse_u64(num, v) || *v > (UINT64_MAX >> shift))
		return -EINVAL;
	*v <<= shift;
	return 0;
}

int ml_parse_byte(const char *s, unsigned char *b)
{
	uint64_t v;

	if (ml_parse_u64(s, &v) || v > 255)
		return -EINVAL;
	*b = v;
	return 0;
}

/* Tell a user what regions there are when the one they named is not. */
static void ml_list_regions(const struct ml_maps *maps)
{
	const char *last = "";
	size_t i;

	for (i = 0; i < maps->n; i++) {
		const char *name = ml_vma_name(&maps->vma[i]);

		if (!*name || !strcmp(name, last))
			continue;
		ml_note("%s", name);
		last = name;
	}
}

/* Returns an exit code; on ML_EXIT_OK *@addr is set. */
int ml_resolve_addr(pid_t pid, const char *spec, uint64_t *addr)
{
	struct ml_maps maps;
	int err;

	if (!ml_parse_hex(spec, addr))
		return ML_EXIT_OK;
	err = ml_maps_load(pid, &maps);
	if (err == -ENOENT || err == -ESRCH) {
		ml_error("no such process: %d", (int)pid);
		return ML_EXIT_NOPROC;
	}
	if (err) {
		ml_error("cannot read /proc/%d/maps to find %s: %s", (int)pid,
			 spec, strerror(-err));
		ml_fix("give the address in hex, or run as the process's owner");
		return err == -EACCES ? ML_EXIT_PERM : ML_EXIT_FAIL;
	}
	err = ml_maps_resolve(&maps, spec, addr);
	if (err) {
		ml_error("%s is not an address (hex) nor a region of process %d",
			 spec, (int)pid);
		ml_note("regions: [heap], [stack], [vdso] or a mapped file, with an optional +OFFSET; process %d has:",
			(int)pid);
		ml_list_regions(&maps);
	}
	ml_maps_free(&maps);
	return err ? ML_EXIT_USAGE : ML_EXIT_OK;
}
