#!/bin/sh
# t0009-templates-hooks: what `init` and `revision` write.  list-templates
# describes generic, multidb and c; multidb puts two databases (SQLite and
# PostgreSQL) in one retort.ini and one `upgrade head` migrates both; the
# C-first template writes C revisions that compile and run; `-x KEY=VALUE`
# reaches templates as ${x.KEY} and an unknown placeholder is an error;
# several post_write_hooks run in order, a missing one is named.
. "$RETORT_SRCDIR/tests/cli/lib.sh"

run retort list-templates
expect_rc 0 "list-templates"
for t in generic multidb c; do
	expect_out "^  $t - [A-Z]" "list-templates describes $t"
done

# --- multidb: SQLite and PostgreSQL, one command for both
pg_start
PG_AUDIT=$(pg_new_db audit) || { echo "cannot create database"; exit 1; }
mkdir md && cd md
run retort init -t multidb db
expect_rc 0 "init -t multidb"
[ -d db/main/versions ] && [ -d db/audit/versions ] && [ ! -e db/versions ] \
	&& ok "one versions/ per database" || fail "layout: $(find db | tr '\n' ' ')"
run retort -n main revision -m "create users"
cat >"$OUT" <<'SQL'
-- create users
--
-- Revision ID: u1
-- Revises:

-- retort:upgrade
CREATE TABLE users (id INTEGER PRIMARY KEY);

-- retort:downgrade
DROP TABLE users;
SQL
sed 's/u1/e1/; s/users/events/g' "$OUT" >db/audit/versions/e1.sql
RETORT_AUDIT_URL=postgresql://nobody@127.0.0.1:1/nodb run retort upgrade head
expect_rc 2 "audit cannot be reached: the run stops there"
expect_err "cannot connect" "and says why"
[ "$(sqlite3 main.db "SELECT name FROM sqlite_master WHERE name='users'")" = users ] \
	&& ok "main was upgraded before audit failed (sqlite3)" || fail "users missing in main.db"
RETORT_AUDIT_URL=$PG_AUDIT run retort upgrade head
expect_rc 0 "upgrade head goes through both databases"
expect_out "^\[main\]$" "a heading per database"
expect_out "Running upgrade  -> e1, create events" "audit upgraded"
[ "$(psql -X -At -d "$PG_AUDIT" -c "SELECT tablename FROM pg_tables WHERE tablename='events'")" = events ] \
	&& ok "events exists on PostgreSQL (psql)" || fail "events missing on PostgreSQL"
RETORT_AUDIT_URL=$PG_AUDIT run retort current
expect_out "^e1 \(head\)$" "current shows audit's revision"
expect_out "^u1 \(head\)$" "current shows main's revision"
run retort heads
expect_rc 2 "a one-database command without -n"
expect_err "stands for several databases \(main, audit\): name one with -n NAME" "asks for -n"
RETORT_AUDIT_URL=$PG_AUDIT run retort -n audit downgrade base
expect_rc 0 "-n audit downgrades one database"
[ -z "$(psql -X -At -d "$PG_AUDIT" -c "SELECT tablename FROM pg_tables WHERE tablename='events'")" ] \
	&& ok "events dropped (psql)" || fail "events still there"
[ "$(sqlite3 main.db "SELECT version_num FROM retort_version")" = u1 ] && ok "main untouched" || fail "main moved"
cd "$T_DIR"

# --- C-first
mkdir cf && cd cf
run retort init -t c migrations
expect_rc 0 "init -t c"
grep -q '^default_format = c$' retort.ini && ok "default_format = c" || fail "default_format not c"
run retort revision -m "first" --rev-id c1
expect_rc 0 "revision in a C-first project"
expect_out "c1_first\.c$" "writes a .c revision"
run retort upgrade head
expect_rc 0 "the template's C revision compiles and runs"
[ "$(sqlite3 app.db "SELECT version_num FROM retort_version")" = c1 ] && ok "recorded (sqlite3)" || fail "not recorded"
cd "$T_DIR"

