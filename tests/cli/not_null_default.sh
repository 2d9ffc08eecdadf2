# not_null_default.sh - a column that becomes NOT NULL with a default is
# filled from the default where it was NULL, instead of the revision
# failing on those rows; the way back keeps the filled values.  Sourced by
# t0309 (SQLite) and t0310 (PostgreSQL) after they set URL and a function
# Q that prints the result of one query on the live database.

retort init -q migrations >/dev/null
echo "target_schema = schema.sql" >> retort.ini
export RETORT_URL="$URL"

cat >schema.sql <<'SQL'
CREATE TABLE notes (id INTEGER PRIMARY KEY, title TEXT, body TEXT);
SQL
run retort revision --autogenerate -m "notes" --rev-id a1
expect_rc 0 "autogenerate notes"
run retort upgrade head
expect_rc 0 "notes is created"
Q "INSERT INTO notes VALUES (1, 'a', 'x'), (2, NULL, NULL), (3, 'c', NULL)" >/dev/null

sed -i "s/title TEXT, body TEXT/title TEXT NOT NULL DEFAULT '', body TEXT NOT NULL DEFAULT 'empty'/" schema.sql
run retort revision --autogenerate -m "not null" --rev-id a2
expect_rc 0 "autogenerate NOT NULL with defaults"
run retort upgrade head
expect_rc 0 "the upgrade fills the NULLs instead of failing"
run Q "SELECT string_agg(id || ':' || title || ':' || body, ',' ORDER BY id) FROM notes"
[ "$OUT" = "1:a:x,2::empty,3:c:empty" ] && ok "NULLs took the defaults, other values kept" || fail "rows: $OUT"
run Q "SELECT count(*) FROM notes WHERE title IS NULL OR body IS NULL"
[ "$OUT" = 0 ] && ok "no NULL left" || fail "NULLs left: $OUT"
run retort check
expect_rc 0 "the schema matches target_schema"
run retort downgrade a1
expect_rc 0 "the way back applies"
run Q "SELECT count(*) FROM notes"
[ "$OUT" = 3 ] && ok "and keeps the rows" || fail "rows after the downgrade: $OUT"
