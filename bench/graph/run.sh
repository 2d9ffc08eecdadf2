#!/bin/sh
# run.sh - time `retort heads` and `retort history` on generated graphs of
# 1,000 and 10,000 revisions (linear and branchy), their peak memory, and
# Alembic's `alembic heads` / `alembic history` on the same graphs when
# Alembic is installed.
#
# Usage: bench/graph/run.sh [RETORT_BINARY] [SIZES...]
# Needs python3 and hyperfine; /usr/bin/time for peak memory.
# ALEMBIC=0 skips Alembic (it takes minutes at 10,000 revisions).
# Besides wall time (median), the CPU time (user+sys) is printed: on a
# shared, loaded machine it is the steadier number.  Each retort command is
# timed twice: "cached" with the header cache filled (the usual case after
# the first run), "cold" with RETORT_GRAPH_CACHE=0 (a fresh checkout).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
retort=$(cd "$(dirname "${1:-./retort}")" && pwd)/$(basename "${1:-./retort}")
[ $# -gt 0 ] && shift
sizes=${*:-1000 10000}
[ -x "$retort" ] || { echo "no retort binary at $retort" >&2; exit 2; }
command -v hyperfine >/dev/null || { echo "hyperfine is required" >&2; exit 2; }

# Alembic: the python3 that can import it (the system one usually can)
alembic_py=""
[ "${ALEMBIC:-1}" = 0 ] || for py in /usr/bin/python3 python3; do
	if "$py" -c 'import alembic' 2>/dev/null; then alembic_py=$py; break; fi
done

work=$(mktemp -d "${TMPDIR:-/tmp}/retort-bench-graph.XXXXXX")
trap 'rm -rf "$work"' EXIT
# a private header cache, gone with the rest
mkdir -m 700 "$work/cache"
export XDG_CACHE_HOME="$work/cache"

peak_kb() { # command... -> peak RSS in kB
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1
	else
		echo "n/a"
	fi
}

printf '%-8s %-8s %-22s %10s %10s %10s %10s\n' shape n command median_ms stddev_ms cpu_ms peak_MB
for n in $sizes; do
	for shape in linear branchy; do
		d=$work/$shape-$n
		python3 "$here/gen-graph.py" "$n" "$shape" "$d/retort" ${alembic_py:+"$d/alembic"}
		# The header cache records files only once their times are a few
		# seconds old; wait, and let one run fill it.  "cold" runs without it.
		sleep 3
		(cd "$d/retort" && "$retort" heads >/dev/null)
		for cmd in heads history; do
			for mode in cached cold; do
				cache=1
				[ "$mode" = cold ] && cache=0
				(cd "$d/retort" && RETORT_GRAPH_CACHE=$cache hyperfine -N --warmup 3 --min-runs 20 \
					--export-json "$d/$cmd-$mode.json" "$retort $cmd" >/dev/null 2>&1)
				mean=$(python3 -c "import json,sys;r=json.load(open(sys.argv[1]))['results'][0];print('%.1f %.1f %.1f'%(r['median']*1000,r['stddev']*1000,(r['user']+r['system'])*1000))" "$d/$cmd-$mode.json")
				kb=$(cd "$d/retort" && RETORT_GRAPH_CACHE=$cache peak_kb "$retort" "$cmd")
				printf '%-8s %-8s %-22s %10s %10s %10s %10s\n' "$shape" "$n" "retort $cmd ($mode)" $mean \
					"$(awk -v k="$kb" 'BEGIN{ if (k ~ /^[0-9]+$/) printf "%.1f", k/1024; else print k }')"
			done
		done
		if [ -n "$alembic_py" ]; then
			for cmd in heads history; do
				(cd "$d/alembic" && hyperfine -N --warmup 1 --min-runs 5 \
					--export-json "$d/a-$cmd.json" "$alembic_py -m alembic $cmd" >/dev/null 2>&1)
				mean=$(python3 -c "import json,sys;r=json.load(open(sys.argv[1]))['results'][0];print('%.1f %.1f %.1f'%(r['median']*1000,r['stddev']*1000,(r['user']+r['system'])*1000))" "$d/a-$cmd.json")
				kb=$(cd "$d/alembic" && peak_kb "$alembic_py" -m alembic "$cmd")
				printf '%-8s %-8s %-22s %10s %10s %10s %10s\n' "$shape" "$n" "alembic $cmd" $mean \
					"$(awk -v k="$kb" 'BEGIN{ if (k ~ /^[0-9]+$/) printf "%.1f", k/1024; else print k }')"
			done
		fi
	done
done
