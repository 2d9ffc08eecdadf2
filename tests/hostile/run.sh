#!/bin/sh
# run.sh - the hostile-input corpus: every file in cases/ is one input a
# hostile or careless user could give retort, and retort must refuse it.
#
# For each case and each dialect it names, in a fresh project whose
# database is at head of two applied revisions:
#   - the case's setup() builds the input (files, config lines, database
#     state), then sqlite3 .dump / pg_dump record the database;
#   - cmd() runs retort once, under `timeout` (a hang fails);
#   - the exit status is the case's EXIT, 1 or 2, stderr says
#     "retort: error: " and matches EXPECT (which names the file and line
#     or the value), stays under 16 KiB, and holds no sanitizer report;
#   - nothing on stdout or stderr matches REJECT (a password, a raw escape);
#   - the dump afterwards is the dump before: the database is unchanged;
#   - after(), when the case has one, checks the rest.
#
# A case file is a shell fragment that sets EXIT (1 or 2), EXPECT, optionally
# DIALECTS ("sqlite", "postgresql" or both; default sqlite) and REJECT,
# and defines cmd() and optionally setup() and after().  setup() changes
# the database only through db_sql (the dump before is then taken after
# it; otherwise the baseline's is the dump before).  Helpers: retort
# ARGS (under a timeout), retort_env NAME=VALUE ARGS, rev FILE ID REVISES
# [SQL] writes a revision, script FILE writes stdin as one, ini LINE adds a
# line to [retort], db_sql SQL runs on the case's database; $DIALECT and
# $DB_URL say which.  Adding a case is adding a file.
#
#   RETORT_HOSTILE_CASES=DIR   run another directory of cases
#   RETORT_HOSTILE_ONLY=GLOB   run only the cases whose name matches
#   RETORT_HOSTILE_TIMES=1     print how long each case took
. "$RETORT_SRCDIR/tests/cli/lib.sh"

CASES=${RETORT_HOSTILE_CASES:-$RETORT_SRCDIR/tests/hostile/cases}
ONLY=${RETORT_HOSTILE_ONLY:-*}
TIMEOUT=${RETORT_HOSTILE_TIMEOUT:-60}

# --- the baseline project ------------------------------------------------------
mkdir -p base/m/versions
printf -- '-- first\n--\n-- Revision ID: b1\n-- Revises:\n\n-- retort:upgrade\nCREATE TABLE t1 (id INTEGER PRIMARY KEY, name VARCHAR(40));\nINSERT INTO t1 VALUES (1, %s);\n\n-- retort:downgrade\nDROP TABLE t1;\n' \
	"'one'" >base/m/versions/b1_first.sql
printf -- '-- second\n--\n-- Revision ID: b2\n-- Revises: b1\n\n-- retort:upgrade\nCREATE TABLE t2 (id INTEGER PRIMARY KEY);\n\n-- retort:downgrade\nDROP TABLE t2;\n' \
	>base/m/versions/b2_second.sql

write_ini() { # URL
	printf '[retort]\nscript_location = m\nurl = %s\nlock_timeout = 5\n' "$1" >retort.ini
}

