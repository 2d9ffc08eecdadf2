#!/bin/sh
# t0102-graph-queries: heads, branches, history (-r, -v), show and --json on
# a graph with a branch, a label, a dependency and a merge, read the way
# an Alembic user reads them.
. "$RETORT_SRCDIR/tests/cli/lib.sh"

retort init migrations >/dev/null
V=migrations/versions
# rev ID PARENTS LABELS DEPENDS MESSAGE
rev() {
	printf -- '-- %s\n--\n-- Revision ID: %s\n-- Revises: %s\n-- Branch Labels: %s\n-- Depends On: %s\n\n-- retort:upgrade\nSELECT 1;\n\n-- retort:downgrade\nSELECT 1;\n' \
		"$6" "$1" "$2" "$3" "$4" > "$V/$1_$5.sql"
}
rev a1 "" "" "" a "create users"
rev a2 a1 "" "" b "add posts"
rev a3 a2 "" "" c "add comments"
rev b1 a2 "cart" "" d "cart tables"
rev b2 b1 "" "a3" e "cart totals"

run retort heads
expect_rc 0 "heads"
expect_out "^a3 \(effective head\)$" "a3 is a head others depend on: an effective head, as Alembic says"
expect_out "^b2 \(cart\) \(head\)$" "b2 is a head and shows the label it inherits"
[ "$(printf '%s\n' "$OUT" | wc -l)" -eq 2 ] && ok "two heads" || fail "expected two heads"

run retort heads --resolve-dependencies
expect_rc 0 "heads --resolve-dependencies"
[ "$OUT" = "b2 (cart) (head)" ] && ok "a3 is depended on, so only b2 remains" || fail "resolve-dependencies: $OUT"

run retort history
expect_rc 0 "history"
expect_out "^b1 \(a3\) -> b2 \(cart\) \(head\), cart totals$" "dependency shown in parentheses"
expect_out "^a2 -> b1 \(cart\), cart tables$" "label shown"
expect_out "^a1 -> a2 \(branchpoint\), add posts$" "branch point marked"
expect_out "^<base> -> a1, create users$" "base shown as <base>"
printf '%s\n' "$OUT" | tail -1 | grep -q "a1, create users" && ok "newest first, base last" || fail "order"

run retort history -r a2:b2
expect_rc 0 "history -r a2:b2"
[ "$(printf '%s\n' "$OUT" | awk -F' -> ' '{print $2}' | cut -d' ' -f1 | tr '\n' ' ')" = "b2 b1 a3 a2 " ] \
	&& ok "range from a2 to b2, dependencies included" || fail "range: $OUT"
run retort history -r b1:
expect_rc 0 "history -r b1:"
[ "$(printf '%s\n' "$OUT" | wc -l)" -eq 2 ] && ok "open-ended range" || fail "b1: gave $OUT"
run retort history -r a3:b1
expect_rc 1 "a range whose start is not below its end"
expect_err "revision 'a3' is not an ancestor of 'b1'" "says why"
run retort history -r b1
expect_rc 2 "a range without a colon"
expect_err "must look like START:END" "explains the syntax"

run retort history -v -r a1:a2
expect_rc 0 "history -v"
expect_out "^Rev: a2 \(branchpoint\)$" "verbose Rev: line"
expect_out "^Branches into: a3, b1$" "verbose children"
expect_out "^Path: .*/a2_b\.sql$" "verbose path"

run retort branches
expect_rc 0 "branches"
expect_out "^a2 \(branchpoint\)$" "the branch point"
expect_out "^   -> a3 \(effective head\)$" "its first branch"
expect_out "^   -> b1 \(cart\)$" "its second branch"

run retort show cart
expect_rc 0 "show LABEL"
expect_out "^Rev: b1$" "the label's revision"
expect_out "^Branch names: cart$" "its branch names"
run retort show cart@head
expect_out "^Rev: b2 \(head\)$" "LABEL@head"
expect_out "^Also depends on: a3$" "dependencies listed"
run retort show b2-2
expect_out "^Rev: a2 \(branchpoint\)$" "REV-N"
run retort show a
expect_rc 1 "an ambiguous prefix"
expect_err "'a' is ambiguous: it is a prefix of a1, a2, a3" "lists the candidates"
run retort show zz
expect_rc 1 "an unknown id"
expect_err "no revision matches 'zz'" "names the id"
run retort show head
expect_rc 1 "head with two heads"
expect_err "several heads: a3, b2; use 'heads' for all of them, LABEL@head for one branch, or 'retort merge'" "suggests the ways out"

