#!/bin/sh
# t0008-errors-and-hints: the same failure exits the same way from every
# command; mistakes get a "did you mean"; an Alembic project moved over is
# told what retort does not read; `current` shows labels, the database's
# resolved path, -x values and reads an empty version table as base;
# %(here)s in retort.ini works from any directory.
. "$RETORT_SRCDIR/tests/cli/lib.sh"

run retort --bogus
expect_rc 2 "unknown global option"
expect_err "^retort: error: unknown option '--bogus'$" "names the option, no empty command"
expect_err "^usage: retort \[global options\] COMMAND" "the global usage line, no double space"
run retort upgrade --version
expect_rc 0 "upgrade --version"
expect_out "^retort [0-9]" "prints the version"

run retort upgarde
expect_rc 2 "mistyped command"
expect_err "did you mean 'upgrade'" "suggests upgrade"
run retort ensure-verison
expect_err "did you mean 'ensure-version'" "suggests a hyphenated command"
run retort frobnicate
expect_no_out "did you mean" "no suggestion for a word far from every command"

mkdir -p proj/m/versions
printf '[retort]\nscript_locaton = m\n' >bad.ini
run retort -c bad.ini heads
expect_rc 2 "mistyped key"
expect_err "bad.ini:2: unknown key 'script_locaton' .*did you mean 'script_location'" "suggests script_location"
printf '[retort]\nscript_location = m\nsqlalchemy.url = sqlite://\n' >bad.ini
run retort -c bad.ini heads
expect_err "bad.ini:3: unknown key 'sqlalchemy.url' .*did you mean 'url'" "Alembic's sqlalchemy.url suggests url"

# %(here)s: the ini file's directory, from wherever retort runs
cat >proj/retort.ini <<'INI'
[retort]
script_location = %(here)s/m
url = sqlite:///%(here)s/app.db
INI
cat >proj/m/versions/a1.sql <<'SQL'
-- a1
--
-- Revision ID: a1
-- Revises:
-- Branch Labels: core

-- retort:upgrade
CREATE TABLE t1 (id INTEGER PRIMARY KEY);

-- retort:downgrade
DROP TABLE t1;
SQL
mkdir elsewhere
cd elsewhere
run retort -c ../proj/retort.ini upgrade head
expect_rc 0 "upgrade with %(here)s from another directory"
[ -f "$T_DIR/proj/app.db" ] && [ ! -e app.db ] && ok "the database is beside the ini file" || fail "app.db not in proj/"
[ "$(sqlite3 "$T_DIR/proj/app.db" "SELECT name FROM sqlite_master WHERE name='t1'")" = t1 ] \
	&& ok "t1 exists there (sqlite3)" || fail "t1 missing"
run retort -c ../proj/retort.ini -x tenant=acme current -v
expect_out "^Database: $T_DIR/proj/app.db$" "current -v shows the resolved database path"
expect_out "^-x tenant=acme$" "current -v lists -x values"
expect_out "^a1 \(core\) \(head\), a1$" "current shows the branch label as heads does"
cd "$T_DIR"

# an empty version table reads as at base
run retort -c proj/retort.ini downgrade base
run retort -c proj/retort.ini current -v
expect_out "The version table is empty: the database is at base" "empty version table reads as base"

# an Alembic project moved over
touch proj/m/versions/1975ea83b712_create_account.py proj/m/versions/__init__.py
run retort -c proj/retort.ini heads
expect_err "warning: Alembic revision ignored: .*1975ea83b712_create_account.py" ".py revisions are reported"
expect_no_out "__init__.py" "__init__.py is not a revision"
rm proj/m/versions/*.py
sqlite3 proj/app.db "CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY); INSERT INTO alembic_version VALUES ('1975ea83b712')"
run retort -c proj/retort.ini current
expect_err "set 'version_table = alembic_version'" "current hints at version_table = alembic_version"
run retort -c proj/retort.ini upgrade head
expect_rc 2 "upgrade refuses to replay everything over an Alembic database"
[ -z "$(sqlite3 proj/app.db "SELECT name FROM sqlite_master WHERE name='t1'")" ] \
	&& ok "nothing ran (sqlite3)" || fail "t1 was created"

# The same failure, the same exit status: a database that cannot be reached is 2 everywhere
for cmd in "current" "upgrade head" "downgrade base" "stamp head" "history --indicate-current" "show current"; do
	# shellcheck disable=SC2086
	run retort -c proj/retort.ini --url postgresql://nobody@127.0.0.1:1/nodb $cmd
	expect_rc 2 "unreachable database: $cmd"
done
run retort diff postgresql://nobody@127.0.0.1:1/nodb postgresql://nobody@127.0.0.1:1/other
expect_rc 2 "unreachable database: diff"
run retort -c proj/retort.ini --url sqlite:////nonexistent-dir/x.db upgrade head
expect_rc 2 "a SQLite file that cannot be opened"
run retort -c proj/retort.ini lint
expect_rc 2 "lint outside a git repository"

# the same on PostgreSQL: the Alembic hint and a database that does not exist
pg_start
PG_APP=$(pg_new_db app) || { echo "cannot create database"; exit 1; }
psql -X -q -d "$PG_APP" -c "CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)"
run retort -c proj/retort.ini --url "$PG_APP" current
expect_err "set 'version_table = alembic_version'" "postgresql: current hints at version_table"
run retort -c proj/retort.ini --url "$PG_APP" upgrade head
expect_rc 2 "postgresql: upgrade refuses"
NOSUCH=$(printf '%s' "$PG_APP" | sed 's|/app?|/nosuchdb?|')
for cmd in current "upgrade head"; do
	# shellcheck disable=SC2086
	run retort -c proj/retort.ini --url "$NOSUCH" $cmd
	expect_rc 2 "postgresql: no such database: $cmd"
done
run retort diff "$NOSUCH" "$PG_APP"
expect_rc 2 "postgresql: no such database: diff"

done_testing
