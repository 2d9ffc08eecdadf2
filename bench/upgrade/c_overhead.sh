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
# best wall-clock and CPU (user + system, children included) ms of RUNS runs
# of `upgrade head` from an empty database; CPU time hardly depends on load.
best() {
	bw="" bc=""
	for r in $(seq 1 "$RUNS"); do
		rm -f "$dir/$1.db"
		(cd "$dir" && /usr/bin/time -f '%e %U %S' -o "$dir/time" "$RETORT" -q -c "$1.ini" upgrade head)
		w=$(awk '{printf "%d", $1 * 1000}' "$dir/time")
		c=$(awk '{printf "%d", ($2 + $3) * 1000}' "$dir/time")
		if [ -z "$bw" ] || [ "$w" -lt "$bw" ]; then bw=$w; fi
		if [ -z "$bc" ] || [ "$c" -lt "$bc" ]; then bc=$c; fi
	done
	echo "$bw $bc"
}
set -- $(best c) $(best sql)
echo "N=$N, best of $RUNS: C revisions ${1} ms wall, ${2} ms CPU; SQL revisions ${3} ms wall, ${4} ms CPU"
echo "per C revision: $(( ($1 - $3) * 1000 / N )) us more wall, $(( ($2 - $4) * 1000 / N )) us more CPU"
