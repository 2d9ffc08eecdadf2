#!/bin/sh
# t0602-lint-rules.sh - the statement rules from the command line, without
# git or a database: --all and FILE arguments, the four output formats
# (SARIF's shape checked against the 2.1.0 schema's required members),
# exit status, retort.ini's lint_error / lint_ignore, nolint comments, and
# `upgrade --dry-run -v` listing statements with their locks.
. "$RETORT_SRCDIR/tests/cli/lib.sh"

mkdir -p m/versions
cat >retort.ini <<'INI'
[retort]
script_location = m
url = postgresql://nobody@localhost:1/none

[lite]
script_location = m
url = sqlite:///app.db

[strict]
script_location = m
url = postgresql://nobody@localhost:1/none
lint_error = index-not-concurrent
lint_ignore = R115,
  R116

[typo]
script_location = m
lint_ignore = R110, R1O1
INI
# rev ID PARENT SQL [TRANSACTIONAL]
rev() {
	printf -- '-- %s\n--\n-- Revision ID: %s\n-- Revises: %s\n-- Transactional: %s\n\n-- retort:upgrade\n%s\n\n-- retort:downgrade\nSELECT 1;\n' \
		"$1" "$1" "$2" "${4:-yes}" "$3" >"m/versions/$1.sql"
}
rev a1 "" "CREATE TABLE users (id serial PRIMARY KEY, email text, at timestamp);"
rev b2 a1 "CREATE INDEX users_email ON users (email);
ALTER TABLE users ADD COLUMN score int NOT NULL DEFAULT 0; -- retort:nolint R105
ALTER TABLE users ALTER COLUMN email TYPE varchar(100);"
rev c3 b2 "CREATE INDEX CONCURRENTLY users_score ON users (score);" no

run retort lint --all
expect_rc 0 "warnings and advice alone exit 0"
expect_out "^warning: m/versions/b2.sql:8: R101 index-not-concurrent: CREATE INDEX users_email on users without CONCURRENTLY blocks writes to users until it is built \[SHARE lock on users: blocks writes\]" \
	"a warning names file:line, code, rule, what happens and the lock"
expect_out "^warning: m/versions/b2.sql:10: R109 alter-column-type: ALTER COLUMN email TYPE varchar\(100\) rewrites users \(from text\)" \
	"the type an earlier revision gave decides whether ALTER TYPE rewrites"
expect_out "^advice: m/versions/a1.sql:8: R115 int-primary-key" "advice on a serial key"
expect_no_out "R105|R103" "a nolint comment silences its rule; CONCURRENTLY outside a transaction is fine"
expect_out "^lint: 3 revision\(s\): 0 error\(s\), 2 warning\(s\), 2 advice" "the summary counts by level"

run retort -n strict lint --all
expect_rc 1 "lint_error makes a rule's findings errors"
expect_out "^error: m/versions/b2.sql:8: R101" "the promoted finding is an error"
expect_no_out "R115|R116" "lint_ignore (continued on an indented line) drops rules"

run retort -n typo lint --all
expect_rc 2 "an unknown rule in retort.ini is a configuration error"
expect_err "retort.ini:18: unknown lint rule 'R1O1' in lint_ignore" "it is named with its line"

# github annotations: one line each, level, file, line, title
run retort lint --all --format github
expect_rc 0 "--format github"
expect_out "^::warning file=m/versions/b2.sql,line=8,title=R101 index-not-concurrent::CREATE INDEX users_email on users without CONCURRENTLY .*\(SHARE lock: blocks writes\)\. Instead: CREATE INDEX CONCURRENTLY" \
	"a workflow annotation per finding"
expect_out "^::notice file=m/versions/a1.sql,line=8,title=R116 timestamp-without-time-zone::" "advice is a notice"
if [ "$(printf '%s\n' "$OUT" | grep -vc '^::')" = 0 ]; then ok "nothing but annotations"; else fail "stray lines in github output"; fi