# --- -x in templates, unknown placeholders
mkdir tx && cd tx
run retort init m -q
cat >m/script.sql.tmpl <<'T'
-- ${message}
--
-- Revision ID: ${rev_id}
-- Revises: ${down_revision}

-- retort:upgrade
CREATE TABLE t_${x.tenant} (id INTEGER PRIMARY KEY);

-- retort:downgrade
DROP TABLE t_${x.tenant};
T
run retort -x tenant=acme revision -m one --rev-id x1
expect_rc 0 "revision with -x"
grep -q "CREATE TABLE t_acme" "$OUT" && ok "\${x.tenant} became acme" || fail "template: $(cat "$OUT")"
run retort revision -m two --rev-id x2
expect_rc 2 "\${x.tenant} without -x"
expect_err "line 7: '\\$\{x.tenant\}' needs -x tenant=VALUE" "says which -x is missing"
[ ! -e m/versions/x2_two.sql ] && ok "no file written" || fail "x2 written"
sed -i 's/t_\${x.tenant}/t_${tenantname}/' m/script.sql.tmpl
run retort -x tenant=acme revision -m three --rev-id x3
expect_rc 2 "an unknown placeholder"
expect_err "unknown placeholder '\\$\{tenantname\}'" "names the placeholder"
[ -z "$(ls m/versions | grep x3)" ] && ok "nothing left behind with a placeholder in it" || fail "x3 written"
run retort upgrade head
[ "$(sqlite3 app.db "SELECT name FROM sqlite_master WHERE name='t_acme'")" = t_acme ] \
	&& ok "the rendered revision runs (sqlite3)" || fail "t_acme missing"
cd "$T_DIR"

# --- post_write_hook: several, in order; a missing one is named
mkdir hk && cd hk
run retort init m -q
printf '#!/bin/sh\necho "$1 $2" >> "%s/hooks.log"\n' "$PWD" >rec.sh
chmod +x rec.sh
printf 'post_write_hook = %s/rec.sh first {file}; %s/rec.sh second {file}\n' "$PWD" "$PWD" >>retort.ini
run retort revision -m one --rev-id h1
expect_rc 0 "revision with two hooks"
[ "$(cut -d' ' -f1 hooks.log | tr '\n' ' ')" = "first second " ] && ok "both hooks ran, in order" || fail "hooks.log: $(cat hooks.log)"
grep -q "second .*/h1_one.sql$" hooks.log && ok "{file} is the new revision" || fail "hooks.log: $(cat hooks.log)"
sed -i 's|^post_write_hook = .*|post_write_hook = sqlfluff-not-installed fix {file}; '"$PWD"'/rec.sh third {file}|' retort.ini
run retort revision -m two --rev-id h2
expect_rc 2 "a hook that is not installed"
expect_err "command not found: sqlfluff-not-installed" "names the missing command"
grep -q third hooks.log && fail "a hook after the missing one ran" || ok "the hooks after it do not run"

# a hook in a directory with a space, on a revision in one: {file} stays one word
mkdir "sp ace" && cd "sp ace"
run retort init m -q
mkdir -p "hook dir"
printf '#!/bin/sh\necho "$#:$1" >> "%s/spaced.log"\n' "$PWD" >"hook dir/rec"
chmod +x "hook dir/rec"
printf 'post_write_hook = "%s/hook dir/rec" {file}\n' "$PWD" >>retort.ini
run retort revision -m three --rev-id h3
if grep -q "^1:.*/sp ace/m/versions/h3_three.sql$" spaced.log 2>/dev/null; then
	ok "a quoted hook path and a {file} with a space are one word each"
else
	fail "spaced.log: $(cat spaced.log 2>&1)"
fi
sed -i 's|^post_write_hook = .*|post_write_hook = fmt {file} \| tee x|' retort.ini
run retort revision -m four --rev-id h4
expect_rc 2 "a shell pipeline as a hook is refused"
expect_err "post_write_hook 'fmt \{file\} \| tee x': an unquoted \|" "names the hook and the character"
cd "$T_DIR"

done_testing
