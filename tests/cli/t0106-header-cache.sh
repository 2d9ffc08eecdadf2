#!/bin/sh
# t0106-header-cache.sh - the header cache as a user meets it: it is
# written once files have settled, used silently, and never believed over
# the files themselves: an edit, a new parent, a deleted file, a damaged
# cache, a cache directory others can write, or RETORT_GRAPH_CACHE=0.
. "$RETORT_SRCDIR/tests/cli/lib.sh"

mkdir -p m/versions
cat >retort.ini <<'INI'
[retort]
script_location = m
url = sqlite:///app.db
INI
# rev ID PARENT MESSAGE UP DOWN
rev() {
	printf -- '-- %s\n--\n-- Revision ID: %s\n-- Revises: %s\n\n-- retort:upgrade\n%s\n\n-- retort:downgrade\n%s\n' \
		"$3" "$1" "$2" "$4" "$5" >"m/versions/$1.sql"
}
rev aaa1 "" "make t1" "CREATE TABLE t1 (id INTEGER);" "DROP TABLE t1;"
rev bbb2 aaa1 "make t2" "CREATE TABLE t2 (id INTEGER);" "DROP TABLE t2;"
rev ccc3 bbb2 "make t3" "CREATE TABLE t3 (id INTEGER);" "DROP TABLE t3;"
CACHE_DIR=$XDG_CACHE_HOME/retort/graph
cache_file() { find "$CACHE_DIR" -type f 2>/dev/null | head -1; }

run retort heads
expect_rc 0 "heads with brand-new files"
[ -z "$(cache_file)" ] && ok "files changed a moment ago are not cached yet" \
	|| fail "a cache was written for files that have not settled"

sleep 3 # file times tick coarsely: the cache waits until a change must move them
run retort history
expect_rc 0 "history once the files have settled"
expect_out "^bbb2 -> ccc3 \(head\), make t3$" "history is right"
C=$(cache_file)
[ -n "$C" ] && ok "the cache is written under XDG_CACHE_HOME" || fail "no cache file in $CACHE_DIR"
[ "$(stat -c %a "$C")" = 600 ] && ok "the cache file is private" || fail "cache mode $(stat -c %a "$C")"
before=$(cksum <"$C")
run retort history
expect_out "^bbb2 -> ccc3 \(head\), make t3$" "history from the cache is the same"
[ "$(cksum <"$C")" = "$before" ] && ok "an unchanged history does not rewrite the cache" \
	|| fail "the cache was rewritten"

# A run plans from the files themselves, not the cache, and records the
# checksum of the bytes it ran.
run retort upgrade head
expect_rc 0 "upgrade head beside a filled cache"
run sqlite3 app.db "SELECT name FROM sqlite_master WHERE name LIKE 't_' ORDER BY name"
[ "$OUT" = "$(printf 't1\nt2\nt3')" ] && ok "the SQL of each revision ran" || fail "tables: $OUT"
run sqlite3 app.db "SELECT checksum FROM retort_history WHERE revision = 'bbb2'"
[ "$OUT" = "$(sha256sum m/versions/bbb2.sql | cut -d' ' -f1)" ] \
	&& ok "the history's checksum is that of the file" || fail "checksum $OUT"

# An edit in place (same inode) that keeps the size is still seen.
ino=$(stat -c %i m/versions/ccc3.sql)
sed 's/make t3/MAKE T3/' m/versions/ccc3.sql >edited && cat edited >m/versions/ccc3.sql
[ "$(stat -c %i m/versions/ccc3.sql)" = "$ino" ] || fail "the edit was not in place"
run retort history
expect_out "^bbb2 -> ccc3 \(head\), MAKE T3$" "an edit of the same size is seen at once"

# A new parent changes the graph, whatever the cache says.
sed -i 's/^-- Revises: bbb2$/-- Revises: aaa1/' m/versions/ccc3.sql
run retort heads
expect_rc 0 "heads after a header edit"
[ "$(printf '%s\n' "$OUT" | wc -l)" -eq 2 ] && ok "the edited parent makes two heads" || fail "heads: $OUT"
sed -i 's/^-- Revises: aaa1$/-- Revises: bbb2/' m/versions/ccc3.sql

# A deleted file is gone from the graph.
mv m/versions/ccc3.sql ccc3.sql.away
run retort heads
expect_out "^bbb2 \(head\)$" "a deleted revision is not read from the cache"
mv ccc3.sql.away m/versions/ccc3.sql

