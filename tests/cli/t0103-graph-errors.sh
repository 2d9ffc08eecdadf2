#!/bin/sh
# t0103-graph-errors: a broken revision graph is reported precisely (files,
# lines, ids, the cycle itself) by every graph command, with exit status 1.
. "$RETORT_SRCDIR/tests/cli/lib.sh"

retort init migrations >/dev/null
V=migrations/versions
rev() { # FILE ID PARENTS
	printf -- '-- m\n--\n-- Revision ID: %s\n-- Revises: %s\n\n-- retort:upgrade\nSELECT 1;\n' "$2" "$3" > "$V/$1"
}

rev a.sql a ""
rev b.sql b a
rev dup.sql b a
for cmd in heads history branches "show a"; do
	run retort $cmd
	expect_rc 1 "$cmd: duplicate id fails"
	expect_err "duplicate revision id 'b' in '.*/versions/b.sql' and '.*/versions/dup.sql'" "$cmd: names both files"
done
rm $V/dup.sql

rev c.sql c zz
run retort heads
expect_rc 1 "missing parent"
expect_err "versions/c.sql:3: revision 'c' revises 'zz', which no script defines" "names file, line and id"

rev c.sql c e
rev d.sql d c
rev e.sql e d
run retort history
expect_rc 1 "cycle"
expect_err "cycle: c -> e -> d -> c" "prints the cycle"
rm $V/c.sql $V/d.sql $V/e.sql

printf -- '-- m\n-- Revision ID: c\n-- Revises: b\n-- Depends: a\n-- retort:upgrade\n' > $V/c.sql
run retort heads
expect_rc 1 "unknown header key"
expect_err "versions/c.sql:4: unknown header key 'Depends'" "names file:line and the key"

printf -- '-- m\n-- Revision ID: c\n-- Revises: b\n-- Depends On: nowhere\n-- retort:upgrade\n' > $V/c.sql
run retort heads
expect_rc 1 "unknown dependency"
expect_err "revision 'c' depends on 'nowhere'" "names the dependency"

printf -- '-- m\n-- Revises: b\n-- retort:upgrade\n' > $V/c.sql
run retort heads
expect_rc 1 "missing Revision ID"
expect_err "versions/c.sql:1: header has no 'Revision ID:' line" "says what is missing"
rm $V/c.sql

# non-revision files are ignored
echo "notes" > $V/NOTES.txt
echo "-- not a revision" > $V/.hidden.sql
run retort heads
expect_rc 0 "other files are ignored"
[ "$OUT" = "b (head)" ] && ok "graph intact" || fail "heads: $OUT"

# a version location that does not exist
sed -i 's/^script_location = .*/&\nversion_locations = missing/' retort.ini
run retort heads
expect_rc 2 "a missing version location is a configuration error"
expect_err "version location '.*missing' is not a directory" "names the location"

done_testing
