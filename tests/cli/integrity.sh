# integrity.sh - sourced by t0208 (SQLite) and t0209 (PostgreSQL) after
# they set DIALECT, URL and q (run one SQL query against the database with
# the database's own client: the oracle, never retort): exit 0 only when
# the work was applied and recorded.
#
#   - a script that ends or replaces its transaction fails at file:line
#     and records nothing (both transaction modes); Transactional: no may
#   - C revision code that exits, crashes, aborts, hangs, returns non-zero
#     or rolls the transaction back fails the revision, also offline
#   - a Transactional: no revision that stops partway leaves a trace that
#     current -v, --json and the next upgrade report; stamp closes it
#   - the progress line comes after the commit; a failing COMMIT names
#     the revision

mkdir -p m/versions
ini() {
	cat >retort.ini <<INI
[retort]
script_location = m
url = $URL
transaction_per_migration = ${1:-true}
revision_timeout = ${2:-0}
INI
}
ini
# rev ID PARENT UPGRADE [TRANSACTIONAL]
rev() {
	printf -- '-- make %s\n--\n-- Revision ID: %s\n-- Revises: %s\n-- Transactional: %s\n\n-- retort:upgrade\n%s\n\n-- retort:downgrade\nSELECT 1;\n' \
		"$1" "$1" "$2" "${4:-yes}" "$3" >"m/versions/$1_make.sql"
}
# crev ID PARENT BODY: a C revision whose upgrade() is BODY
crev() {
	{
		printf '/*\n * make %s\n *\n * Revision ID: %s\n * Revises: %s\n */\n' "$1" "$1" "$2"
		printf '#include <signal.h>\n#include <stdlib.h>\n#include <unistd.h>\n#include <retort/migration.h>\n\n'
		printf 'int upgrade(retort_ctx *ctx)\n{\n%s\n}\n\nint downgrade(retort_ctx *ctx) { (void)ctx; return 0; }\n' "$3"
	} >"m/versions/$1_make.c"
}
reset_db() {
	q "DROP TABLE IF EXISTS retort_version" >/dev/null 2>&1
	q "DROP TABLE IF EXISTS retort_history" >/dev/null 2>&1
	for t in t1 t2 t3 t4 t9 c p; do q "DROP TABLE IF EXISTS $t" >/dev/null 2>&1; done
	rm -f m/versions/*
	rev a1 "" "CREATE TABLE t1 (id INTEGER);"
}
heads() { q "SELECT version_num FROM retort_version ORDER BY 1" | tr '\n' ' '; }
has_table() { q "SELECT count(*) FROM $1" >/dev/null 2>&1; }

# --- scripts that end their transaction --------------------------------
for mode in true false; do
	ini "$mode"
	for stmt in "COMMIT;" "ROLLBACK;" "BEGIN;" "END;" "  /* x */ commit transaction;"; do
		reset_db
		rev b2 a1 "CREATE TABLE t2 (id INTEGER);
$stmt
CREATE TABLE t3 (id INTEGER);"
		run retort upgrade head
		expect_rc 1 "$DIALECT per_migration=$mode: '$stmt' in a transactional script fails"
		expect_err "b2_make\\.sql:9: .*would end the transaction" "$DIALECT: '$stmt' reported at file:line"
		if has_table t2 || has_table t3; then fail "$DIALECT per_migration=$mode: '$stmt' left tables behind"; else ok "$DIALECT: nothing of b2 stays"; fi
		H=$(heads)
		case "$mode:$H" in
		true:"a1 "|false:"") ok "$DIALECT per_migration=$mode: the version table does not name b2 ($H)" ;;
		*) fail "$DIALECT per_migration=$mode: version table is '$H'" ;;
		esac
		if q "SELECT revision FROM retort_history" 2>/dev/null | grep -q b2; then fail "$DIALECT: b2 in history"; else ok "$DIALECT: b2 not in history"; fi
	done
done
ini
if [ "$DIALECT" = postgresql ]; then
	reset_db
	rev b2 a1 "CREATE TABLE t2 (id INTEGER);
ABORT;"
	run retort upgrade head
	expect_rc 1 "postgresql: ABORT in a transactional script fails"
	expect_err "b2_make\\.sql:9: ABORT would end" "ABORT named at file:line"
fi
reset_db
rev b2 a1 "BEGIN;
CREATE TABLE t2 (id INTEGER);
COMMIT;" no
run retort upgrade head
expect_rc 0 "$DIALECT: a Transactional: no script may commit"
has_table t2 && ok "$DIALECT: its table exists" || fail "$DIALECT: t2 missing"

