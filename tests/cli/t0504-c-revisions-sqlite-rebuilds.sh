#!/bin/sh
# t0504-c-revisions-sqlite-rebuilds: a C revision's SQLite rebuild is the
# one generated revisions use: it keeps every column of the live table
# (one added by hand too), declared constraint names, the rows, and asks
# for `Foreign Keys: off` when a cascading reference is in the way; with
# that header it runs inside the revision's transaction and a failure
# leaves the database as it was.  Judged by sqlite3.
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

# crev ID PARENT HEADER BODY: a C revision file; HEADER is extra header lines.
crev() {
	{
		printf '/*\n * make %s\n *\n * Revision ID: %s\n * Revises: %s\n%s */\n' "$1" "$1" "$2" "$3"
		printf '#include <retort/migration.h>\n\n%s\nint downgrade(retort_ctx *ctx) { (void)ctx; return 0; }\n' "$4"
	} >"m/versions/$1_make.c"
}
rows() {
	sqlite3 app.db "SELECT (SELECT group_concat(id || ':' || coalesce(email, '-') || ':' || coalesce(nick, '-'), ',') FROM acct)
		|| ' / ' || (SELECT group_concat(id || '>' || acct_id, ',') FROM login)
		|| ' / ' || (SELECT group_concat(version_num) FROM retort_version)"
}

cat >m/versions/aaa1_tables.sql <<'SQL'
-- tables
--
-- Revision ID: aaa1
-- Revises:

-- retort:upgrade
CREATE TABLE acct (id INTEGER PRIMARY KEY, email TEXT, CONSTRAINT uq_acct_email UNIQUE (email));
CREATE TABLE login (id INTEGER PRIMARY KEY, acct_id INTEGER REFERENCES acct (id) ON DELETE CASCADE);
INSERT INTO acct VALUES (1, 'a@x'), (2, NULL);
INSERT INTO login VALUES (10, 1), (20, 2);

-- retort:downgrade
DROP TABLE login;
DROP TABLE acct;
SQL
run retort upgrade aaa1
expect_rc 0 "the tables are created"
sqlite3 app.db "ALTER TABLE acct ADD COLUMN nick TEXT; UPDATE acct SET nick = 'n1' WHERE id = 1" || exit 1

NOTNULL='
int upgrade(retort_ctx *ctx)
{
	retort_alter a = { .nullable = RETORT_SET_NOT_NULL, .default_sql = "'"'"'none'"'"'" };
	return retort_column_alter(ctx, "acct", "email", &a);
}'
# Without the header the cascading reference stops the rebuild, naming it.
crev bbb2 aaa1 "" "$NOTNULL"
run retort upgrade head
expect_rc 1 "a rebuild under a cascading reference stops without Foreign Keys: off"
expect_err '"login" references "acct" ON DELETE CASCADE.*Foreign Keys: off' "and says what to add"
[ "$(rows)" = "1:a@x:n1,2:-:- / 10>1,20>2 / aaa1" ] && ok "nothing changed" || fail "rows: $(rows)"

# With it, the rebuild runs in the revision's transaction: rows, the hand-made column and names stay.
crev bbb2 aaa1 " * Foreign Keys: off
" "$NOTNULL"
run retort upgrade head
expect_rc 0 "with Foreign Keys: off it applies"
[ "$(rows)" = "1:a@x:n1,2:none:- / 10>1,20>2 / bbb2" ] && ok "every row, the filled NULL and the hand-added column" ||
	fail "rows: $(rows)"
sqlite3 app.db ".schema acct" | grep -q 'CONSTRAINT "uq_acct_email" UNIQUE ("email")' && ok "the constraint keeps its name" ||
	fail "schema: $(sqlite3 app.db ".schema acct")"
sqlite3 app.db ".schema acct" | grep -q '"email" TEXT NOT NULL DEFAULT' && ok "email is NOT NULL now" ||
	fail "schema: $(sqlite3 app.db ".schema acct")"

# A named constraint is dropped by its name; a rebuild that fails half way changes nothing.
crev ccc3 bbb2 " * Foreign Keys: off
" '
int upgrade(retort_ctx *ctx)
{
	const char *cols[] = { "nick", NULL };
	retort_constraint c = { .kind = RETORT_CONSTRAINT_CHECK, .name = "nick_set", .check_sql = "nick IS NOT NULL" };
	if (retort_constraint_drop(ctx, "acct", "uq_acct_email") < 0)
		return -1;
	(void)cols;
	return retort_constraint_add(ctx, "acct", &c);
}'
sqlite3 app.db .schema >before.txt
run retort upgrade head
expect_rc 1 "a CHECK one row breaks fails the revision"
sqlite3 app.db .schema >after.txt
cmp -s before.txt after.txt && ok "and the schema is as it was (the dropped constraint too)" ||
	fail "schema changed: $(diff before.txt after.txt)"
[ "$(rows)" = "1:a@x:n1,2:none:- / 10>1,20>2 / bbb2" ] && ok "and the rows" || fail "rows: $(rows)"
sqlite3 app.db "UPDATE acct SET nick = 'n2' WHERE id = 2" || exit 1
run retort upgrade head
expect_rc 0 "with the row fixed it applies"
sqlite3 app.db ".schema acct" | grep -q 'uq_acct_email' && fail "the unique constraint is still there" ||
	ok "the named unique constraint is gone"
sqlite3 app.db ".schema acct" | grep -q 'CONSTRAINT "nick_set" CHECK' && ok "the check is there" ||
	fail "schema: $(sqlite3 app.db ".schema acct")"

done_testing
