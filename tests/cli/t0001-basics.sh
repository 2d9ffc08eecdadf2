#!/bin/sh
# t0001-basics: help, version, exit statuses and diagnostics of the CLI itself.
. "$RETORT_SRCDIR/tests/cli/lib.sh"

run retort --version
expect_rc 0 "--version exits 0"
expect_out '^retort [0-9]+\.[0-9]+\.[0-9]+$' "--version prints the version"
expect_out '^License: MIT' "--version names the license"
# the one version number is configure's (AC_INIT)
if [ "$(printf '%s\n' "$OUT" | head -n 1)" = "retort ${RETORT_PACKAGE_VERSION:?}" ]; then
	ok "--version is configure's version"
else
	fail "--version is not 'retort $RETORT_PACKAGE_VERSION'"
fi

run retort --help
expect_rc 0 "--help exits 0"
expect_out '^usage: retort' "--help shows usage"
for cmd in init list-templates revision upgrade downgrade current history heads \
	branches show merge stamp ensure-version edit diff check drift help lint; do
	if printf '%s\n' "$OUT" | grep -q "^  $cmd "; then ok "--help lists $cmd"; else fail "--help lacks $cmd"; fi
done

# help COMMAND: the command's usage and options, from its own table, and where the manual is
run retort help upgrade
expect_rc 0 "help upgrade"
expect_out '^usage: retort upgrade ' "help shows the command's usage"
expect_out '^ +--dry-run ' "help shows the command's options"
expect_out 'retort\(1\)' "help points at the manual"
run retort help
expect_rc 0 "help alone"
expect_out '^  upgrade ' "help alone lists the commands"
run retort help upgarde
expect_rc 2 "help for no such command"
expect_err "no command 'upgarde'" "says so"

run retort
expect_rc 2 "no command is a usage error"
expect_err '^usage: retort' "no command prints usage on stderr"

run retort frobnicate
expect_rc 2 "an unknown command exits 2"
expect_err "^retort: error: unknown command 'frobnicate'" "an unknown command is named"

for cmd in init list-templates revision upgrade downgrade current history heads \
	branches show merge stamp ensure-version edit diff check drift help lint; do
	run retort "$cmd" --help
	if [ "$RC" -eq 0 ] && printf '%s\n' "$OUT" | grep -q "^usage: retort $cmd"; then
		ok "$cmd --help"
	else
		fail "$cmd --help (exit $RC)"
	fi
done

run retort list-templates --bogus
expect_rc 2 "an unknown option exits 2"
expect_err "unknown option '--bogus' for 'list-templates'" "an unknown option is named"

run retort init
expect_rc 2 "a missing argument exits 2"
expect_err "'init' needs an argument" "a missing argument is explained"

run retort list-templates --color sometimes
expect_rc 2 "a bad --color exits 2"

run retort list-templates
expect_rc 0 "list-templates"
expect_out '^  generic - ' "list-templates shows generic with its description"

run retort --json list-templates
expect_rc 0 "list-templates --json"
if printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[0]["name"]=="generic"' 2>/dev/null; then
	ok "list-templates --json is JSON"
else
	fail "list-templates --json is not the expected JSON"
fi

done_testing
