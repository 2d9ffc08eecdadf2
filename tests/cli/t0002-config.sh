#!/bin/sh
# t0002-config: configuration mistakes exit 2 and name the file and line;
# passwords never reach the terminal.  `heads` is used as a command that
# loads the configuration without needing a database.
. "$RETORT_SRCDIR/tests/cli/lib.sh"

mkdir -p m/versions

printf '[retort]\nurl = sqlite:///a.db\n' > retort.ini
run retort heads
expect_rc 2 "missing script_location exits 2"
expect_err "^retort: error: retort.ini:1: section \[retort\] has no 'script_location'" "missing script_location names file:line"

printf '[retort]\nscript_location = m\nscirpt_location = m\n' > retort.ini
run retort heads
expect_rc 2 "a typo'd key exits 2"
expect_err "retort.ini:3: unknown key 'scirpt_location' in section \[retort\]" "a typo'd key names file:line"

printf '[retort]\nscript_location = m\nurl = ${DB_URL\n' > retort.ini
run retort heads
expect_rc 2 "an unterminated \${ exits 2"
expect_err "retort.ini:3: unterminated '\\$\{'" "an unterminated \${ names file:line"

printf '[retort]\nscript_location = m\nurl = postgresql://app:Sekr1t@db:notaport/prod\n' > retort.ini
run retort heads
expect_rc 2 "a malformed URL exits 2"
expect_err "retort.ini:3: malformed database URL 'postgresql://app:\*\*\*@db:notaport/prod'" "a malformed URL names file:line"
expect_no_out "Sekr1t" "the password is masked"

printf '[retort]\nscript_location = m\n' > retort.ini
run retort heads --url 'mysql://root:pw@x/y'
expect_rc 2 "a malformed --url exits 2"
expect_err "^retort: error: --url: malformed database URL 'mysql://root:\*\*\*@x/y'" "a malformed --url is named"

RETORT_URL=nonsense run retort heads
expect_rc 2 "a malformed RETORT_URL exits 2"
expect_err "RETORT_URL: malformed database URL" "a malformed RETORT_URL is named"

rm retort.ini
run retort heads
expect_rc 2 "no config exits 2"
expect_err "cannot find config 'retort.ini'" "no config is explained"

run retort heads -c does/not/exist.ini
expect_rc 2 "-c to a missing file exits 2"
expect_err "cannot find config 'does/not/exist.ini'" "-c names the missing file"

printf '[retort]\nscript_location = m\n[other]\nscript_location = m\n' > named.ini
run retort -c named.ini -n nope heads
expect_rc 2 "-n with an unknown section exits 2"
expect_err "named.ini: no section \[nope\]" "-n names the missing section"

RETORT_CONFIG=named.ini run retort -n other heads
expect_rc 0 "RETORT_CONFIG and -n select a section"

run retort heads -x novalue -c named.ini
expect_rc 2 "a malformed -x exits 2"
expect_err "malformed -x 'novalue'" "a malformed -x is named"

done_testing
