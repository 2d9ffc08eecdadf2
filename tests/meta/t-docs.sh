#!/bin/sh
# t-docs.sh - the manual describes what the program has, and renders.
#
# The lists come from the program's own tables, through `retort
# __complete`: every command of the command table has its `.SS NAME` in
# retort(1), with every option of that command's table in its section; the
# global options are in GLOBAL OPTIONS; every key of retort.ini's key
# table is a `.B key` item of retort.ini(5); every function libretort.so
# exports (RETORT_EXTERN in the public headers) is named in libretort(3).
# A command, option, key or function added without its documentation
# fails here.  Each page is rendered with man -l and checked by groff's
# warnings (or mandoc -Tlint where groff is missing).
set -u
: "${RETORT:?}" "${RETORT_SRCDIR:?}" "${RETORT_BUILDDIR:?}"
doc=$RETORT_BUILDDIR/doc
fails=0 count=0
ok() { count=$((count + 1)); echo "ok $count - $*"; }
bad() { fails=$((fails + 1)); echo "FAIL: $*"; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/retort-docs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# The lines of `page` from `.SS name` (or `.SH "name"`) to the next heading.
section() {
	awk -v want="$2" '
		/^\.S[SH] / { h = $0; sub(/^\.S[SH] +/, "", h); gsub(/"/, "", h); on = (h == want); next }
		on { print }' "$1"
}

# How roff writes an option: every - as \-; a regex that ends at the name.
roff_re() {
	printf '%s' "$1" | sed -e 's/-/\\\\-/g' -e 's/$/([^a-zA-Z0-9\\\\]|$)/'
}

# --- rendering -----------------------------------------------------------
for page in retort.1 retort.ini.5 libretort.3; do
	f=$doc/$page
	[ -f "$f" ] || { bad "$page was not built"; continue; }
	if command -v man >/dev/null 2>&1; then
		if MANWIDTH=80 man -l "$f" >"$tmp/out" 2>"$tmp/err" && grep -q '^NAME' "$tmp/out" && [ ! -s "$tmp/err" ]; then
			ok "$page renders with man -l"
		else
			bad "$page: man -l: $(head -5 "$tmp/err")"
		fi
	fi
	if command -v groff >/dev/null 2>&1; then
		groff -man -ww -z -Tutf8 "$f" 2>"$tmp/warn"
		if [ -s "$tmp/warn" ]; then bad "$page: groff warns: $(head -5 "$tmp/warn")"; else ok "$page: no groff warnings"; fi
	elif command -v mandoc >/dev/null 2>&1; then
		if mandoc -Tlint -Wwarning "$f" >"$tmp/warn" 2>&1; then ok "$page: mandoc -Tlint"; else bad "$page: $(head -5 "$tmp/warn")"; fi
	elif [ "${CI:-}" = true ]; then
		bad "neither groff nor mandoc to check $page (scripts/deps.sh installs groff-base)"
	fi
done
if ! command -v man >/dev/null 2>&1 && ! command -v groff >/dev/null 2>&1 && ! command -v mandoc >/dev/null 2>&1; then
	[ "${CI:-}" = true ] || { echo "skip: no man, groff or mandoc"; [ $fails -eq 0 ] && exit 77; }
fi

# --- retort(1): commands and their options ----------------------------------
commands=$("$RETORT" __complete commands) || bad "__complete commands failed"
[ -n "$commands" ] || bad "no commands listed"
for cmd in $commands; do
	section "$doc/retort.1" "$cmd" >"$tmp/sec"
	if [ ! -s "$tmp/sec" ]; then
		bad "retort(1) has no '.SS $cmd' section"
		continue
	fi
	missing=""
	for opt in $("$RETORT" __complete options "$cmd" | cut -d' ' -f1); do
		grep -Eq "$(roff_re "$opt")" "$tmp/sec" || missing="$missing $opt"
	done
	if [ -n "$missing" ]; then bad "retort(1), $cmd: options not described:$missing"; else ok "retort(1) describes $cmd and its options"; fi
done
section "$doc/retort.1" "GLOBAL OPTIONS" >"$tmp/sec"
missing=""
for opt in $("$RETORT" __complete options | cut -d' ' -f1); do
	grep -Eq "$(roff_re "$opt")" "$tmp/sec" || missing="$missing $opt"
done
if [ -n "$missing" ]; then bad "retort(1), GLOBAL OPTIONS: not described:$missing"; else ok "retort(1) describes the global options"; fi

# --- retort.ini(5): every key ------------------------------------------------
missing=""
for key in $("$RETORT" __complete keys); do
	grep -qx "\.B $key" "$doc/retort.ini.5" || missing="$missing $key"
done
if [ -n "$missing" ]; then bad "retort.ini(5): keys not described:$missing"; else ok "retort.ini(5) describes every key"; fi

# --- libretort(3): every exported function ----------------------------------------
missing=""
for fn in $(cat "$RETORT_SRCDIR"/include/retort/common.h "$RETORT_SRCDIR"/include/retort/project.h \
		"$RETORT_SRCDIR"/include/retort/run.h "$RETORT_SRCDIR"/include/retort/status.h \
		"$RETORT_SRCDIR"/include/retort/changeset.h |
		sed -n 's/^RETORT_EXTERN[^(]*[ *]\([a-z_][a-z0-9_]*\)(.*/\1/p'); do
	grep -q "$fn" "$doc/libretort.3" || missing="$missing $fn"
done
if [ -n "$missing" ]; then bad "libretort(3): functions not described:$missing"; else ok "libretort(3) names every public function"; fi

# --- and the matching itself can fail: a prefix is not the option ---------------
printf '.B \\-\\-dry\\-run\n' >"$tmp/fixture"
grep -Eq "$(roff_re --dry-run)" "$tmp/fixture" && ok "an option is found as roff writes it" || bad "roff_re missed --dry-run"
grep -Eq "$(roff_re --dry)" "$tmp/fixture" && bad "roff_re took --dry-run for --dry" || ok "a prefix of an option does not count"
section "$doc/retort.1" "no-such-command" >"$tmp/sec"
[ ! -s "$tmp/sec" ] && ok "an absent section reads as absent" || bad "section() found a section that does not exist"

echo "$count passed, $fails failed"
[ $fails -eq 0 ]
