#!/bin/sh
# t0301-diff-sqlite.sh - `retort diff` between two SQLite files: exit 0
# when equal, 1 with the SQL when they differ (and that SQL really turns
# one into the other, keeping the rows), --downgrade, possible renames and
# --rename, --json, and exit 2 for bad URLs and mixed dialects.
. "$RETORT_SRCDIR/tests/cli/lib.sh"

sqlite3 a.db "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, email TEXT);
INSERT INTO users VALUES (1, 'ann', 'ann@example.org'), (2, 'bob', 'bob@example.org');" || exit 1
sqlite3 b.db "CREATE TABLE users (id INTEGER PRIMARY KEY, full_name TEXT, email TEXT NOT NULL DEFAULT '');
CREATE INDEX users_email ON users (email);
CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id) ON DELETE CASCADE, body TEXT CHECK (length(body) < 500));" || exit 1
cp a.db a0.db

run retort diff sqlite:///a.db sqlite:///a0.db
expect_rc 0 "identical schemas: exit 0"
[ -z "$OUT" ] && ok "identical schemas: no output" || fail "identical schemas printed: $OUT"

run retort diff sqlite:///a.db sqlite:///b.db
expect_rc 1 "different schemas: exit 1"
expect_out '^CREATE TABLE "posts"' "the new table is created"
expect_out 'INSERT INTO "_retort_new_users"' "users is rebuilt by move and copy"
expect_out '^-- destructive: drops column\(s\) "name"' "the dropped column is marked destructive"
expect_out "^-- note: possible rename: column 'name' dropped and 'full_name' added" "a possible rename is noted"
expect_out 'PRAGMA defer_foreign_keys = ON' "foreign keys are deferred during the batch"
expect_out '^-- stop unless "users" has exactly the columns' "the batch first checks the table's columns"
expect_no_out 'PRAGMA foreign_keys = OFF' "nobody references users: foreign keys stay on"
printf '%s\n' "$OUT" >up.sql

# The printed SQL really turns a into b, and the rows stay.
run sqlite3 a.db ".read up.sql"
expect_rc 0 "the upgrade SQL runs"
run retort diff sqlite:///a.db sqlite:///b.db
expect_rc 0 "after applying it the schemas are equal"
run sqlite3 a.db "SELECT count(*) FROM users"
[ "$OUT" = 2 ] && ok "rows survive the batch" || fail "rows after the batch: $OUT"

run retort diff --downgrade sqlite:///a0.db sqlite:///a.db
expect_rc 1 "--downgrade: exit 1"
expect_out '^-- destructive: drops table "posts"' "--downgrade drops the new table"
printf '%s\n' "$OUT" >down.sql
run sqlite3 a.db ".read down.sql"
expect_rc 0 "the downgrade SQL runs"
run retort diff sqlite:///a.db sqlite:///a0.db
expect_rc 0 "after the downgrade the schema is the original one"

run retort diff --rename users.name=full_name sqlite:///a0.db sqlite:///b.db
expect_rc 1 "--rename: exit 1"
expect_out 'SELECT "id", "name", coalesce[(]"email", .{2}[)] FROM "users"' "--rename copies the old column into the new one, filling the new NOT NULL"
expect_no_out 'possible rename' "--rename: no note"

run retort diff --json sqlite:///a0.db sqlite:///b.db
expect_rc 1 "--json: exit 1"
expect_out '"kind": "create_table"' "--json lists the operations"
expect_out '"destructive": true' "--json marks destructive operations"
expect_out '"equal": false' "--json says the schemas differ"
expect_out '"sql": "-- note: possible rename' "--json carries the whole script"

