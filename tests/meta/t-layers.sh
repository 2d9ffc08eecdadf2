#!/bin/sh
# t-layers.sh - the library's layers only call downwards.
#
# src/lib/ is split into folders, bottom first: base, config, sql, dialect,
# graph, schema, rules, git, run, autogen, api (see the README's layout table).  A file
# may include headers of its own folder and of the folders below it; an
# include that points up, or at a folder that is not a layer, fails here.
# The public headers (<retort/...>, "retort/...") sit outside the layers.
set -eu
top=${RETORT_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
layers="base config sql dialect graph schema rules git run autogen api"

rank() {
	i=0
	for l in $layers; do
		[ "$l" = "$1" ] && { echo $i; return; }
		i=$((i + 1))
	done
	echo -1
}

bad=0
for dir in "$top"/src/lib/*/; do
	from=$(basename "$dir")
	rf=$(rank "$from")
	if [ "$rf" -lt 0 ]; then
		echo "src/lib/$from/ is not a layer: add it to the README's layout and to $0"
		bad=1
		continue
	fi
	for f in "$dir"*.c "$dir"*.h; do
		[ -f "$f" ] || continue
		for to in $(sed -n 's|^#include "\([a-z_]*\)/[a-z_0-9]*\.h".*|\1|p' "$f" | grep -vx retort | sort -u); do
			rt=$(rank "$to")
			if [ "$rt" -lt 0 ] || [ "$rt" -gt "$rf" ]; then
				echo "src/lib/$from/$(basename "$f") includes $to/: arrows point down ($layers)"
				bad=1
			fi
		done
	done
done
# The retort command is a client of the public API (include/retort/) for
# what the API covers: the commands that run migrations, report a
# database's state or compare schemas include none of the layers that do
# that work.  (api/api_int.h gives them views to print more than the API
# shows.)
for f in cmd_upgrade.c cmd_downgrade.c cmd_stamp.c cmd_ensure_version.c cmd_current.c \
	cmd_check.c cmd_drift.c cmd_diff.c migrate_cli.h migrate_cli.c autogen_cli.h autogen_cli.c; do
	inc=$(grep -E '^#include "(run|autogen|schema|dialect|git|sql)/' "$top/src/cli/$f" || true)
	if [ -n "$inc" ]; then
		echo "src/cli/$f: $inc: call the public API (include/retort/) instead"
		bad=1
	fi
done
[ -z "$(find "$top/src/lib" -maxdepth 1 -name '*.[ch]')" ] || {
	echo "files directly in src/lib/: put them in a layer"
	bad=1
}
exit $bad
