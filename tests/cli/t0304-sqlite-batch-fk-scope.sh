#!/bin/sh
# t0304-sqlite-batch-fk-scope: a C revision's SQLite batch (move and copy)
# checks the foreign keys the rebuild can break (the rebuilt table's own,
# and those of the tables that reference it) and nothing else: a violation
# already in an unrelated table does not stop it, a broken reference it is
# responsible for does, naming the tables.
. "$RETORT_SRCDIR/tests/cli/lib.sh"

XDG_CACHE_HOME=$T_DIR/cache
export XDG_CACHE_HOME
mkdir -p m/versions
cat >retort.ini <<'INI'
[retort]
script_location = m
url = sqlite:///app.db
INI

# crev ID PARENT BODY: a C revision file.
crev() {
	{
		printf '/*\n * make %s\n *\n * Revision ID: %s\n * Revises: %s\n */\n' "$1" "$1" "$2"
		printf '#include <retort/migration.h>\n\n%s\nint downgrade(retort_ctx *ctx) { (void)ctx; return 0; }\n' "$3"
	} >"m/versions/$1_make.c"
}

# The table rebuilt below is named par"ent, so every name must be quoted.
cat >m/versions/aaa1_tables.sql <<'SQL'
-- tables
--
-- Revision ID: aaa1
-- Revises:

-- retort:upgrade
CREATE TABLE u (id INTEGER PRIMARY KEY);
CREATE TABLE bad (id INTEGER PRIMARY KEY, u_id INTEGER REFERENCES u (id));
CREATE TABLE "par""ent" (id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE kid (id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES "par""ent" (id), u_id INTEGER REFERENCES u (id));

-- retort:downgrade
DROP TABLE kid;
DROP TABLE "par""ent";
DROP TABLE bad;
DROP TABLE u;
SQL
run retort upgrade aaa1
expect_rc 0 "the tables are created"
# Violations from before: bad -> u, and kid -> u (kid also references the rebuilt table).
sqlite3 app.db "PRAGMA foreign_keys = OFF;
INSERT INTO \"par\"\"ent\" VALUES (1, 'a'), (2, NULL);
INSERT INTO bad VALUES (1, 99);
INSERT INTO kid VALUES (10, 1, 77), (11, 2, NULL);" || exit 1
run sqlite3 app.db "SELECT count(*) FROM pragma_foreign_key_check"
[ "$OUT" = 2 ] && ok "the database starts with two unrelated violations" || fail "violations before: $OUT"

crev bbb2 aaa1 '
int upgrade(retort_ctx *ctx)
{
	retort_alter a = { .type = "VARCHAR(20)", .nullable = RETORT_SET_NOT_NULL, .default_sql = "'"'"'?'"'"'" };
	if (retort_exec(ctx, "UPDATE \"par\"\"ent\" SET name = '"'"'b'"'"' WHERE name IS NULL") < 0)
		return -1;
	return retort_alter_column(ctx, "par\"ent", "name", &a);
}'
run retort upgrade bbb2
expect_rc 0 "a batch alter succeeds despite violations elsewhere"
run sqlite3 app.db "SELECT sql FROM sqlite_master WHERE name = 'par\"ent'"
expect_out 'VARCHAR\(20\) NOT NULL' "the rebuild applied the new type and NOT NULL"
run sqlite3 app.db "SELECT count(*) FROM kid"
[ "$OUT" = 2 ] && ok "the referencing rows are still there" || fail "kid rows: $OUT"
run sqlite3 app.db "SELECT count(*) FROM pragma_foreign_key_check"
[ "$OUT" = 2 ] && ok "the unrelated violations are left as they were" || fail "violations after: $OUT"

# The revision removes a parent row that kid still references, then rebuilds the parent.
crev ccc3 bbb2 '
int upgrade(retort_ctx *ctx)
{
	retort_alter a = { .drop_default = 1 };
	if (retort_exec(ctx, "PRAGMA defer_foreign_keys = ON") < 0 ||
	    retort_exec(ctx, "DELETE FROM \"par\"\"ent\" WHERE id = 2") < 0)
		return -1;
	return retort_alter_column(ctx, "par\"ent", "name", &a);
}'
run retort upgrade ccc3
expect_rc 1 "a rebuild that leaves a reference to it broken fails"
expect_err "rebuilding table 'par\"ent' left 1 foreign key violation\(s\), the first in table 'kid' \(row 11\) referencing 'par\"ent'" \
	"the message names the rebuilt table and the referencing one"
run retort current
expect_out '^bbb2' "the failed revision is not recorded"
run sqlite3 app.db "SELECT count(*) FROM \"par\"\"ent\""
[ "$OUT" = 2 ] && ok "and its changes are rolled back" || fail "parent rows after the failure: $OUT"
rm m/versions/ccc3_make.c

# A constraint the rebuilt table's own rows break.
crev ddd3 bbb2 '
int upgrade(retort_ctx *ctx)
{
	static const char *const cols[] = { "name", NULL };
	retort_constraint c = { .kind = RETORT_CONSTRAINT_FOREIGN_KEY, .name = "name_is_u",
		.columns = cols, .ref_table = "u" };
	return retort_add_constraint(ctx, "par\"ent", &c);
}'
run retort upgrade ddd3
expect_rc 1 "a rebuild whose own rows break a new foreign key fails"
expect_err "rebuilding table 'par\"ent' left 2 foreign key violation\(s\), the first in table 'par\"ent' \(row [12]\) referencing 'u'" \
	"the message names the table"
run sqlite3 app.db "SELECT sql FROM sqlite_master WHERE name = 'par\"ent'"
expect_no_out 'name_is_u' "the constraint is not left behind"

done_testing
