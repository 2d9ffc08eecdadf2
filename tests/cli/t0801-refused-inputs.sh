#!/bin/sh
# t0801-refused-inputs.sh - inputs that are refused with a clear message,
# on SQLite: empty --url / RETORT_URL / -c, %00 and file: URIs in a SQLite
# path, reserved, malformed and over-wide revision ids, relative targets
# whose count overflows (every form), version tables that are a view, hold
# NULL or a revision with its ancestor, and diff on a missing file.
# Each is judged by the exit status, the message, and sqlite3's own dump
# of the database (unchanged, or never created).
. "$RETORT_SRCDIR/tests/cli/lib.sh"

mkdir -p m/versions
cat >retort.ini <<'INI'
[retort]
script_location = m
url = sqlite:///app.db
INI
rev() {
	printf -- '-- make %s\n--\n-- Revision ID: %s\n-- Revises: %s\n\n-- retort:upgrade\n%s\n\n-- retort:downgrade\n%s\n' \
		"$1" "$1" "$2" "$3" "$4" >"m/versions/$1.sql"
}
rev a1 "" "CREATE TABLE t1 (id INTEGER);" "DROP TABLE t1;"
rev a2 a1 "CREATE TABLE t2 (id INTEGER);" "DROP TABLE t2;"
rev a3 a2 "CREATE TABLE t3 (id INTEGER);" "DROP TABLE t3;"
run retort upgrade a2
expect_rc 0 "setup: upgrade to a2"
dump() { sqlite3 "$1" .dump; }
BEFORE=$(dump app.db)
unchanged() {
	if [ "$(dump app.db)" = "$BEFORE" ]; then ok "$1: the database is unchanged"; else fail "$1: the database changed"; fi
}

