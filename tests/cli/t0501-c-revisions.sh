#!/bin/sh
# t0501-c-revisions.sh - C revisions as a user runs them on SQLite:
# compiled on first use into the cache, portable operations and a data
# migration, offline SQL through the recording context, and the errors a
# user must be able to act on (compiler output, a failing revision).
. "$RETORT_SRCDIR/tests/cli/lib.sh"

XDG_CACHE_HOME=$T_DIR/cache
export XDG_CACHE_HOME
mkdir -p m/versions
cat >retort.ini <<'INI'
[retort]
script_location = m
url = sqlite:///app.db
cflags = -Wall -Werror
INI

# crev ID PARENT BODY: a C revision file.
crev() {
	{
		printf '/*\n * make %s\n *\n * Revision ID: %s\n * Revises: %s\n */\n' "$1" "$1" "$2"
		printf '#include <stdio.h>\n#include <string.h>\n#include <retort/migration.h>\n\n%s\n' "$3"
	} >"m/versions/$1_make.c"
}

crev aaa1 "" '
int upgrade(retort_ctx *ctx)
{
	const retort_column cols[] = {
		{ .name = "id", .type = "INTEGER", .flags = RETORT_PRIMARY_KEY },
		{ .name = "name", .type = "VARCHAR(20)" },
		{ 0 } };
	const char *row[] = { "1", "ann" };
	if (retort_create_table(ctx, "users", cols) < 0) return -1;
	return retort_exec_params(ctx, "INSERT INTO users VALUES ($1, $2)", 2, row);
}
int downgrade(retort_ctx *ctx) { return retort_drop_table(ctx, "users"); }'

crev bbb2 aaa1 '
static int upper(void *p, size_t n, const char *const *v, const char *const *names)
{
	char name[64];
	const char *params[2];
	snprintf(name, sizeof(name), "%s", v[1]);
	for (char *c = name; *c; c++) if (*c >= 0x61 && *c <= 0x7a) *c = (char)(*c - 32);
	params[0] = name; params[1] = v[0];
	return retort_exec_params(p, "UPDATE users SET name = $1 WHERE id = $2", 2, params) < 0 ? -1 : 0;
}
int upgrade(retort_ctx *ctx)
{
	retort_alter a = { .nullable = RETORT_SET_NOT_NULL, .default_sql = "'"'"'?'"'"'" };
	if (retort_query(ctx, "SELECT id, name FROM users", 0, NULL, upper, ctx) != 0) return -1;
	return retort_alter_column(ctx, "users", "name", &a);
}
int downgrade(retort_ctx *ctx) { return 0; }'

run retort upgrade head
expect_rc 0 "upgrade compiles and runs two C revisions"
expect_out '^Running upgrade aaa1 -> bbb2' "progress line for the C revision"
run sqlite3 app.db "SELECT name FROM users"
expect_out '^ANN$' "the data migration updated the row"
run sqlite3 app.db "SELECT sql FROM sqlite_master WHERE name = 'users'"
expect_out 'NOT NULL' "the SQLite rebuild applied NOT NULL"
run find cache/retort -name '*.so'
expect_out '\.so$' "objects are cached under XDG_CACHE_HOME"

run retort upgrade aaa1 --sql --url sqlite:///other.db
expect_rc 0 "offline SQL for the first C revision"
expect_out '^CREATE TABLE "users" \($' "portable create_table is rendered"
expect_out "^INSERT INTO users VALUES \\('1', 'ann'\\);$" "bound parameters are inlined as literals"

run retort upgrade head --sql --url sqlite:///other.db
expect_rc 1 "offline SQL cannot run a query"
expect_err "bbb2_make\\.c'?: queries are not available in offline mode" "the query error names the revision"

crev ccc3 bbb2 '
int upgrade(retort_ctx *ctx) { return not_declared_anywhere; }
int downgrade(retort_ctx *ctx) { return 0; }'
run retort upgrade head
expect_rc 1 "a revision that does not compile fails the run"
expect_err "ccc3_make\\.c" "the compile error names the file"
expect_err "not_declared_anywhere" "the compiler output is shown"
run sqlite3 app.db "SELECT version_num FROM retort_version"
expect_out '^bbb2$' "the version did not move"

crev ccc3 bbb2 '
int upgrade(retort_ctx *ctx)
{
	const retort_column cols[] = { { .name = "x", .type = "INTEGER" }, { 0 } };
	if (retort_create_table(ctx, "half", cols) < 0) return -1;
	return retort_exec(ctx, "INSERT INTO missing_table VALUES (1)");
}
int downgrade(retort_ctx *ctx) { return 0; }'
run retort upgrade head
expect_rc 1 "a failing revision fails the run"
expect_err "ccc3_make\\.c.*missing_table" "the error names the file and the database message"
run sqlite3 app.db "SELECT count(*) FROM sqlite_master WHERE name = 'half'"
expect_out '^0$' "its transaction was rolled back"

rm m/versions/ccc3_make.c
run retort downgrade base
expect_rc 0 "downgrade through C revisions"
run sqlite3 app.db "SELECT count(*) FROM sqlite_master WHERE name = 'users'"
expect_out '^0$' "users dropped"

# cc and cflags are split as a shell splits words: a quoted -I with a space
mkdir -p "inc dir"
echo '#define ANSWER_TABLE "answers"' >"inc dir/answer.h"
sed -i 's|^cflags = .*|cflags = -Wall -Werror "-I%(here)s/inc dir"|' retort.ini
crev ddd4 bbb2 '#include <answer.h>
int upgrade(retort_ctx *ctx)
{
	const retort_column cols[] = { { .name = "x", .type = "INTEGER" }, { 0 } };
	return retort_create_table(ctx, ANSWER_TABLE, cols);
}
int downgrade(retort_ctx *ctx) { return retort_drop_table(ctx, ANSWER_TABLE); }'
run retort upgrade head
expect_rc 0 "a quoted include directory with a space in cflags"
run sqlite3 app.db "SELECT count(*) FROM sqlite_master WHERE name = 'answers'"
expect_out '^1$' "the header from that directory was used"
sed -i 's|^cflags = .*|cflags = -I$(pwd)|' retort.ini
run retort downgrade bbb2
expect_rc 2 "command substitution in cflags is refused"
expect_err "cflags '-I.\(pwd\)': command substitution" "names the key and the problem"

done_testing