run retort --json heads
expect_rc 0 "heads --json"
expect_out '"revision": "a3"' "JSON has the ids"
expect_out '"is_head": true' "JSON has flags"
run retort history --json
expect_rc 0 "history --json"
[ "$(printf '%s\n' "$OUT" | grep -c '"revision"')" -eq 5 ] && ok "five revisions in JSON" || fail "history json"
run retort branches --json
expect_out '"children": \[' "branches JSON lists children"
run retort show --json a1
expect_out '"message": "create users"' "show JSON has the message"
expect_out '"checksum": "[0-9a-f]{64}"' "and the checksum"

# merge: all heads, then a single head again
run retort merge -m "join cart" --rev-id m1 heads
expect_rc 0 "merge heads"
grep -q '^-- Revises: a3, b2$' $V/m1_join_cart.sql && ok "the merge revises both heads" || fail "merge parents"
run retort heads
[ "$OUT" = "m1 (cart) (head)" ] && ok "one head after the merge" || fail "heads after merge: $OUT"
run retort history -r m1:
expect_out "^a3, b2 -> m1 \(cart\) \(head\) \(mergepoint\), join cart$" "merge point shown"
run retort merge -m again --rev-id m2 a3 b2
expect_rc 2 "merging non-heads is refused"
expect_err "revision 'a3' is not a head" "names the revision"
run retort merge -m lonely --rev-id m3 heads
expect_rc 2 "a merge of one head is refused"
expect_err "a merge needs at least two revisions" "says why"

# edit runs $EDITOR on the file, without a shell
cat > ed.sh <<'ED'
#!/bin/sh
echo "edited $1" > edited.txt
ED
chmod +x ed.sh
EDITOR="$PWD/ed.sh" run retort edit b1
expect_rc 0 "edit"
grep -q "edited .*/b1_d.sql" edited.txt && ok "the editor got the file" || fail "editor not run"
# without $VISUAL and $EDITOR: `editor` on PATH, else vi, as git does
mkdir -p fakebin1 fakebin2
printf '#!/bin/sh\necho "editor $1" >> "%s/fallback.txt"\n' "$PWD" > fakebin1/editor
printf '#!/bin/sh\necho "vi $1" >> "%s/fallback.txt"\n' "$PWD" > fakebin1/vi
cp fakebin1/vi fakebin2/vi
chmod +x fakebin1/editor fakebin1/vi fakebin2/vi
VISUAL= EDITOR= PATH="$PWD/fakebin1" run "$RETORT" edit b1
expect_rc 0 "edit without \$EDITOR"
grep -q "^editor .*/b1_d.sql" fallback.txt && ok "falls back to editor" || fail "editor fallback not run"
VISUAL= EDITOR= PATH="$PWD/fakebin2" run "$RETORT" edit b1
expect_rc 0 "edit without \$EDITOR nor editor"
grep -q "^vi .*/b1_d.sql" fallback.txt && ok "falls back to vi" || fail "vi fallback not run"
EDITOR=false run retort edit b1
expect_rc 1 "a failing editor is reported"
# an editor whose path has a space, with an argument: quoted as in a shell
mkdir -p "my tools"
printf '#!/bin/sh\necho "$1|$2" > "%s/spaced.txt"\n' "$PWD" > "my tools/ed it"
chmod +x "my tools/ed it"
EDITOR="'$PWD/my tools/ed it' --wait" run retort edit b1
expect_rc 0 "an editor path with a space"
grep -q "^--wait|.*/b1_d.sql$" spaced.txt && ok "quoted path and argument kept" || fail "spaced.txt: $(cat spaced.txt 2>&1)"
EDITOR='vi $(touch pwned)' run retort edit b1
expect_rc 2 "command substitution in \$EDITOR is refused"
expect_err "command substitution" "says why"
[ ! -e pwned ] && ok "nothing ran" || fail "the substitution ran"

done_testing
