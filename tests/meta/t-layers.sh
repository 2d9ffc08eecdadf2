#!/bin/sh
# t-layers.sh - the library's layers only call downwards.
#
# src/lib/ is split into folders, bottom first: base, config, sql, dialect,
# graph, schema, rules, git, run, autogen (see the README's layout table).  A file
# may include headers of its own folder and of the folders below it; an
# include that points up, or at a folder that is not a layer, fails here.
# The public headers (<retort/...>, "retort/...") sit outside the layers.
set -eu
top=${RETORT_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
layers="base config sql dialect graph schema rules git run autogen"

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
[ -z "$(find "$top/src/lib" -maxdepth 1 -name '*.[ch]')" ] || {
	echo "files directly in src/lib/: put them in a layer"
	bad=1
}
exit $bad
