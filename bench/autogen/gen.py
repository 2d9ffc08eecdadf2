#!/usr/bin/env python3
"""gen.py - generate the autogenerate benchmark's inputs.

    gen.py OUTDIR N URL [ALEMBIC_URL]

N tables of 10 columns, each with an index and a foreign key to a table
before it (table i references table (i-1)/10: a tree three levels deep for
1,000 tables; SQLAlchemy reflects along foreign keys recursively and a
chain of 1,000 exceeds Python's recursion limit).  The live database is at head of one migration that creates
the schema less one column in every 100th table; the target declares the
whole schema, so autogenerate finds N/100 columns to add.  Writes:

    OUTDIR/target.sql, OUTDIR/target-tx.sql  the target (the second in one transaction)
    OUTDIR/live.sql                       the live schema
    OUTDIR/retort/retort.ini, migrations/versions/a1_live.sql
    OUTDIR/alembic/alembic.ini, env.py, models.py, versions/a1_live.py
                                          the same for Alembic: models.py declares the
                                          target as SQLAlchemy tables, a1 creates the live
                                          schema

URL is a retort URL (sqlite:////abs.db or postgresql://...); Alembic's
database is ALEMBIC_URL (default: the same one), in SQLAlchemy's spelling
derived from it.
"""
import os
import sys

COLUMNS = [
    ("name", "VARCHAR(50) NOT NULL", "sa.String(50), nullable=False"),
    ("qty", "INTEGER", "sa.Integer()"),
    ("note", "TEXT", "sa.Text()"),
    ("price", "NUMERIC(10,2)", "sa.Numeric(10, 2)"),
    ("flag", "BOOLEAN", "sa.Boolean()"),
    ("code", "VARCHAR(20)", "sa.String(20)"),
    ("rank", "INTEGER DEFAULT 0", "sa.Integer(), server_default=sa.text('0')"),
    ("extra", "TEXT", "sa.Text()"),
]


def parent(i):
    return (i - 1) // 10


def table_sql(i, full):
    cols = ["id INTEGER NOT NULL PRIMARY KEY"]
    cols.append("parent_id INTEGER REFERENCES t%05d (id)" % parent(i) if i else "parent_id INTEGER")
    for name, sql, _ in COLUMNS:
        if name == "extra" and not full:
            continue
        cols.append("%s %s" % (name, sql))
    return ("CREATE TABLE t%05d (\n    %s\n);\nCREATE INDEX ix_t%05d_name ON t%05d (name);\n"
            % (i, ",\n    ".join(cols), i, i))


def schema(n, live):
    return "".join(table_sql(i, not (live and i % 100 == 0)) for i in range(n))


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def alembic_url(url):
    if url.startswith("sqlite:"):
        return url
    return url.replace("postgresql://", "postgresql+psycopg2://", 1)


def main():
    out, n, url = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    aurl = sys.argv[4] if len(sys.argv) > 4 else url
    target, live = schema(n, False), schema(n, True)
    write(os.path.join(out, "target.sql"), target)
    write(os.path.join(out, "target-tx.sql"), "BEGIN;\n" + target + "COMMIT;\n")
    write(os.path.join(out, "live.sql"), live)

    r = os.path.join(out, "retort")
    write(os.path.join(r, "retort.ini"),
          "[retort]\nscript_location = migrations\nurl = %s\ntarget_schema = ../target.sql\n" % url)
    write(os.path.join(r, "migrations", "versions", "a1_live.sql"),
          "-- the live schema\n--\n-- Revision ID: a1\n-- Revises:\n\n-- retort:upgrade\n%s\n"
          "-- retort:downgrade\nSELECT 1;\n" % live)

    a = os.path.join(out, "alembic")
    write(os.path.join(a, "alembic.ini"),
          "[alembic]\nscript_location = %s\nsqlalchemy.url = %s\n" % (a, alembic_url(aurl)))
    write(os.path.join(a, "script.py.mako"),
          '"""${message}"""\nfrom alembic import op\nimport sqlalchemy as sa\n'
          'revision = ${repr(up_revision)}\ndown_revision = ${repr(down_revision)}\n'
          'branch_labels = None\ndepends_on = None\n\n'
          'def upgrade():\n    ${upgrades if upgrades else "pass"}\n\n'
          'def downgrade():\n    ${downgrades if downgrades else "pass"}\n')
    write(os.path.join(a, "env.py"),
          "import sys\nsys.path.insert(0, %r)\n"
          "from alembic import context\nfrom sqlalchemy import engine_from_config, pool\n"
          "import models\n\n"
          "config = context.config\n"
          "engine = engine_from_config(config.get_section(config.config_ini_section), prefix='sqlalchemy.',\n"
          "                            poolclass=pool.NullPool)\n"
          "with engine.connect() as connection:\n"
          "    context.configure(connection=connection, target_metadata=models.metadata)\n"
          "    with context.begin_transaction():\n"
          "        context.run_migrations()\n" % a)
    lines = ["import sqlalchemy as sa\n\nmetadata = sa.MetaData()\n"]
    for i in range(n):
        cols = ["    sa.Column('id', sa.Integer(), primary_key=True, autoincrement=False)"]
        cols.append("    sa.Column('parent_id', sa.Integer(), sa.ForeignKey('t%05d.id'))" % parent(i) if i
                    else "    sa.Column('parent_id', sa.Integer())")
        for name, _, py in COLUMNS:
            cols.append("    sa.Column(%r, %s)" % (name, py))
        cols.append("    sa.Index('ix_t%05d_name', 'name')" % i)
        lines.append("sa.Table('t%05d', metadata,\n%s)\n" % (i, ",\n".join(cols)))
    write(os.path.join(a, "models.py"), "".join(lines))
    write(os.path.join(a, "versions", "a1_live.py"),
          '"""the live schema"""\nfrom alembic import op\n\nrevision = "a1"\ndown_revision = None\n'
          'branch_labels = None\ndepends_on = None\n\nLIVE = %r\n\n'
          'def upgrade():\n    for stmt in LIVE.split(";\\n"):\n        if stmt.strip():\n'
          '            op.execute(stmt)\n\ndef downgrade():\n    pass\n' % live)


if __name__ == "__main__":
    main()