DIALECTS_HERE="sqlite"
(cd base && write_ini sqlite:///app.db && "$RETORT" -q upgrade head) || { echo "cannot set up the SQLite baseline"; exit 1; }

pg_out=$(sh "$RETORT_SRCDIR/tests/harness/pgserver.sh" start)
pg_rc=$?
if [ $pg_rc -eq 0 ]; then
	T_PG_DIR=$(printf '%s\n' "$pg_out" | sed -n 1p)
	PG_URL=$(printf '%s\n' "$pg_out" | sed -n 2p)
	PG_HOST=$T_PG_DIR
	PG_PORT=${RETORT_PG_PORT:-54329}
	psql -X -q -v ON_ERROR_STOP=1 -d "$PG_URL" -c 'CREATE DATABASE hostile_base' >/dev/null || exit 1
	BASE_PG="postgresql:///hostile_base?host=$PG_HOST&port=$PG_PORT&user=postgres"
	(cd base && mkdir pg && cd pg && cp -R ../m . && write_ini "$BASE_PG" && "$RETORT" -q upgrade head) ||
		{ echo "cannot set up the PostgreSQL baseline"; exit 1; }
	# the cases share one database, made again from the baseline only after a case changed it
	WORK_PG="postgresql:///hostile?host=$PG_HOST&port=$PG_PORT&user=postgres"
	pg_reset() {
		psql -X -q -d "$PG_URL" -c 'DROP DATABASE IF EXISTS hostile' -c 'CREATE DATABASE hostile TEMPLATE hostile_base' \
			>/dev/null 2>&1
	}
	pg_reset || exit 1
	DIALECTS_HERE="sqlite postgresql"
elif [ $pg_rc -eq 77 ] && [ "${CI:-}" != true ]; then
	echo "# no PostgreSQL server: the postgresql cases are skipped"
else
	echo "cannot start PostgreSQL"; exit 1
fi

# --- helpers for cases -----------------------------------------------------------
# retort, under a timeout: a hang is a failure (exit 124), not a stalled suite
retort() {
	timeout -k 5 "$TIMEOUT" "$RETORT" "$@"
}
retort_env() { # NAME=VALUE ARGS...: retort with one variable set (possibly empty)
	_assign=$1
	shift
	timeout -k 5 "$TIMEOUT" env "$_assign" "$RETORT" "$@"
}
rev() { # FILE ID REVISES [SQL]
	printf -- '-- %s\n--\n-- Revision ID: %s\n-- Revises: %s\n\n-- retort:upgrade\n%s\n' \
		"$1" "$2" "$3" "${4:-SELECT 1;}" >"m/versions/$1"
}
script() { # FILE, contents on stdin
	cat >"m/versions/$1"
}
ini() {
	printf '%s\n' "$1" >>retort.ini
}
db_sql() {
	DB_TOUCHED=1
	if [ "$DIALECT" = sqlite ]; then
		sqlite3 app.db "$1"
	else
		psql -X -q -v ON_ERROR_STOP=1 -d "$DB_URL" -c "$1" >/dev/null
	fi
}
dump() {
	if [ "$DIALECT" = sqlite ]; then
		if [ -e app.db ]; then sqlite3 app.db .dump; else echo "(no database file)"; fi
	else
		pg_dump --no-owner -d "$DB_URL" | grep -v -e '^--' -e '^\\restrict' -e '^\\unrestrict'
	fi
}

# --- one case on one dialect ----------------------------------------------------------
(DIALECT=sqlite && cd base && dump) >baseline.sqlite 2>&1
if [ -n "${WORK_PG:-}" ]; then
	(DIALECT=postgresql DB_URL=$WORK_PG && dump) >baseline.postgresql 2>&1
fi
n=0
run_case() { # FILE NAME DIALECT
	n=$((n + 1))
	DIALECT=$3
	dir="$T_DIR/c$n"
	DB_TOUCHED=0
	if [ "$DIALECT" = sqlite ]; then
		cp -R base "$dir" && rm -rf "$dir/pg"
		DB_URL=sqlite:///app.db
	else
		cp -R base/pg "$dir"
		DB_URL=$WORK_PG
	fi
	cd "$dir" || return
	write_ini "$DB_URL"
	if command -v setup >/dev/null 2>&1 && ! setup >setup.log 2>&1; then
		OUT="" ERR=$(cat setup.log)
		fail "$2 ($DIALECT): setup failed"
		cd "$T_DIR" || exit 1
		return
	fi
	# a setup changes the database only through db_sql; otherwise it is the baseline
	if [ "$DB_TOUCHED" = 1 ]; then dump >dump.before 2>&1; else cp "$T_DIR/baseline.$DIALECT" dump.before; fi
	cmd >out.txt 2>err.txt </dev/null
	RC=$?
	OUT=$(cat out.txt) ERR=$(cat err.txt)
	what="$2 ($DIALECT)"
	if [ "$RC" -eq "$EXIT" ] && { [ "$EXIT" -eq 1 ] || [ "$EXIT" -eq 2 ]; }; then
		ok "$what: exit $RC"
	else
		fail "$what: expected exit $EXIT (1 or 2), got $RC"
	fi
	if grep -q '^retort: error: ' err.txt && grep -Eq -- "$EXPECT" err.txt; then
		ok "$what: the message says /$EXPECT/"
	else
		fail "$what: stderr lacks a 'retort: error:' line matching /$EXPECT/"
	fi
	if grep -Eq 'Sanitizer|runtime error:' err.txt; then
		fail "$what: a sanitizer report"
	else
		ok "$what: no sanitizer report"
	fi
	size=$(wc -c <err.txt)
	if [ "$size" -le 16384 ]; then ok "$what: stderr is $size bytes"; else fail "$what: stderr is $size bytes"; fi
	if [ -n "${REJECT:-}" ] && cat out.txt err.txt | grep -Eq -- "$REJECT"; then
		fail "$what: the output shows /$REJECT/"
	elif [ -n "${REJECT:-}" ]; then
		ok "$what: nothing shows /$REJECT/"
	fi
	dump >dump.after 2>&1
	if cmp -s dump.before dump.after; then
		ok "$what: the database is unchanged"
	else
		fail "$what: the database changed: $(diff dump.before dump.after | head -5)"
	fi
	if command -v after >/dev/null 2>&1; then
		if why=$(after 2>&1); then ok "$what: after"; else fail "$what: after: $why"; fi
	fi
	if [ "$DIALECT" = postgresql ] && ! cmp -s dump.after "$T_DIR/baseline.$DIALECT"; then
		pg_reset || fail "$what: cannot reset the database"
	fi
	cd "$T_DIR" || exit 1
}

ncases=0
for file in "$CASES"/*.case; do
	name=$(basename "$file" .case)
	# shellcheck disable=SC2254
	case $name in $ONLY) ;; *) continue ;; esac
	ncases=$((ncases + 1))
	for d in sqlite postgresql; do
		unset -f setup cmd after 2>/dev/null
		unset EXIT EXPECT REJECT DIALECTS
		# shellcheck disable=SC1090
		. "$file"
		case " ${DIALECTS:-sqlite} " in *" $d "*) ;; *) continue ;; esac
		case " $DIALECTS_HERE " in
		*" $d "*)
			t0=$(date +%s%N)
			run_case "$file" "$name" "$d"
			[ -n "${RETORT_HOSTILE_TIMES:-}" ] && echo "# time $name ($d): $(( ($(date +%s%N) - t0) / 1000000 )) ms"
			;;
		*) echo "# skip $name ($d): no server" ;;
		esac
	done
done
echo "# $ncases cases"
if [ "$ONLY" = "*" ]; then
	[ "$ncases" -ge 60 ] && ok "the corpus has $ncases cases (at least 60)" || fail "the corpus has only $ncases cases"
fi
done_testing