# SARIF: the members the 2.1.0 schema requires, rule indexes that point
# at their rules, and locations that point at the statement in the file.
run retort lint --all --format sarif
expect_rc 0 "--format sarif"
if printf '%s' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["version"] == "2.1.0" and d["$schema"].endswith("sarif-schema-2.1.0.json"), "header"
assert len(d["runs"]) == 1
run = d["runs"][0]
driver = run["tool"]["driver"]
assert driver["name"] == "retort" and driver["version"], driver
ids = [r["id"] for r in driver["rules"]]
assert len(ids) == len(set(ids)) and "R101" in ids and "R201" in ids
levels = {"none", "note", "warning", "error"}
for r in driver["rules"]:
    assert r["shortDescription"]["text"] and r["help"]["text"], r
    assert r["defaultConfiguration"]["level"] in levels, r
res = run["results"]
assert len(res) == 4, len(res)
for r in res:
    assert set(r) <= {"ruleId", "ruleIndex", "level", "message", "locations", "properties"}, r
    assert driver["rules"][r["ruleIndex"]]["id"] == r["ruleId"], r
    assert r["level"] in levels and r["message"]["text"], r
    loc = r["locations"][0]["physicalLocation"]
    uri, line = loc["artifactLocation"]["uri"], loc["region"]["startLine"]
    assert not uri.startswith("/") and isinstance(line, int) and line >= 1, loc
    text = open(uri).read().split("\n")[line - 1]
    want = {"R101": "CREATE INDEX", "R109": "ALTER TABLE", "R115": "CREATE TABLE", "R116": "CREATE TABLE"}[r["ruleId"]]
    assert text.startswith(want), (r["ruleId"], text)
r101 = [r for r in res if r["ruleId"] == "R101"][0]
assert r101["properties"] == {"lock": "SHARE", "table": "users", "revision": "b2"}, r101
'; then ok "SARIF 2.1.0: required members, rule indexes, locations at the statements"; else fail "the SARIF output is malformed"; fi

run retort lint --all --json
if printf '%s' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["base"] is None and d["revisions"] == 3 and d["warnings"] == 2 and d["advice"] == 2, d
f = [f for f in d["findings"] if f["code"] == "R101"][0]
assert f["rule"] == "index-not-concurrent" and f["lock"] == "SHARE" and f["line"] == 8, f
assert f["why"] and f["instead"].startswith("CREATE INDEX CONCURRENTLY"), f
'; then ok "--json carries code, rule, lock, why and instead"; else fail "--json is wrong"; fi

# files, with and without a header, in the configured dialect or the one asked for
cat >plain.sql <<'SQL'
BEGIN;
UPDATE users SET email = lower(email);
ALTER TABLE users DROP COLUMN at;
COMMIT;
SQL
run retort lint plain.sql m/versions/c3.sql
expect_rc 1 "transaction control in a plain file is an error"
expect_out "^error: plain.sql:1: R118 transaction-control: BEGIN in a transactional revision" "plain SQL is one transactional upgrade"
expect_out "^warning: plain.sql:2: R119 whole-table-dml" "a whole-table UPDATE next to DDL"
expect_out "^lint: 2 file\(s\)" "files are counted"
mkdir elsewhere
(cd elsewhere && "$RETORT" lint --dialect sqlite ../plain.sql >../out 2>../err)
RC=$? OUT=$(cat out) ERR=$(cat err)
expect_rc 1 "files lint without a retort.ini"
expect_out "R110 drop-column: DROP COLUMN users.at \(SQLite rewrites every row of users to drop it\)" "read as SQLite when asked"

run retort lint --all --base main
expect_rc 2 "--base with --all is a usage error"
run retort lint --format xml
expect_rc 2 "an unknown format is a usage error"

# the dry run's plan, on SQLite, creates no database
run retort -n lite upgrade head --dry-run -v
expect_rc 0 "upgrade --dry-run -v"
expect_out "^Would run upgrade a1 -> b2, b2" "the revision line"
expect_out "^    m/versions/b2.sql:8: CREATE INDEX: write lock on users, blocks other writers" \
	"each statement with its lock"
[ -e app.db ] && fail "the dry run created the database" || ok "the dry run created nothing"
run retort -n lite lint --all --db
expect_rc 0 "lint --db on SQLite"
[ -e app.db ] && fail "lint --db created the SQLite database" || ok "lint --db opens no SQLite file"

done_testing
