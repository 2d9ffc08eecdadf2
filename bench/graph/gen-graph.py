#!/usr/bin/env python3
"""gen-graph.py - write a retort project (and optionally an equivalent
Alembic one) whose version graph has N revisions, for benchmarking the
graph commands.

Shapes:
  linear   one chain of N revisions
  branchy  repeated diamonds: a branch point, two parallel chains, a merge,
           plus a labelled side branch with a cross-branch dependency every
           few hundred revisions (so heads/history see every feature)

Usage: gen-graph.py N SHAPE OUTDIR [ALEMBIC_OUTDIR]
"""
import os
import random
import sys


def ids(n, seed):
    rnd = random.Random(seed)
    seen = set()
    out = []
    while len(out) < n:
        r = "%012x" % rnd.getrandbits(48)
        if r not in seen:
            seen.add(r)
            out.append(r)
    return out


def build(n, shape):
    """Return [(id, parents, labels, depends, message)] in creation order."""
    rid = ids(n, 42 + n)
    revs = []
    if shape == "linear":
        for i in range(n):
            revs.append((rid[i], [rid[i - 1]] if i else [], [], [], "step %d" % i))
        return revs
    i = 0
    tip = None
    side = 0

    def add(parents, labels=(), deps=()):
        nonlocal i
        r = rid[i]
        i += 1
        revs.append((r, parents, list(labels), list(deps), "revision %d" % i))
        return r

    while i < n:
        left = n - i
        if left >= 20:
            bp = add([tip] if tip else [])
            a = b = bp
            for _ in range(8):
                a = add([a])
                b = add([b])
            tip = add([a, b])
        elif left >= 3 and side < 1000:
            side += 1
            s = add([], labels=["side%d" % side])
            tip = add([tip] if tip else [], deps=[s])
        else:
            tip = add([tip] if tip else [])
    return revs


SQL = """-- {msg}
--
-- Revision ID: {rev}
-- Revises: {down}
-- Create Date: 2026-11-21 00:00:00+00:00
-- Branch Labels: {labels}
-- Depends On: {deps}
-- Transactional: yes

-- retort:upgrade
CREATE TABLE t_{rev} (id INTEGER PRIMARY KEY, name TEXT NOT NULL);

-- retort:downgrade
DROP TABLE t_{rev};
"""

PY = '''"""{msg}

Revision ID: {rev}
Revises: {down}
Create Date: 2026-11-21 00:00:00
"""
from alembic import op

revision = {rev!r}
down_revision = {down_py}
branch_labels = {labels_py}
depends_on = {deps_py}


def upgrade():
    op.execute("CREATE TABLE t_{rev} (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")


def downgrade():
    op.execute("DROP TABLE t_{rev}")
'''


def tup(items):
    if not items:
        return "None"
    if len(items) == 1:
        return repr(items[0])
    return repr(tuple(items))


def main():
    n, shape, out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    alembic = sys.argv[4] if len(sys.argv) > 4 else None
    revs = build(n, shape)
    os.makedirs(os.path.join(out, "migrations", "versions"), exist_ok=True)
    with open(os.path.join(out, "retort.ini"), "w") as f:
        f.write("[retort]\nscript_location = migrations\nurl = sqlite:///bench.db\n")
    for rev, parents, labels, deps, msg in revs:
        with open(os.path.join(out, "migrations", "versions", "%s_%s.sql" % (rev, msg.replace(" ", "_"))), "w") as f:
            f.write(SQL.format(msg=msg, rev=rev, down=", ".join(parents),
                               labels=", ".join(labels), deps=", ".join(deps)))
    if alembic:
        os.makedirs(os.path.join(alembic, "env", "versions"), exist_ok=True)
        with open(os.path.join(alembic, "alembic.ini"), "w") as f:
            f.write("[alembic]\nscript_location = env\n")
        with open(os.path.join(alembic, "env", "env.py"), "w") as f:
            f.write("# heads and history never run the environment\n")
        with open(os.path.join(alembic, "env", "script.py.mako"), "w") as f:
            f.write("")
        for rev, parents, labels, deps, msg in revs:
            with open(os.path.join(alembic, "env", "versions", "%s_%s.py" % (rev, msg.replace(" ", "_"))), "w") as f:
                f.write(PY.format(msg=msg, rev=rev, down=", ".join(parents), down_py=tup(parents),
                                  labels_py=tup(labels), deps_py=tup(deps)))


if __name__ == "__main__":
    main()
