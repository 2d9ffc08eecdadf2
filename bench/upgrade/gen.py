#!/usr/bin/env python3
"""gen.py - generate the upgrade benchmark's inputs.

    gen.py OUTDIR N URL

writes, for a linear history of N revisions (one table and one index each):

    OUTDIR/retort/retort.ini, OUTDIR/retort/migrations/versions/*.sql
    OUTDIR/retort/retort-one.ini          the same with transaction_per_migration = false
    OUTDIR/alembic/alembic.ini, env.py, versions/*.py   Alembic running the same SQL
    OUTDIR/alembic/alembic-one.ini        Alembic with one transaction for the run
    OUTDIR/up.sql, OUTDIR/down.sql        the raw SQL, for the one-transaction floor
    OUTDIR/up-per.sql, OUTDIR/down-per.sql  the same, one transaction per revision

The SQL is the same text in every variant, so the differences measured are
the tools' own overhead.  URL is a retort URL (sqlite:////abs.db or
postgresql://...); the Alembic URL is derived from it.
"""
import hashlib
import os
import sys


def rev_id(i):
    return hashlib.sha256(b"bench-%d" % i).hexdigest()[:12]


def up_sql(i):
    return ("CREATE TABLE bench_t%05d (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL, "
            "created_at VARCHAR(32));\n"
            "CREATE INDEX ix_bench_t%05d_name ON bench_t%05d (name);\n" % (i, i, i))


def down_sql(i):
    return "DROP INDEX ix_bench_t%05d_name;\nDROP TABLE bench_t%05d;\n" % (i, i)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def retort_files(out, n, url):
    versions = os.path.join(out, "retort", "migrations", "versions")
    for i in range(n):
        parent = rev_id(i - 1) if i else ""
        write(os.path.join(versions, "%s_bench_%05d.sql" % (rev_id(i), i)),
              "-- bench table %d\n--\n-- Revision ID: %s\n-- Revises: %s\n"
              "-- Create Date: 2026-11-21 00:00:00+00:00\n-- Branch Labels:\n"
              "-- Depends On:\n-- Transactional: yes\n\n-- retort:upgrade\n%s\n"
              "-- retort:downgrade\n%s" % (i, rev_id(i), parent, up_sql(i), down_sql(i)))
    for name, per in (("retort.ini", "true"), ("retort-one.ini", "false")):
        write(os.path.join(out, "retort", name),
              "[retort]\nscript_location = migrations\nurl = %s\n"
              "transaction_per_migration = %s\n" % (url, per))


def alembic_url(url):
    if url.startswith("sqlite:"):
        return url
    # retort accepts libpq URIs; SQLAlchemy wants the driver named.
    rest = url.split("://", 1)[1]
    return "postgresql+psycopg2://" + rest


ENV_PY = '''"""Alembic environment for the retort benchmark (online mode only)."""
from alembic import context
from sqlalchemy import create_engine

config = context.config
engine = create_engine(config.get_main_option("sqlalchemy.url"))
per = config.get_main_option("transaction_per_migration") == "true"

with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=None,
                      transaction_per_migration=per)
    with context.begin_transaction():
        context.run_migrations()
'''


def alembic_files(out, n, url):
    base = os.path.join(out, "alembic")
    write(os.path.join(base, "env.py"), ENV_PY)
    write(os.path.join(base, "script.py.mako"), "")
    for i in range(n):
        parent = repr(rev_id(i - 1)) if i else "None"
        ups = "".join("    op.execute(%r)\n" % s for s in up_sql(i).strip().split("\n"))
        downs = "".join("    op.execute(%r)\n" % s for s in down_sql(i).strip().split("\n"))
        write(os.path.join(base, "versions", "%s_bench_%05d.py" % (rev_id(i), i)),
              '"""bench table %d"""\nfrom alembic import op\n\nrevision = %r\n'
              'down_revision = %s\nbranch_labels = None\ndepends_on = None\n\n\n'
              'def upgrade():\n%s\n\ndef downgrade():\n%s' % (i, rev_id(i), parent, ups, downs))
    for name, per in (("alembic.ini", "true"), ("alembic-one.ini", "false")):
        write(os.path.join(base, name),
              "[alembic]\nscript_location = %s\nsqlalchemy.url = %s\n"
              "transaction_per_migration = %s\n" % (base, alembic_url(url).replace("%", "%%"), per))


def raw_files(out, n):
    write(os.path.join(out, "up.sql"), "".join(up_sql(i) for i in range(n)))
    write(os.path.join(out, "down.sql"), "".join(down_sql(i) for i in reversed(range(n))))
    # The per-migration floor: each revision's SQL in its own transaction.
    write(os.path.join(out, "up-per.sql"),
          "".join("BEGIN;\n%sCOMMIT;\n" % up_sql(i) for i in range(n)))
    write(os.path.join(out, "down-per.sql"),
          "".join("BEGIN;\n%sCOMMIT;\n" % down_sql(i) for i in reversed(range(n))))


def main():
    if len(sys.argv) != 4:
        sys.stderr.write("usage: gen.py OUTDIR N URL\n")
        return 2
    out, n, url = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    retort_files(out, n, url)
    alembic_files(out, n, url)
    raw_files(out, n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
