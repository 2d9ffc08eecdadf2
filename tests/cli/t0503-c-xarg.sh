#!/bin/sh
# t0503-c-xarg: `-x KEY=VALUE` reaches C revisions through
# retort_ctx_xarg(): the value seeds a row on SQLite and on PostgreSQL
# (read back with sqlite3 and psql), offline SQL sees it too, and a key
# not given reads as NULL.
. "$RETORT_SRCDIR/tests/cli/lib.sh"

mkdir -p m/versions
cat >m/versions/s1_seed.c <<'C'
/*
 * seed a tenant
 *
 * Revision ID: s1
 * Revises:
 */
#include <retort/migration.h>

int upgrade(retort_ctx *ctx)
{
	const char *tenant = retort_ctx_xarg(ctx, "tenant");
	const char *row[] = { tenant ? tenant : "(none)", retort_ctx_xarg(ctx, "missing") ? "set" : "unset" };

	if (retort_ctx_exec(ctx, "CREATE TABLE tenants (name VARCHAR(50), other VARCHAR(10))") < 0)
		return -1;
	return retort_ctx_exec_params(ctx, "INSERT INTO tenants VALUES ($1, $2)", 2, row);
}

int downgrade(retort_ctx *ctx)
{
	return retort_ctx_exec(ctx, "DROP TABLE tenants");
}
C

check_dialect() { # name query-function
	d=$1 q=$2
	run retort -x tenant=acme upgrade head
	expect_rc 0 "$d: upgrade with -x"
	[ "$($q "SELECT name || ',' || other FROM tenants")" = "acme,unset" ] \
		&& ok "$d: the revision read tenant=acme, and NULL for a key not given" \
		|| fail "$d: tenants holds $($q "SELECT * FROM tenants")"
	run retort downgrade base
	run retort upgrade head
	[ "$($q "SELECT name FROM tenants")" = "(none)" ] && ok "$d: without -x the value is NULL" \
		|| fail "$d: tenants holds $($q "SELECT * FROM tenants")"
	run retort downgrade base
}

printf '[retort]\nscript_location = m\nurl = sqlite:///app.db\n' >retort.ini
q_sqlite() { sqlite3 app.db "$1"; }
check_dialect sqlite q_sqlite
run retort -x tenant=offline upgrade head --sql
expect_rc 0 "offline SQL with -x"
expect_out "INSERT INTO tenants VALUES \('offline', 'unset'\)" "the recording context sees -x too"

pg_start
PG_APP=$(pg_new_db app) || { echo "cannot create database"; exit 1; }
printf '[retort]\nscript_location = m\nurl = %s\n' "$PG_APP" >retort.ini
q_pg() { psql -X -At -d "$PG_APP" -c "$1"; }
check_dialect postgresql q_pg

done_testing
