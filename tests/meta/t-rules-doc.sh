#!/bin/sh
# t-rules-doc.sh - the README's table of lint rules is the rules retort
# has: every code with its name, level and lock, and nothing else.
set -eu
top=${RETORT_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
: "${RETORT:?RETORT must point at the built retort binary}"
command -v python3 >/dev/null 2>&1 || { echo "skip: no python3"; exit 77; }
"$RETORT" --json lint --rules | python3 -c '
import json, re, sys
rules = json.load(sys.stdin)
rows = {}
for line in open(sys.argv[1], encoding="utf-8"):
    m = re.match(r"\| (R\d{3}) \| `([a-z0-9-]+)` \| (\w+) \| ([A-Za-z ]*?)( \(size\))? \| ", line)
    if m:
        rows[m.group(1)] = m.groups()[1:]
bad = 0
for r in rules:
    want = (r["name"], r["level"], r["lock"] or "", " (size)" if r["size_matters"] else None)
    if rows.pop(r["code"], None) != want:
        print("README: the row of %s should say %s" % (r["code"], want)); bad = 1
for code in rows:
    print("README: %s is no rule" % code); bad = 1
sys.exit(bad)
' "$top/README.md"