run retort diff sqlite:///a.db
expect_rc 2 "one URL: usage error"
run retort diff nosuch://x sqlite:///a.db
expect_rc 2 "bad URL: exit 2"
expect_err "malformed database URL" "bad URL: says why"
run retort diff sqlite:///a.db postgresql://u:pw@localhost/x
expect_rc 2 "mixed dialects: exit 2"
expect_err "cannot compare a sqlite database with a postgresql database" "mixed dialects: says why"
run retort diff --rename users.nosuch=x sqlite:///a0.db sqlite:///b.db
expect_rc 2 "a rename of a missing column: exit 2"
# A parent rebuilt while a child references it ON DELETE CASCADE: the
# script comes framed with foreign keys off around its own transaction;
# its body run inside a transaction with foreign keys on stops instead of
# cascading.
sqlite3 p1.db "CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id) ON DELETE CASCADE);
INSERT INTO parent VALUES (1, 'a'); INSERT INTO child VALUES (10, 1);" || exit 1
sqlite3 p2.db "CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT '');
CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id) ON DELETE CASCADE);" || exit 1
run retort diff sqlite:///p1.db sqlite:///p2.db
expect_rc 1 "parent with a cascading child: exit 1"
expect_out 'pragma_foreign_keys' "the batch guards against cascading deletes"
expect_out '^PRAGMA foreign_keys = OFF;$' "foreign keys are switched off before"
expect_out '^BEGIN;$' "the script's own transaction"
printf '%s\n' "$OUT" >cascade.sql
sed -e '/^PRAGMA foreign_keys = O/d' -e '/^BEGIN;$/d' -e '/^COMMIT;$/d' cascade.sql >body.sql
run sqlite3 -bail -cmd "PRAGMA foreign_keys = ON" -cmd "BEGIN" p1.db ".read body.sql"
expect_err 'foreign keys are on: "child" references "parent" ON DELETE CASCADE.*needs .Foreign Keys: off.' "the body inside a transaction with foreign keys on stops with a reason"
run sqlite3 p1.db "SELECT count(*) FROM child"
[ "$OUT" = 1 ] && ok "and the child row is still there" || fail "child rows after the refused batch: $OUT"
run sqlite3 -bail -cmd "PRAGMA foreign_keys = ON" p1.db ".read cascade.sql"
expect_rc 0 "the framed script runs in a session with foreign keys on"
run sqlite3 p1.db "SELECT count(*) FROM child"
[ "$OUT" = 1 ] && ok "and the child row survives the batch" || fail "child rows after the batch: $OUT"
run retort diff sqlite:///p1.db sqlite:///p2.db
expect_rc 0 "after the batch the schemas are equal"

# A trigger on another table that names the rebuilt table does not stop the batch.
sqlite3 t1.db "CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER); CREATE TABLE log (x INTEGER);
CREATE TRIGGER log_to_t AFTER INSERT ON log BEGIN INSERT INTO t (a) VALUES (new.x); END;" || exit 1
sqlite3 t2.db "CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER NOT NULL DEFAULT 0); CREATE TABLE log (x INTEGER);
CREATE TRIGGER log_to_t AFTER INSERT ON log BEGIN INSERT INTO t (a) VALUES (new.x); END;" || exit 1
run retort diff sqlite:///t1.db sqlite:///t2.db
printf '%s\n' "$OUT" >trg.sql
run sqlite3 -bail t1.db ".read trg.sql"
expect_rc 0 "a batch under another table's trigger applies"
run retort diff sqlite:///t1.db sqlite:///t2.db
expect_rc 0 "and the schemas are then equal"

# AUTOINCREMENT's high-water mark and STRICT survive a batch.
sqlite3 s1.db "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, a TEXT) STRICT;
INSERT INTO t (a) VALUES ('x'), ('y'), ('z'); DELETE FROM t WHERE id = 3;" || exit 1
sqlite3 s2.db "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, a TEXT NOT NULL DEFAULT '') STRICT;" || exit 1
run retort diff sqlite:///s1.db sqlite:///s2.db
printf '%s\n' "$OUT" >seq.sql
run sqlite3 -bail s1.db ".read seq.sql"
expect_rc 0 "an AUTOINCREMENT STRICT table is rebuilt"
run sqlite3 s1.db "INSERT INTO t (a) VALUES ('w'); SELECT max(id) FROM t;"
[ "$OUT" = 4 ] && ok "a deleted rowid is not reused after the batch" || fail "new rowid after the batch: $OUT"
run retort diff sqlite:///s1.db sqlite:///s2.db
expect_rc 0 "STRICT is kept"

# Views over views over a rebuilt table are dropped and recreated in order.
sqlite3 v1.db "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT); CREATE VIEW z_base AS SELECT id, a FROM t;
CREATE VIEW a_top AS SELECT id FROM z_base;" || exit 1
sqlite3 v2.db "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT NOT NULL DEFAULT ''); CREATE VIEW z_base AS SELECT id, a FROM t;
CREATE VIEW a_top AS SELECT id FROM z_base;" || exit 1
run retort diff sqlite:///v1.db sqlite:///v2.db
printf '%s\n' "$OUT" >views.sql
expect_out 'DROP VIEW "a_top";' "the view over the view is dropped"
run sqlite3 -bail v1.db ".read views.sql"
expect_rc 0 "views over views survive a batch"
run sqlite3 v1.db "SELECT name FROM sqlite_schema WHERE type = 'view' ORDER BY rowid"
[ "$(printf '%s' "$OUT" | tr '\n' ' ')" = "z_base a_top" ] && ok "recreated base first" || fail "view order: $OUT"

run retort diff --help
expect_rc 0 "--help"
expect_out "FROM_URL TO_URL" "--help shows the synopsis"
done_testing
