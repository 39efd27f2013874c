// SPDX-License-Identifier: GPL-2.0-only
/*
 * mtest command parsing:
 *
 *   r <pid> <addr> [<len>]
 *   R <pid> <addr> <len>
 *   w <pid> <addr> <byte> [<byte> ...]
 *   t <pid> <addr>
 *
 * pid is decimal, addr hexadecimal with an optional 0x, len and bytes are
 * decimal or 0x-prefixed hexadecimal (a leading zero is never octal).
 */
#include <linux/errno.h>
#include "parse.h"

struct mtest_lexer {
	const char *pos;
	const char *end;
};

struct mtest_token {
	const char *s;
	unsigned int len;
};

static int mtest_is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Returns 0 when no token is left. */
static int mtest_next_token(struct mtest_lexer *lx, struct mtest_token *tok)
{
	while (lx->pos < lx->end && mtest_is_blank(*lx->pos))
		lx->pos++;
	tok->s = lx->pos;
	while (lx->pos < lx->end && !mtest_is_blank(*lx->pos))
		lx->pos++;
	tok->len = lx->pos - tok->s;
	return tok->len != 0;
}

static int mtest_digit(char c, unsigned int base)
{
	int d;

	if (c >= '0' && c <= '9')
		d = c - '0';
	else if (c >= 'a' && c <= 'f')
		d = c - 'a' + 10;
	else if (c >= 'A' && c <= 'F')
		d = c - 'A' + 10;
	else
		return -1;
	return d < (int)base ? d : -1;
}

static int mtest_parse_digits(const char *s, unsigned int len,
			      unsigned int base, unsigned long max,
			      unsigned long *out)
{
	unsigned long v = 0;
	unsigned int i;
	int d;

	if (!len)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		d = mtest_digit(s[i], base);
		if (d < 0 || v > (max - d) / base)
			return -EINVAL;
		v = v * base + d;
	}
	*out = v;
	return 0;
}

static int mtest_has_hex_prefix(const struct mtest_token *tok)
{
	return tok->len > 2 && tok->s[0] == '0' &&
	       (tok->s[1] == 'x' || tok->s[1] == 'X');
}

/* Decimal, or hexadecimal with a 0x prefix. */
static int mtest_parse_number(const struct mtest_token *tok,
			      unsigned long max, unsigned long *out)
{
	if (mtest_has_hex_prefix(tok))
		return mtest_parse_digits(tok->s + 2, tok->len - 2, 16, max, out);
	return mtest_parse_digits(tok->s, tok->len, 10, max, out);
}

static int mtest_parse_addr(const struct mtest_token *tok, unsigned long *out)
{
	if (mtest_has_hex_prefix(tok))
		return mtest_parse_digits(tok->s + 2, tok->len - 2, 16, ~0UL, out);
	return mtest_parse_digits(tok->s, tok->len, 16, ~0UL, out);
}

static int mtest_parse_op(const struct mtest_token *tok, enum mtest_op *op)
{
	if (tok->len != 1)
		return -EINVAL;
	switch (tok->s[0]) {
	case MTEST_READ:
	case MTEST_READ_RAW:
	case MTEST_WRITE:
	case MTEST_TRANSLATE:
		*op = tok->s[0];
		return 0;
	}
	return -EINVAL;
}

static int mtest_parse_target(struct mtest_lexer *lx, struct mtest_cmd *cmd)
{
	struct mtest_token tok;
	unsigned long pid;
	int err;

	if (!mtest_next_token(lx, &tok))
		return -EINVAL;
	err = mtest_parse_digits(tok.s, tok.len, 10, 0x7fffffff, &pid);
	if (err)
		return err;
	cmd->pid = pid;
	if (!mtest_next_token(lx, &tok))
		return -EINVAL;
	return mtest_parse_addr(&tok, &cmd->addr);
}

/* "r" may leave len out (one byte); "R" may not. */
static int mtest_parse_len(struct mtest_lexer *lx, unsigned long max,
			   bool optional, struct mtest_cmd *cmd)
{
	struct mtest_token tok;
	unsigned long len;
	int err;

	cmd->len = 1;
	if (!mtest_next_token(lx, &tok))
		return optional ? 0 : -EINVAL;
	err = mtest_parse_number(&tok, max, &len);
	if (err || !len)
		return -EINVAL;
	cmd->len = len;
	return 0;
}

static int mtest_parse_bytes(struct mtest_lexer *lx, struct mtest_cmd *cmd)
{
	struct mtest_token tok;
	unsigned long v;
	int err;

	cmd->len = 0;
	while (mtest_next_token(lx, &tok)) {
		if (cmd->len == MTEST_WRITE_MAX)
			return -EINVAL;
		err = mtest_parse_number(&tok, 0xff, &v);
		if (err)
			return err;
		cmd->bytes[cmd->len++] = v;
	}
	return cmd->len ? 0 : -EINVAL;
}

static int mtest_parse_args(struct mtest_lexer *lx, struct mtest_cmd *cmd)
{
	switch (cmd->op) {
	case MTEST_READ:
		return mtest_parse_len(lx, MTEST_READ_MAX, true, cmd);
	case MTEST_READ_RAW:
		return mtest_parse_len(lx, MTEST_RAW_MAX, false, cmd);
	case MTEST_WRITE:
		return mtest_parse_bytes(lx, cmd);
	case MTEST_TRANSLATE:
		cmd->len = 1;
		return 0;
	}
	return -EINVAL;
}

/**
 * mtest_parse() - parse one command
 * @buf: the bytes written, not NUL-terminated
 * @count: how many; one trailing newline is allowed
 * @cmd: the result, valid only when 0 is returned
 *
 * Return: 0, or -EINVAL for anything malformed.
 */
int mtest_parse(const char *buf, unsigned int count, struct mtest_cmd *cmd)
{
	struct mtest_lexer lx = { .pos = buf, .end = buf + count };
	struct mtest_token tok;
	int err;

	if (count > MTEST_CMD_MAX)
		return -EINVAL;
	if (count && buf[count - 1] == '\n')
		lx.end--;
	if (!mtest_next_token(&lx, &tok))
		return -EINVAL;
	err = mtest_parse_op(&tok, &cmd->op);
	if (!err)
		err = mtest_parse_target(&lx, cmd);
	if (!err)
		err = mtest_parse_args(&lx, cmd);
	if (!err && mtest_next_token(&lx, &tok))
		err = -EINVAL;
	return err;
}
