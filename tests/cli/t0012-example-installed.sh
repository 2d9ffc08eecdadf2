#!/bin/sh
# t0012-example-installed: what `make install` puts on a system, used the
# way a program's build uses it.  retort is installed into a temporary
# DESTDIR; examples/migrate-at-startup/app.c is compiled and linked with
# `pkg-config --cflags --libs retort` alone (C99, -Wall -Wextra -pedantic)
# against those headers and that libretort.so, then migrates a SQLite
# file and a PostgreSQL database, judged by sqlite3 and psql.  The
# installed library exports exactly the functions the public headers
# declare, and names every library it needs.
. "$RETORT_SRCDIR/tests/cli/lib.sh"

: "${RETORT_BUILDDIR:?}"
command -v pkg-config >/dev/null 2>&1 || { echo "skip: no pkg-config"; exit 77; }
cc=${CC:-cc}

# A make run from inside `make check` must not think it shares its jobserver.
unset MAKEFLAGS MFLAGS MAKELEVEL
dest=$T_DIR/dest
if make -C "$RETORT_BUILDDIR" install DESTDIR="$dest" >"$T_DIR/install.log" 2>&1; then
	ok "make install DESTDIR=..."
else
	OUT=$(tail -20 "$T_DIR/install.log") ERR=""
	fail "make install failed"
	done_testing
fi

# --- what is installed ---------------------------------------------------------
pc=$(find "$dest" -name retort.pc | head -1)
lib=$(find "$dest" -name 'libretort.so.*' -type f | head -1)
for what in "bin/retort" "include/retort/retort.h" "include/retort/version.h" "include/retort/migration.h" \
	"man1/retort.1" "man5/retort.ini.5" "man3/libretort.3" "completions/retort" "site-functions/_retort"; do
	if [ -n "$(find "$dest" -path "*/$what" | head -1)" ]; then ok "installs $what"; else fail "no $what in $dest"; fi
done
[ -n "$pc" ] && [ -n "$lib" ] && ok "installs retort.pc and libretort.so" || fail "pc='$pc' lib='$lib'"
grep -q '^Requires.private: .*sqlite3.*libpq' "$pc" && ok "retort.pc: Requires.private" || fail "retort.pc: $(cat "$pc")"

libdir=$(dirname "$lib")
PKG_CONFIG_PATH=$(dirname "$pc")
LD_LIBRARY_PATH=$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export PKG_CONFIG_PATH LD_LIBRARY_PATH
# the .pc names the configured prefix; the files are under DESTDIR
prefix=$(pkg-config --variable=prefix retort)

# DT_NEEDED names libpg_query, and every symbol resolves (ldd -r reports what does not).
readelf -d "$lib" | grep -q 'NEEDED.*libpg_query' && ok "libretort.so needs libpg_query (DT_NEEDED)" \
	|| fail "no DT_NEEDED on libpg_query: $(readelf -d "$lib" | grep NEEDED)"
if [ -z "${RETORT_SAN_CFLAGS:-}" ]; then
	run ldd -r "$lib"
	printf '%s\n%s\n' "$OUT" "$ERR" | grep -q "undefined symbol" && fail "unresolved symbols: $ERR" \
		|| ok "ldd -r: every symbol of libretort.so resolves"
fi

# Exports: exactly the public headers' RETORT_EXTERN functions.
inc=$(dirname "$(find "$dest" -path '*/include/retort/retort.h')")
cat "$inc"/*.h | sed -n 's/^RETORT_EXTERN[^(]*[ *]\([a-z_][a-z0-9_]*\)(.*/\1/p' | sort -u >"$T_DIR/declared"
# (A sanitizer build adds LeakSanitizer's hook, which the sanitizer finds only when exported.)
nm -D --defined-only "$lib" | awk '$2 ~ /^[TDBR]$/ { print $3 }' |
	{ if [ -n "${RETORT_SAN_CFLAGS:-}" ]; then grep -vx '__lsan_is_turned_off'; else cat; fi; } | sort -u >"$T_DIR/exported"
if cmp -s "$T_DIR/declared" "$T_DIR/exported"; then
	ok "libretort.so exports exactly the $(wc -l <"$T_DIR/declared") public functions"
else
	OUT=$(diff "$T_DIR/declared" "$T_DIR/exported") ERR=""
	fail "exports differ from the public headers (< declared only, > exported only)"
fi

# --- the example, built as a program's build would ------------------------------
flags=$(pkg-config --define-variable=prefix="$dest$prefix" --cflags --libs retort) || fail "pkg-config --cflags --libs retort"
# shellcheck disable=SC2086
if $cc -std=c99 -Wall -Wextra -pedantic -Werror -o "$T_DIR/app" \
	"$RETORT_SRCDIR/examples/migrate-at-startup/app.c" $flags ${RETORT_SAN_CFLAGS:-} 2>"$T_DIR/cc.log"; then
	ok "the example compiles and links with pkg-config --cflags --libs retort ($flags)"
else
	OUT=$(cat "$T_DIR/cc.log") ERR=""
	fail "the example does not build"
	done_testing
fi
run ldd "$T_DIR/app"
expect_out "libretort\\.so\\.0 => $libdir" "the example loads the installed libretort.so"

scripts=$RETORT_SRCDIR/examples/migrate-at-startup/migrations

# SQLite
run "$T_DIR/app" "sqlite:///$T_DIR/app.db" "$scripts"
expect_rc 0 "the example migrates a SQLite file"
expect_out "^app: migrated base -> 5d1f0c2a7e90, create notes" "it reports each revision"
expect_out "^app: database at 8b3e6a41c2d7 \\(2 revisions applied now" "it ends at head"
[ "$(sqlite3 "$T_DIR/app.db" "SELECT version_num FROM retort_version")" = 8b3e6a41c2d7 ] \
	&& ok "sqlite3: the version table is at head" || fail "version: $(sqlite3 "$T_DIR/app.db" 'SELECT * FROM retort_version')"
[ "$(sqlite3 "$T_DIR/app.db" "SELECT group_concat(name) FROM pragma_table_info('notes')")" = "id,body,created_at" ] \
	&& ok "sqlite3: notes has its columns" || fail "notes: $(sqlite3 "$T_DIR/app.db" .schema)"
[ "$(sqlite3 "$T_DIR/app.db" "SELECT count(*) FROM retort_history WHERE tag = 'app startup'")" = 2 ] \
	&& ok "sqlite3: the history rows carry the program's tag" || fail "history tags"
run "$T_DIR/app" "sqlite:///$T_DIR/app.db" "$scripts"
expect_out "\\(0 revisions applied now" "a second start has nothing to do"
run "$T_DIR/app" "mysql://x/y" "$scripts"
expect_rc 1 "a bad URL fails the start"
expect_err "^app: cannot migrate the database: .*mysql" "with the library's message"

# PostgreSQL, on the harness's private server
pg_start
url=$(pg_new_db app_example) || fail "cannot create a database"
run "$T_DIR/app" "$url" "$scripts"
expect_rc 0 "the example migrates a PostgreSQL database"
expect_out "^app: database at 8b3e6a41c2d7" "it ends at head"
run psql -X -At -d "$url" -c "SELECT version_num FROM retort_version"
expect_out "^8b3e6a41c2d7$" "psql: the version table is at head"
run psql -X -At -d "$url" -c "SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'notes'"
expect_out "^id,body,created_at$" "psql: notes has its columns"
run psql -X -At -d "$url" -c "SELECT indexname FROM pg_indexes WHERE tablename = 'notes' AND indexname = 'notes_created_at'"
expect_out "^notes_created_at$" "psql: and its index"

done_testing