# --- C revisions cannot fake success -------------------------------------
i=0
for body in 'retort_exec(ctx, "CREATE TABLE t9 (x INTEGER)"); exit(0);' \
	'retort_exec(ctx, "CREATE TABLE t9 (x INTEGER)"); _exit(0);' \
	'retort_exec(ctx, "CREATE TABLE t9 (x INTEGER)"); abort();' \
	'retort_exec(ctx, "CREATE TABLE t9 (x INTEGER)"); raise(SIGSEGV); return 0;' \
	'retort_exec(ctx, "CREATE TABLE t9 (x INTEGER)"); return 3;' \
	'retort_exec(ctx, "CREATE TABLE t9 (x INTEGER)"); retort_exec(ctx, "ROLLBACK"); return 0;' \
	'retort_exec(ctx, "CREATE TABLE t9 (x INTEGER)"); retort_ctx_exec(ctx, "COMMIT"); return 0;' \
	'const char *p[] = { "1" }; retort_exec(ctx, "CREATE TABLE t9 (x INTEGER)"); return retort_ctx_exec_params(ctx, "END", 0, p);'; do
	for mode in true false; do
		i=$((i + 1))
		ini "$mode"
		reset_db
		crev c2 a1 "$body"
		rev d3 c2 "CREATE TABLE t3 (id INTEGER);"
		run retort upgrade head
		expect_rc 1 "$DIALECT C #$i per_migration=$mode: fails"
		expect_err "c2_make\\.c" "$DIALECT C #$i: the message names the file"
		if has_table t9; then fail "$DIALECT C #$i: t9 stays"; else ok "$DIALECT C #$i: rolled back"; fi
		case "$(heads)" in *c2*|*d3*) fail "$DIALECT C #$i: recorded $(heads)" ;; *) ok "$DIALECT C #$i: not recorded" ;; esac
		if [ "$mode" = false ]; then
			expect_no_out '^Running upgrade' "$DIALECT C #$i: one transaction rolled back, so no progress line at all"
		else
			expect_out '^Running upgrade +-> a1' "$DIALECT C #$i: a1 committed and reported"
		fi
	done
done
ini
reset_db
crev c2 a1 '(void)ctx; return 0; } __attribute__((constructor)) static void early(void) { exit(0);'
run retort upgrade head
expect_rc 1 "$DIALECT: a constructor that exits fails the revision"
expect_err "c2_make\\.c: upgrade\\(\\) exited with status 0" "$DIALECT: and says so"

ini true 1
reset_db
crev c2 a1 'retort_exec(ctx, "CREATE TABLE t9 (x INTEGER)"); for (;;) pause(); return 0;'
start=$(date +%s)
run retort upgrade head
end=$(date +%s)
expect_rc 1 "$DIALECT: revision_timeout stops a hung revision"
expect_err "did not finish within 1 s \\(revision_timeout\\)" "$DIALECT: the timeout is named"
[ $((end - start)) -lt 20 ] && ok "$DIALECT: promptly" || fail "$DIALECT: took $((end - start)) s"
if has_table t9; then fail "$DIALECT: hung revision's table stays"; else ok "$DIALECT: hung revision rolled back"; fi
crev c2 a1 'retort_exec(ctx, "CREATE TABLE t9 (x INTEGER)"); return 0;'
run retort upgrade head
expect_rc 0 "$DIALECT: the lock was released: the next run applies it"

ini
reset_db
crev c2 a1 'retort_exec(ctx, "CREATE TABLE t9 (x INTEGER)"); if (retort_ctx_is_offline(ctx)) exit(0); return 0;'
run retort upgrade head --sql
expect_rc 1 "$DIALECT: offline rendering is protected too"
expect_err "c2_make\\.c: upgrade\\(\\) exited with status 0" "$DIALECT: offline message names the file"

reset_db
crev c2 a1 'return retort_ctx_exec(ctx, "CREATE TABLE t9 (x INTEGER); ROLLBACK");'
run retort upgrade head --sql
expect_rc 1 "$DIALECT: offline, a C revision's ROLLBACK is refused"
expect_err "c2_make\\.c:14: upgrade\\(\\) failed: ROLLBACK would end" "$DIALECT: at the call's line"
reset_db
rev b2 a1 "CREATE TABLE t2 (id INTEGER);
COMMIT;"
run retort upgrade head --sql
expect_rc 1 "$DIALECT: offline, a transactional script's COMMIT is refused"
expect_err "b2_make\\.sql:9: COMMIT would end" "$DIALECT: at file:line"

