#!/bin/sh
# t0010-color-output: --color works on every command as in lint: on a
# terminal (a pseudo-terminal from script(1)) errors, warnings, headings and
# revision ids are colored; piped output and NO_COLOR are plain; --color
# always / never override.  diff of equal databases says "no differences"
# on stderr and nothing on stdout.
. "$RETORT_SRCDIR/tests/cli/lib.sh"

if ! command -v script >/dev/null 2>&1; then
	echo "skip: script(1) is needed for a terminal"
	exit 77
fi
ESC=$(printf '\033')
retort init m -q >/dev/null
printf -- '-- one\n--\n-- Revision ID: a1\n-- Revises:\n-- Branch Labels: core\n\n-- retort:upgrade\nCREATE TABLE t (id INTEGER);\n\n-- retort:downgrade\nDROP TABLE t;\n' >m/versions/a1.sql

tty() { script -qec "$*" /dev/null | tr -d '\r'; }

for cmd in heads history "show a1" "branches" "upgrade head" "current -v" "downgrade base"; do
	out=$(tty "$RETORT" $cmd)
	case "$out" in
	*"$ESC[33ma1$ESC[0m"*) ok "on a terminal, $cmd colors the revision id" ;;
	*"$ESC["*) [ "$cmd" = branches ] && ok "on a terminal, $cmd is colored" || fail "$cmd: $out" ;;
	*) [ "$cmd" = branches ] && ok "branches has nothing to show" || fail "$cmd is plain on a terminal: $out" ;;
	esac
	# shellcheck disable=SC2086
	run retort $cmd
	expect_no_out "$ESC\[" "piped, $cmd is plain"
done
out=$(tty "$RETORT" current -v)
case "$out" in *"$ESC[1mCurrent revision(s)"*) ok "headings are bold" ;; *) fail "heading: $out" ;; esac
out=$(tty "$RETORT" upgarde)
case "$out" in *"retort: $ESC[31merror:$ESC[0m unknown command"*) ok "errors are red on a terminal" ;; *) fail "error: $out" ;; esac
touch m/versions/x.py
out=$(tty "$RETORT" heads)
case "$out" in *"retort: $ESC[33mwarning:$ESC[0m Alembic revision"*) ok "warnings are yellow" ;; *) fail "warning: $out" ;; esac
rm m/versions/x.py
out=$(NO_COLOR=1 tty "$RETORT" heads)
case "$out" in *"$ESC["*) fail "NO_COLOR ignored: $out" ;; *) ok "NO_COLOR keeps a terminal plain" ;; esac
out=$(tty "$RETORT" --color never heads)
case "$out" in *"$ESC["*) fail "--color never ignored" ;; *) ok "--color never" ;; esac
run retort --color always heads
expect_out "$ESC\[33ma1" "--color always colors a pipe"
run retort --color sometimes heads
expect_rc 2 "--color with a bad value"

# diff: equal schemas
sqlite3 a.db "CREATE TABLE t (id INTEGER PRIMARY KEY)"
sqlite3 b.db "CREATE TABLE t (id INTEGER PRIMARY KEY)"
run retort diff sqlite:///a.db sqlite:///b.db
expect_rc 0 "equal databases"
[ -z "$OUT" ] && ok "stdout stays empty" || fail "stdout: $OUT"
[ "$ERR" = "retort: no differences" ] && ok "stderr says no differences" || fail "stderr: $ERR"
run retort -q diff sqlite:///a.db sqlite:///b.db
[ -z "$ERR" ] && ok "-q keeps it quiet" || fail "stderr with -q: $ERR"

done_testing
