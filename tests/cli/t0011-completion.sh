#!/bin/sh
# t0011-completion: the bash completion, sourced into bash and driven the
# way bash drives it (COMP_WORDS, COMP_CWORD, COMPREPLY), offers the
# commands, options, option values and revisions retort itself lists; the
# zsh completion parses, registers itself with compinit under `zsh -f`, and
# offers the same through a stand-in compadd.
. "$RETORT_SRCDIR/tests/cli/lib.sh"

PATH=$(dirname "$RETORT"):$PATH
export PATH
comp=$RETORT_SRCDIR/completion/retort
zcomp_dir=$RETORT_SRCDIR/completion

command -v bash >/dev/null 2>&1 || { echo "skip: no bash"; exit 77; }

# bash_complete WORD...: the candidates when the last WORD is being completed.
bash_complete() {
	bash -c '. "$0"; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _retort; printf "%s\n" "${COMPREPLY[@]}" | sort' "$comp" "$@"
}

# expect_candidates "DESCRIPTION" "EXPECTED (sorted, space separated)" WORD...
expect_candidates() {
	_what=$1 _want=$2
	shift 2
	_got=$(bash_complete "$@" | tr '\n' ' ' | sed 's/ $//')
	if [ "$_got" = "$_want" ]; then ok "$_what"; else OUT=$_got ERR=""; fail "$_what: expected '$_want', got '$_got'"; fi
}

# expect_has "DESCRIPTION" "CANDIDATE..." WORD...: every CANDIDATE is offered
expect_has() {
	_what=$1 _want=$2
	shift 2
	_got=$(bash_complete "$@")
	_missing=""
	for c in $_want; do
		printf '%s\n' "$_got" | grep -qx -- "$c" || _missing="$_missing $c"
	done
	if [ -z "$_missing" ]; then ok "$_what"; else OUT=$_got ERR=""; fail "$_what: missing$_missing"; fi
}

run retort init m -q
run retort revision -m one --rev-id aaa111
run retort revision -m two --rev-id bbb222 --branch-label feature
[ -f m/versions/bbb222_two.sql ] && ok "a project with two revisions" || fail "setup"
mkdir other && (cd other && "$RETORT" init m -q && "$RETORT" revision -m three --rev-id ccc333 >/dev/null)

expect_candidates "a command by its prefix" "upgrade" retort up
expect_candidates "help completes command names" "stamp" retort help st
n=$(bash_complete retort "" | wc -l)
[ "$n" -eq "$("$RETORT" __complete commands | wc -l)" ] && ok "every command is offered ($n)" || fail "offered $n commands"
expect_candidates "a command's own option" "--dry-run" retort upgrade --d
expect_has "global options after the command too" "--color --config" retort upgrade --c
expect_candidates "an option before the command" "--verbose --version" retort --ver
expect_has "revisions of the configured scripts" "aaa111 bbb222 head heads base current feature@head" retort upgrade ""
expect_candidates "a label by its prefix" "feature@base feature@head" retort downgrade fea
expect_candidates "revisions of the configuration -c names" "ccc333" retort -c other/retort.ini stamp cc
expect_candidates "... also when -c follows the command" "ccc333" retort show -c other/retort.ini cc
expect_candidates "the value of --color" "always auto" retort --color a
expect_candidates "templates for init -t" "c generic multidb" retort init -t ""
expect_candidates "formats for revision --format" "c sql" retort revision --format ""
expect_candidates "formats for lint --format" "github human json sarif" retort lint --format ""
expect_candidates "sections for -n" "retort" retort -n ""
expect_candidates "a value without a list: nothing" "" retort upgrade --tag ""
expect_candidates "a revision for --head" "aaa111" retort revision --head aa

# --- zsh ---------------------------------------------------------------------
if ! command -v zsh >/dev/null 2>&1; then
	if [ "${CI:-}" = true ]; then fail "zsh is missing (scripts/deps.sh installs it)"; fi
	done_testing
fi
zsh -n "$zcomp_dir/_retort" && ok "the zsh completion parses" || fail "zsh -n _retort"
run zsh -f -c 'fpath=("$1" $fpath); autoload -Uz compinit; compinit -u -d "$2/zcompdump"; print -r -- ${_comps[retort]}' \
	zsh "$zcomp_dir" "$T_DIR"
[ "$OUT" = "_retort" ] && ok "compinit under zsh -f registers _retort for retort" || fail "compinit: '$OUT' $ERR"

# zsh_complete WORD...: the candidates, through a compadd that prints them.
zsh_complete() {
	zsh -f -c 'fpath=("$1" $fpath); autoload -Uz _retort
		words=("${@:2}"); CURRENT=${#words}
		compadd() { shift $(( ${@[(i)--]} )); local c; for c in "$@"; do [[ $c == ${words[CURRENT]}* ]] && print -r -- $c; done; return 0 }
		_retort' zsh "$zcomp_dir" "$@" | sort | tr '\n' ' ' | sed 's/ $//'
}
got=$(zsh_complete retort up)
[ "$got" = "upgrade" ] && ok "zsh: a command by its prefix" || fail "zsh: got '$got'"
got=$(zsh_complete retort upgrade --d)
[ "$got" = "--dry-run" ] && ok "zsh: a command's own option" || fail "zsh: got '$got'"
got=$(zsh_complete retort -c other/retort.ini upgrade "")
printf '%s\n' "$got" | grep -q "ccc333" && ok "zsh: revisions of the configuration -c names" || fail "zsh: got '$got'"
got=$(zsh_complete retort --color "")
[ "$got" = "always auto never" ] && ok "zsh: the value of --color" || fail "zsh: got '$got'"

done_testing