# --- a Transactional: no revision that stops partway ----------------------
reset_db
rev b2 a1 "CREATE TABLE t2 (id INTEGER);
CREATE TABLE t3 (id INTEGER);
CREATE TABLE t2 (id INTEGER);
CREATE TABLE t4 (id INTEGER);" no
rev c3 b2 "CREATE TABLE t9 (id INTEGER);"
run retort upgrade head
expect_rc 1 "$DIALECT: a non-transactional revision fails at its third statement"
expect_err "b2_make\\.sql:10: .*Transactional: no" "$DIALECT: file:line and what stays"
run q "SELECT direction, unfinished_statement FROM retort_history WHERE revision = 'b2'"
expect_out 'unfinished.3' "$DIALECT: the history holds the trace at statement 3"
run retort current -v
expect_rc 0 "$DIALECT: current -v reads it"
expect_out "warning: the upgrade of revision 'b2' .* stopped at statement 3 \\(line 10\\)" "$DIALECT: current -v reports the stop"
expect_out "retort stamp b2'.*retort stamp a1'" "$DIALECT: and both ways out"
run retort current --json
expect_out '"statement": 3' "$DIALECT: --json reports the statement"
expect_out '"revision": "b2"' "$DIALECT: --json names the revision"
run retort upgrade head
expect_rc 1 "$DIALECT: the next upgrade refuses"
expect_err "revision 'b2'.*statement 3" "$DIALECT: and says why"
has_table t9 && fail "$DIALECT: c3 ran past the trace" || ok "$DIALECT: nothing ran past the trace"
q "DROP TABLE t2" >/dev/null; q "DROP TABLE t3" >/dev/null
run retort stamp a1
expect_rc 0 "$DIALECT: stamp after undoing by hand"
rev b2 a1 "CREATE TABLE t2 (id INTEGER);
CREATE TABLE t3 (id INTEGER);
CREATE TABLE t4 (id INTEGER);" no
run retort upgrade head
expect_rc 0 "$DIALECT: the fixed revision runs again"
run q "SELECT direction FROM retort_history WHERE revision = 'b2' ORDER BY id"
expect_out '^upgrade$' "$DIALECT: the rerun is an ordinary history row"
run retort current -v
expect_no_out 'did not finish' "$DIALECT: no trace after the rerun"

reset_db
rev b2 a1 "CREATE TABLE t1 (id INTEGER);
CREATE TABLE t2 (id INTEGER);" no
run retort upgrade head
expect_rc 1 "$DIALECT: a non-transactional revision whose first statement fails"
run q "SELECT count(*) FROM retort_history WHERE direction = 'unfinished'"
expect_out '^0$' "$DIALECT: leaves no trace: nothing ran"
run retort current -v
expect_no_out 'did not finish' "$DIALECT: current -v has nothing to report"

# --- progress after commit; a failing COMMIT names the revision -----------
reset_db
rev b2 a1 "CREATE TABLE p (id INTEGER PRIMARY KEY);
CREATE TABLE c (pid INTEGER REFERENCES p (id) DEFERRABLE INITIALLY DEFERRED);"
rev c3 b2 "INSERT INTO c VALUES (42);"
for mode in true false; do
	ini "$mode"
	run retort upgrade head
	expect_rc 1 "$DIALECT per_migration=$mode: a deferred constraint fails the COMMIT"
	expect_no_out 'Running upgrade b2 -> c3' "$DIALECT per_migration=$mode: no progress line for the revision whose COMMIT failed"
	if [ "$mode" = true ]; then
		expect_err "c3_make\\.sql: revision 'c3' was not applied: .*COMMIT" "$DIALECT: the failing COMMIT names c3"
		expect_out 'Running upgrade a1 -> b2' "$DIALECT: committed b2 is reported"
	else
		expect_err "revisions 'a1' to 'c3' were not applied" "$DIALECT: the failing COMMIT names the run's revisions"
	fi
	case "$(heads)" in *c3*) fail "$DIALECT: c3 recorded" ;; *) ok "$DIALECT: c3 not recorded" ;; esac
	reset_db
	rev b2 a1 "CREATE TABLE p (id INTEGER PRIMARY KEY);
CREATE TABLE c (pid INTEGER REFERENCES p (id) DEFERRABLE INITIALLY DEFERRED);"
	rev c3 b2 "INSERT INTO c VALUES (42);"
done