# A damaged cache is ignored and replaced.
sleep 3
run retort heads
printf 'not a cache at all' >"$C"
run retort history
expect_rc 0 "history with a damaged cache"
expect_out "^bbb2 -> ccc3 \(head\), MAKE T3$" "a damaged cache changes nothing"
head -c 19 "$C" | grep -q '^retort-header-cache' && ok "the damaged cache is rewritten" \
	|| fail "the cache was not rewritten"

# A load that fails (a broken file) leaves the cache as it was.
before=$(cksum <"$C")
printf -- '-- broken\n-- Revision ID: ddd4\n-- Revises: ccc3\n-- Bogus: x\n\n-- retort:upgrade\nSELECT 1;\n' >m/versions/ddd4.sql
run retort heads
expect_rc 1 "heads with a broken revision file"
expect_err "ddd4.sql:4: unknown header key" "the broken file is named with its line"
[ "$(cksum <"$C")" = "$before" ] && ok "a failed load does not rewrite the cache" || fail "the cache was rewritten"
rm m/versions/ddd4.sql

# Writing a cache prunes: other locations' caches unused for 30 days, and
# temporary files of writes that died.  A cache in use stays.
touch -d '40 days ago' "$CACHE_DIR/00000000000000aa"
touch -d '2 hours ago' "$CACHE_DIR/.retort-tmp-x1Y2z3"
touch "$CACHE_DIR/00000000000000cc"
rm -f "$C"
run retort history
[ ! -e "$CACHE_DIR/00000000000000aa" ] && [ ! -e "$CACHE_DIR/.retort-tmp-x1Y2z3" ] \
	&& ok "old caches and stray temporary files are pruned" || fail "not pruned: $(ls "$CACHE_DIR")"
[ -e "$CACHE_DIR/00000000000000cc" ] && ok "a cache in use is kept" || fail "pruned a fresh cache"
rm -f "$CACHE_DIR/00000000000000cc"
C=$(cache_file)

# A cache directory others can write is not trusted: neither read nor written.
rm -f "$C"
chmod 777 "$CACHE_DIR"
run retort history
expect_rc 0 "history beside an open cache directory"
[ -z "$(cache_file)" ] && ok "nothing is cached in a directory others can write" || fail "cached anyway"
chmod 700 "$CACHE_DIR"

# As root with a HOME that belongs to someone else (sudo keeping HOME):
# nothing is created there, so the user's own cache stays theirs.
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
	mkdir other-home && chown nobody other-home
	run env HOME="$T_DIR/other-home" XDG_CACHE_HOME= "$RETORT" history
	expect_rc 0 "history with another user's HOME"
	[ -z "$(ls -A other-home)" ] && ok "nothing created in another user's HOME" \
		|| fail "created $(ls -A other-home) in another user's HOME"
fi

# What changes a database, or writes a revision, never trusts the cache.
# Forge a stale entry: ccc3's cached parent rewritten from bbb2 to aaa1,
# its file's identity and times left as recorded.
sleep 3
run retort heads
C=$(cache_file)
python3 - "$C" <<'PY'
import sys
data = open(sys.argv[1], 'rb').read()
at = data.index(b'ccc3.sql\0ccc3\0')
parent = data.index(b'bbb2\0', at)
open(sys.argv[1], 'wb').write(data[:parent] + b'aaa1' + data[parent + 4:])
PY
run retort heads
[ "$(printf '%s\n' "$OUT" | wc -l)" -eq 2 ] && ok "the forged entry is what a report sees (the forgery took)" \
	|| fail "the forged cache was not used: $OUT"
run retort downgrade ccc3:base --sql
expect_rc 0 "offline downgrade beside the forged cache"
expect_out "Running downgrade ccc3 -> bbb2" "a run plans from the files: ccc3 still revises bbb2"
run retort revision -m next
expect_rc 0 "revision beside the forged cache"
grep -q '^-- Revises: ccc3$' m/versions/*next*.sql && ok "a new revision's parent comes from the files" \
	|| fail "new revision: $(grep Revises m/versions/*next*.sql)"
rm -f m/versions/*next*.sql "$C"

# Turned off.
run env RETORT_GRAPH_CACHE=0 "$RETORT" history
expect_rc 0 "history with RETORT_GRAPH_CACHE=0"
[ -z "$(cache_file)" ] && ok "RETORT_GRAPH_CACHE=0 writes no cache" || fail "cached anyway"

done_testing
