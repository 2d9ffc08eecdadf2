#!/bin/sh
# t-scripts.sh - the developer scripts: build.sh configures a build
# directory again when the wanted options change (and only then), says what
# it does and keeps the tools' chatter in build.log; verdicts.sh counts a
# skipped test as skipped, names its reason, and shows a failure's log.
# A stand-in configure writes a trivial Makefile, so no real build runs.
set -u
top=${RETORT_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/retort-scripts.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fails=0 count=0
ok() { count=$((count + 1)); echo "ok $count - $*"; }
bad() { fails=$((fails + 1)); echo "FAIL: $*"; }

cat >"$tmp/configure" <<'SH'
#!/bin/sh
echo "configure: checking for noise... yes"
echo "$*" >>configured.txt
printf 'all:\n\t@echo "  CC       x.o"\n' >Makefile
SH
chmod +x "$tmp/configure"
b="$tmp/b"
CONFIGURE="$tmp/configure" sh "$top/scripts/build.sh" "$b" --enable-werror >"$tmp/out1" 2>&1 || bad "first build.sh run failed: $(cat "$tmp/out1")"
grep -q "^build: configuring .* with --enable-werror$" "$tmp/out1" && ok "says it configures, with which options" || bad "out1: $(cat "$tmp/out1")"
grep -q "checking for noise" "$tmp/out1" && bad "configure's chatter shown" || ok "configure's chatter hidden"
grep -q "checking for noise" "$b/build.log" && ok "chatter kept in build.log" || bad "build.log lacks configure output"
grep -q "^\.$" "$tmp/out1" && ok "a dot per compiled object" || bad "no progress dots: $(cat "$tmp/out1")"
CONFIGURE="$tmp/configure" sh "$top/scripts/build.sh" "$b" --enable-werror >"$tmp/out2" 2>&1
[ "$(wc -l <"$b/configured.txt")" -eq 1 ] && ok "the same options: not configured again" || bad "configured twice: $(cat "$b/configured.txt")"
CONFIGURE="$tmp/configure" sh "$top/scripts/build.sh" "$b" >"$tmp/out3" 2>&1
[ "$(sed -n 2p "$b/configured.txt")" = "-q" ] && ok "other options (none): configured again" || bad "configured.txt: $(cat "$b/configured.txt")"
CONFIGURE="$tmp/configure" sh "$top/scripts/build.sh" "$b" --enable-werror --enable-asan >"$tmp/out4" 2>&1
[ "$(sed -n 3p "$b/configured.txt")" = "-q --enable-werror --enable-asan" ] && ok "new options: configured again with them" || bad "configured.txt: $(cat "$b/configured.txt")"

v="$tmp/v/tests/cli"
mkdir -p "$v"
printf ':test-result: PASS\n' >"$v/a.trs"; : >"$v/a.log"
printf ':test-result: SKIP\n' >"$v/b.trs"; printf 'skip: no PostgreSQL server\n' >"$v/b.log"
printf ':test-result: FAIL\n' >"$v/c.trs"; printf 'FAIL c: something broke\n' >"$v/c.log"
out=$(sh "$top/scripts/verdicts.sh" "$tmp/v"); rc=$?
[ $rc -eq 1 ] && ok "a failure makes verdicts.sh fail" || bad "verdicts rc $rc"
printf '%s\n' "$out" | grep -q "^1 passed, 1 failed, 1 skipped$" && ok "a skip is counted as skipped, not passed" || bad "verdicts: $out"
printf '%s\n' "$out" | grep -q "^skipped: tests/cli/b (skip: no PostgreSQL server)$" && ok "the skip's reason is named" || bad "verdicts: $out"
printf '%s\n' "$out" | grep -q "something broke" && ok "the failure's log is shown" || bad "verdicts: $out"
rm "$v/c.trs"
sh "$top/scripts/verdicts.sh" "$tmp/v" >/dev/null && ok "no failure: exit 0" || bad "verdicts failed without failures"

echo "$count passed, $fails failed"
[ "$fails" -eq 0 ]
