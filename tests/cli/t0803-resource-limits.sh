#!/bin/sh
# t0803-resource-limits.sh - what retort reads is bounded: non-regular
# files among the revisions and as -c are refused unread (a FIFO hung
# every command, a symlink to /dev/zero read 4 GB), scripts and configs
# have a size limit, 40,000 continuation lines parse in linear time, and
# an error message stays short however long the value it quotes.
# Every command runs under `timeout`, so a hang fails instead of stalling.
. "$RETORT_SRCDIR/tests/cli/lib.sh"

mkdir -p m/versions
cat >retort.ini <<'INI'
[retort]
script_location = m
url = sqlite:///app.db
INI
printf -- '-- one\n--\n-- Revision ID: a1\n-- Revises:\n\n-- retort:upgrade\nCREATE TABLE t (id INTEGER);\n' >m/versions/a1.sql
T="timeout 20"

# --- non-regular files among the revisions ----------------------------------------
mkfifo m/versions/fifo.sql
for cmd in heads history "upgrade head" current; do
	run $T "$RETORT" $cmd
	expect_rc 1 "a FIFO among the revisions: $cmd fails instead of hanging"
	expect_err "'.*m/versions/fifo.sql' is a FIFO, not a regular file: not read" "FIFO: $cmd names the file"
done
[ ! -e app.db ] && ok "nothing ran" || fail "app.db was created"
rm m/versions/fifo.sql
ln -s /dev/zero m/versions/zero.sql
run $T "$RETORT" heads
expect_rc 1 "a symlink to /dev/zero is refused"
expect_err "m/versions/zero.sql' is a character device, not a regular file" "/dev/zero: names the file"
rm m/versions/zero.sql
# a symlink to a regular file is a revision like any other
mkdir shared
printf -- '-- two\n--\n-- Revision ID: a2\n-- Revises: a1\n\n-- retort:upgrade\nCREATE TABLE u (id INTEGER);\n' >shared/a2.sql
ln -s ../../shared/a2.sql m/versions/a2.sql
run $T "$RETORT" upgrade head
expect_rc 0 "a symlink to a regular revision file is read"
run sqlite3 app.db "SELECT version_num FROM retort_version"
expect_out "^a2$" "the symlinked revision ran"

# --- size limits ------------------------------------------------------------------------
# sparse: refused by its size before a byte is read, so the test costs nothing
printf -- '-- big\n--\n-- Revision ID: a3\n-- Revises: a2\n\n-- retort:upgrade\nSELECT 1;\n' >m/versions/a3.sql
truncate -s 65M m/versions/a3.sql
run $T "$RETORT" upgrade head
expect_rc 1 "a script over 64 MiB is refused"
expect_err "a3.sql' has 68157440 bytes, more than the 64 MiB retort reads: not read" "big script: names file and limit"
rm m/versions/a3.sql

# --- -c that is not a regular file ------------------------------------------------------
mkfifo fifo.ini
run $T "$RETORT" -c fifo.ini heads
expect_rc 2 "-c FIFO is refused instead of hanging"
expect_err "cannot read config: 'fifo.ini' is a FIFO, not a regular file" "-c FIFO: says so"
run $T "$RETORT" -c /dev/zero heads
expect_rc 2 "-c /dev/zero is refused"
expect_err "'/dev/zero' is a character device" "-c /dev/zero: says so"
cp retort.ini big.ini
truncate -s 2M big.ini
run $T "$RETORT" -c big.ini heads
expect_rc 2 "a config over 1 MiB is refused"
expect_err "more than the 1 MiB retort reads" "big config: says the limit"
ln -s retort.ini link.ini
run $T "$RETORT" -c link.ini heads
expect_rc 0 "a symlinked config is read"

# --- continuation lines: linear ----------------------------------------------------------
{
	printf '[retort]\nscript_location = m\nurl = sqlite:///app.db\nexclude_tables = t0\n'
	i=1
	while [ $i -lt 40000 ]; do printf '    t%d\n' $i; i=$((i + 1)); done
} >long.ini
start=$(date +%s)
run $T "$RETORT" -c long.ini heads
end=$(date +%s)
expect_rc 0 "40,000 continuation lines load"
[ $((end - start)) -le 5 ] && ok "in $((end - start)) s (was 25 s when quadratic)" || fail "40,000 continuation lines took $((end - start)) s"

# --- bounded messages ---------------------------------------------------------------------
# one argument may be 128 KiB at most (MAX_ARG_STRLEN); a header can be 1 MB
arg=$(head -c 120000 /dev/zero | tr '\0' 'x')
long=$(head -c 1048576 /dev/zero | tr '\0' 'x')
run $T "$RETORT" revision -m x --rev-id "$arg"
expect_rc 2 "a 120 KB --rev-id is refused"
[ "${#ERR}" -lt 1000 ] && ok "its message is ${#ERR} bytes" || fail "a 120 KB id gave a ${#ERR}-byte message"
expect_err "invalid revision id 'x{120}…x{40}': it is longer than 32 characters" "the id is quoted head…tail"
printf -- '-- long\n--\n-- Revision ID: %s\n-- Revises: a2\n\n-- retort:upgrade\nSELECT 1;\n' "$long" >m/versions/long.sql
run $T "$RETORT" heads
expect_rc 1 "a 1 MB header id is refused"
[ "${#ERR}" -lt 1000 ] && ok "its message is ${#ERR} bytes" || fail "a 1 MB header id gave a ${#ERR}-byte message"
expect_err "long.sql:3: invalid revision id 'x+…x+'" "the file and line come first"
rm m/versions/long.sql
# control characters in a value are escaped, not sent to the terminal
run $T "$RETORT" revision -m x --rev-id "$(printf 'a\033[2Jb')"
expect_rc 2 "an id with an escape sequence is refused"
expect_err "invalid revision id 'a\\\\x1b\[2Jb'" "ESC is shown as \\x1b"
printf '%s' "$ERR" | grep -q "$(printf '\033')" && fail "a raw ESC reached stderr" || ok "no raw ESC on stderr"

done_testing
