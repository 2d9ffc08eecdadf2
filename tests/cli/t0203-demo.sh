#!/bin/sh
# t0203-demo.sh - the project's own demo (retort.ini + migrations/) walked
# through the README's cycle on SQLite, including the C data migration, a
# branch, a merge and labels.
. "$RETORT_SRCDIR/tests/cli/lib.sh"
cp "$RETORT_SRCDIR/retort.ini" . && cp -R "$RETORT_SRCDIR/migrations" .
# Compiled C revisions go to a cache; keep it inside the scratch directory.
export XDG_CACHE_HOME="$T_DIR/cache"

run retort upgrade head
expect_rc 0 "upgrade head"
expect_out 'Running upgrade d4e5f6a7b8c9 -> e5f6a7b8c9d0, backfill post slugs \([0-9]+ ms\)' "the C revision ran"
expect_out 'Running upgrade c3d4e5f6a7b8, e5f6a7b8c9d0 -> f6a7b8c9d0e1, merge' "the merge ran"
run sqlite3 demo.db "SELECT slug FROM posts ORDER BY id"
expect_out '^hello-world$' "the data migration filled the slugs"

run retort current
expect_out '^a7b8c9d0e1f2 \(addresses, content\) \(head\)$' "at head, with its branch labels"
run retort downgrade -1
expect_rc 0 "downgrade -1"
run retort upgrade head
expect_rc 0 "upgrade head again"

run retort downgrade d4e5f6a7b8c9
expect_rc 0 "downgrade to a revision on one branch"
run sqlite3 demo.db "SELECT version_num FROM retort_version ORDER BY 1"
expect_out '^c3d4e5f6a7b8$' "the other branch stays"
expect_out '^d4e5f6a7b8c9$' "that branch stepped back to the target"
run sqlite3 demo.db "SELECT count(*) FROM posts WHERE slug IS NOT NULL"
expect_out '^0$' "the C downgrade cleared the slugs"

run retort upgrade content@head
expect_rc 0 "upgrade a labelled branch to its head"
run retort current
expect_out '^a7b8c9d0e1f2 \(addresses, content\) \(head\)$' "both branches are in again (the label covers the merge)"

run retort upgrade head --sql
expect_rc 0 "offline SQL renders the C revision"
expect_out 'UPDATE posts SET slug' "the C revision's statement is in the SQL"
printf '%s\n' "$OUT" >up.sql
run sqlite3 -bail offline.db ".read up.sql"
expect_rc 0 "the offline SQL runs"
run sqlite3 offline.db "SELECT version_num FROM retort_version"
expect_out '^a7b8c9d0e1f2$' "offline reaches the head"

run sqlite3 demo.db "SELECT direction, count(*) FROM retort_history GROUP BY 1 ORDER BY 1"
expect_out '^downgrade\|' "history records downgrades"
expect_out '^upgrade\|' "history records upgrades"

done_testing
