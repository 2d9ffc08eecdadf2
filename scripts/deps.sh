#!/bin/sh
# deps.sh - install the Debian packages retort needs that are missing.
#
#   scripts/deps.sh           what building, the demo and the tests need
#   scripts/deps.sh --bench   also what the benchmarks compare against
#
# Asks dpkg first and runs apt-get only when something is missing, so it is
# quick on a machine that already has everything.  Needs root (or sudo).
set -eu

pkgs="gcc make autoconf automake libtool pkg-config git
libsqlite3-dev libpq-dev libgit2-dev libinih-dev check libpg-query-dev
libjansson-dev libssl-dev
sqlite3 postgresql-15 python3 python3-alembic
man-db groff-base bash-completion zsh"
# python3-alembic: the Alembic differential test (tests/cli/t0104) compares
# retort with Alembic itself; man-db and groff-base render the manual in
# its test, bash-completion says where completions go, and zsh loads ours
if [ "${1:-}" = --bench ]; then
	pkgs="$pkgs hyperfine python3-psycopg2 valgrind time"
fi

missing=""
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

echo "deps: installing$missing"
if [ "$(id -u)" -eq 0 ]; then
	as_root=""
elif command -v sudo >/dev/null 2>&1; then
	as_root="sudo"
else
	echo "deps: missing packages:$missing (run as root to install them)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$as_root apt-get update -qq
# shellcheck disable=SC2086
$as_root apt-get install -y -qq --no-install-recommends $missing >/dev/null
