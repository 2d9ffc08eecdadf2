#!/bin/sh
# c_overhead.sh - what running a C revision costs beyond the SQL it runs:
# N C revisions that each create one table through retort_ctx_exec,
# against N SQL revisions with the same statement, upgraded on SQLite
# with one transaction per revision.  The difference per revision is the
# isolation (fork, dlopen in the child, one request and reply per ctx
# call); objects are compiled once before timing.
#
#   RETORT=$PWD/build/retort sh bench/upgrade/c_overhead.sh [N] [RUNS]
set -eu
: "${RETORT:?RETORT must point at the built retort}"
N=${1:-200}
RUNS=${2:-5}
dir=$(mktemp -d "${TMPDIR:-/tmp}/retort-cbench.XXXXXX")
trap 'rm -rf "$dir"' EXIT
export XDG_CACHE_HOME="$dir/cache"
mkdir -p "$dir/c/versions" "$dir/sql/versions" "$dir/cache"
chmod 700 "$dir/cache"
prev=""
for i in $(seq 1 "$N"); do
	id=$(printf 'c%05d' "$i")
	printf '/*\n * %s\n *\n * Revision ID: %s\n * Revises: %s\n */\n#include <retort/migration.h>\n\nint upgrade(retort_ctx *ctx) { return retort_ctx_exec(ctx, "CREATE TABLE t%s (id INTEGER)"); }\nint downgrade(retort_ctx *ctx) { return retort_ctx_exec(ctx, "DROP TABLE t%s"); }\n' \
		"$id" "$id" "$prev" "$i" "$i" >"$dir/c/versions/$id.c"
	printf -- '-- %s\n--\n-- Revision ID: %s\n-- Revises: %s\n\n-- retort:upgrade\nCREATE TABLE t%s (id INTEGER);\n\n-- retort:downgrade\nDROP TABLE t%s;\n' \
		"$id" "$id" "$prev" "$i" "$i" >"$dir/sql/versions/$id.sql"
	prev=$id
done
for kind in c sql; do
	printf '[retort]\nscript_location = %s\nurl = sqlite:///%s/%s.db\n' "$kind" "$dir" "$kind" >"$dir/$kind.ini"
done
(cd "$dir" && "$RETORT" -q -c c.ini upgrade head && rm -f c.db) # compile into the cache
best() { # best wall-clock ms of RUNS runs of `upgrade head` from an empty database
	b=""
	for r in $(seq 1 "$RUNS"); do
		rm -f "$dir/$1.db"
		t0=$(date +%s%N)
		(cd "$dir" && "$RETORT" -q -c "$1.ini" upgrade head)
		t1=$(date +%s%N)
		ms=$(( (t1 - t0) / 1000000 ))
		if [ -z "$b" ] || [ "$ms" -lt "$b" ]; then b=$ms; fi
	done
	echo "$b"
}
c=$(best c)
s=$(best sql)
echo "N=$N C revisions: ${c} ms; SQL revisions: ${s} ms; per C revision: $(( (c - s) * 1000 / N )) us more (best of $RUNS)"
