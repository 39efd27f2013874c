// SPDX-License-Identifier: GPL-2.0-only
/*
 * memlab: messages, the bottom layer. An error, its fix and notes, on
 * standard error; nothing here looks at the system (diag.c does).
 */
#include <stdarg.h>
#include <stdio.h>

#include "err.h"

static void ml_vmsg(const char *prefix, const char *fmt, va_list ap)
{
	fputs(prefix, stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void ml_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ml_vmsg("memlab: ", fmt, ap);
	va_end(ap);
}

void ml_fix(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ml_vmsg("  fix: ", fmt, ap);
	va_end(ap);
}

void ml_note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ml_vmsg("  ", fmt, ap);
	va_end(ap);
}

int ml_usage_error(const char *cmd, const char *what)
{
	ml_error("%s", what);
	ml_fix("see 'memlab %s --help'", cmd ? cmd : "");
	return ML_EXIT_USAGE;
}
