#!/bin/sh
# t0007-c-cache-dir: compiled C revisions are loaded with dlopen, so the
# cache they live in must be private: a directory others can write is
# refused before anything is compiled into it or loaded from it.
. "$RETORT_SRCDIR/tests/cli/lib.sh"

retort init -q m >/dev/null
cat > m/versions/a1.c <<'C'
/*
 * create t
 *
 * Revision ID: a1
 * Revises:
 */
#include <retort/migration.h>
int upgrade(retort_ctx *ctx) { return retort_exec(ctx, "CREATE TABLE t (x int)"); }
int downgrade(retort_ctx *ctx) { return retort_exec(ctx, "DROP TABLE t"); }
C
mkdir -p xdg/retort
chmod 777 xdg/retort
export XDG_CACHE_HOME="$T_DIR/xdg"

run retort upgrade head
expect_rc 1 "a world-writable cache directory is refused"
expect_err "refusing to use cache directory '.*xdg/retort'" "the directory is named"
[ -z "$(ls xdg/retort)" ] && ok "nothing was compiled into it" || fail "objects were written: $(ls xdg/retort)"
[ "$(sqlite3 app.db "select count(*) from sqlite_master where name = 't'")" = 0 ] && ok "the revision did not run" || fail "the revision ran"

chmod 700 xdg/retort
run retort upgrade head
expect_rc 0 "a private cache directory is used"
[ "$(sqlite3 app.db "select version_num from retort_version")" = a1 ] && ok "the C revision ran" || fail "a1 not applied"

done_testing