# --- empty URL and config --------------------------------------------------
run retort --url "" upgrade head
expect_rc 2 "--url '' is refused"
expect_err "--url is empty" "--url '': says so"
unchanged "--url ''"
run env RETORT_URL= "$RETORT" upgrade head
expect_rc 2 "RETORT_URL='' is refused"
expect_err "RETORT_URL is set but empty" "RETORT_URL='': says so"
unchanged "RETORT_URL=''"
# the config's own url does not stand in for them either with a default in it
cat >dflt.ini <<'INI'
[retort]
script_location = m
url = ${RETORT_URL:-sqlite:///app.db}
INI
run env RETORT_URL= "$RETORT" -c dflt.ini upgrade head
expect_rc 2 "RETORT_URL='' with a \${RETORT_URL:-...} default is refused"
unchanged "RETORT_URL='' with a default"
run retort -c "" current
expect_rc 2 "-c '' is refused"
expect_err "-c is empty" "-c '': says so"
run env RETORT_CONFIG= "$RETORT" current
expect_rc 2 "RETORT_CONFIG='' is refused"
expect_err "RETORT_CONFIG is set but empty" "RETORT_CONFIG='': says so"

# --- SQLite paths -------------------------------------------------------------
run retort --url 'sqlite:///evil%00.db' upgrade head
expect_rc 2 "%00 in a SQLite path is refused"
expect_err "--url: malformed database URL 'sqlite:///evil%00.db': %00 in the path" "%00: names the URL and why"
[ ! -e evil ] && [ ! -e evil.db ] && ok "%00: no truncated file created" || fail "%00 created a file: $(ls)"
run retort --url 'sqlite:///file:uri.db?mode=rwc' upgrade head
expect_rc 2 "a SQLite URI with a query is refused"
run retort --url 'sqlite:///file:uri.db' upgrade head
expect_rc 2 "a SQLite URI file name is refused"
expect_err "SQLite URI file names \('file:...'\) are not supported" "file:: says why and how"
[ -z "$(ls | grep uri)" ] && ok "file:: nothing created" || fail "file: created $(ls | grep uri)"
run retort --url 'sqlite:///./file:plain.db' upgrade a1
expect_rc 0 "a file named file:... is reachable by its path"
[ -f 'file:plain.db' ] && [ -f 'file:plain.db.retort-lock' ] && ok "file:plain.db: database and lock file are the same name" \
	|| fail "file:plain.db: $(ls)"

# --- revision ids ---------------------------------------------------------------
for id in head heads base current HEAD 012345678901234567890123456789012 'a/../b' "$(printf 'a\377')"; do
	run retort revision -m x --rev-id "$id"
	expect_rc 2 "--rev-id '$id' is refused"
	expect_err "invalid revision id" "--rev-id '$id': says which rule"
done
[ "$(ls m/versions | wc -l)" -eq 3 ] && ok "no refused revision was written" || fail "files: $(ls m/versions)"
run retort revision -m x --rev-id "$(printf '\303\251%.0s' $(seq 32))"
expect_rc 0 "an id of 32 two-byte characters fits the column"
rm -f m/versions/*_x.sql
for id in head base current; do
	rev "$id" a2 "SELECT 1;" "SELECT 1;"
	run retort upgrade head
	expect_rc 1 "a header id '$id' is a malformed revision"
	expect_err "m/versions/$id.sql:3: invalid revision id '$id': it is a reserved word" "header id '$id': file:line and why"
	rm "m/versions/$id.sql"
done
unchanged "reserved ids"
printf -- '-- x\n--\n-- Revision ID: bad\377id\n-- Revises: a2\n\n-- retort:upgrade\nSELECT 1;\n' >m/versions/badutf.sql
run retort heads
expect_rc 1 "invalid UTF-8 in a header id is refused"
expect_err "badutf.sql:3: invalid revision id 'bad\\\\xffid': it is not valid UTF-8" "invalid UTF-8: escaped in the message"
rm m/versions/badutf.sql

# --- relative targets that overflow -------------------------------------------------
for t in -9223372036854775808 +9223372036854775808 -99999999999999999999 +1000000001 \
	a2+9223372036854775808 a2-9223372036854775808 head-18446744073709551616; do
	case $t in -*) cmd=downgrade ;; *) cmd=upgrade ;; esac
	run retort $cmd -- "$t"
	expect_rc 2 "$cmd $t is refused"
	expect_err "steps is more than retort walks" "$cmd $t: says why"
done
rev b1 a1 "SELECT 1;" "SELECT 1;"
sed -i 's/^-- Revises: a1$/-- Revises: a1\n-- Branch Labels: side/' m/versions/b1.sql
run retort upgrade 'side@+9223372036854775808'
expect_rc 2 "LABEL@+N overflowing is refused"
run retort history -r '-9223372036854775808:a3'
expect_rc 2 "a range starting with an overflowing count is refused"
run retort history -r 'a1:+99999999999999999999'
expect_rc 2 "a range ending with an overflowing count is refused"
rm m/versions/b1.sql
unchanged "overflowing counts"

# --- version tables that cannot be a database's state --------------------------------
cp app.db state.db
cat >state.ini <<'INI'
[retort]
script_location = m
url = sqlite:///state.db
INI
state_case() { # what sql exit pattern
	cp app.db state.db
	sqlite3 state.db "$2"
	S_BEFORE=$(dump state.db)
	for cmd in "current" "upgrade head" "downgrade base" "stamp head" "upgrade head --dry-run"; do
		run retort -c state.ini $cmd
		expect_rc "$3" "$1: $cmd"
		expect_err "$4" "$1: $cmd says why"
	done
	if [ "$(dump state.db)" = "$S_BEFORE" ]; then ok "$1: unchanged"; else fail "$1: the database changed"; fi
}
state_case "a view" "DROP TABLE retort_version; CREATE TABLE v_rows (version_num TEXT); INSERT INTO v_rows VALUES ('a2'); CREATE VIEW retort_version AS SELECT version_num FROM v_rows;" \
	1 "the version table 'retort_version' is a view, not a table"
state_case "NULL" "DROP TABLE retort_version; CREATE TABLE retort_version (version_num VARCHAR(32)); INSERT INTO retort_version VALUES (NULL);" \
	1 "holds a NULL version_num"
state_case "a duplicate" "DROP TABLE retort_version; CREATE TABLE retort_version (version_num VARCHAR(32)); INSERT INTO retort_version VALUES ('a2'), ('a2');" \
	1 "holds 'a2' twice"
state_case "an ancestor" "INSERT INTO retort_version VALUES ('a1');" \
	1 "holds 'a1' together with 'a2', which comes after it"

# --- diff on a file that does not exist ----------------------------------------
run retort diff sqlite:///missing.db sqlite:///app.db
expect_rc 2 "diff: a missing FROM file is an error"
expect_err "there is no SQLite database at 'missing.db'" "diff: names the missing file"
run retort diff sqlite:///app.db sqlite:///missing2.db
expect_rc 2 "diff: a missing TO file is an error"
[ ! -e missing.db ] && [ ! -e missing2.db ] && ok "diff created neither file" || fail "diff created: $(ls)"
unchanged "diff"

done_testing
