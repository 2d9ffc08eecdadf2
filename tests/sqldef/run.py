#!/usr/bin/env python3
"""run.py - an outside conformance run of `retort diff` over sqldef's
schema-diff fixtures (YAML cases of a current and a desired schema),
judged by the database itself, not by retort.

For each case: load `current` into two databases (one to migrate, `cur`,
and one to keep, `keep`) and `desired` into a third (`des`).  Then

  idempotent  `retort diff cur keep` says the two are equal;
  up          `retort diff cur des` is applied to cur, and the database's
              own dump of cur (PostgreSQL: `pg_dump -s`; SQLite: its schema
              table) equals the dump of des, normalized for order;
  down        `retort diff cur keep` is applied to cur, and cur's dump
              equals keep's.

A case passes when all three hold.  Judging by the dumps, not by diffing
again, matters: an engine blind to some object kind (a trigger, a policy)
re-diffs its own output as "equal" and would pass every case it cannot see.
`retort diff` agreeing with itself afterwards is reported separately
("self") as a hint, never as the verdict.

Skipped are only cases the server here cannot take: `min_version` above
the server's version, an extension that is not installed (pgvector's
`flavor`), or a fixture the database rejects ("not loadable").  sqldef's
own options (`enable_drop`, `config`, `offline`, `error`, `manage`) do not
skip a case: convergence to `desired` is what is judged.  Cases that
manage privileges (`managed_roles`, `manage: privilege`) run with
`retort diff --with-privileges` and are judged with privileges; every other
case is judged without them (`pg_dump --no-privileges`).

Usage: run.py RETORT FIXTURES_DIR [--strict] [-v] [-j N] [-k SUBSTRING]
              [--list-failures] [sqlite] [postgresql]

Prints a line per failure, then a table per fixture file and totals.
Exit status 0 unless --strict and something failed.
"""
import glob
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import tempfile

try:
    import yaml
except ImportError:
    print("check-sqldef: python3-yaml is not installed, skipped")
    sys.exit(0)

SERVER_MAJOR = 15
ROLES = ("readonly_user", "app_user", "admin_role", "user1", "user2", "user3",
         "psqldef_user", "reader", "writer", "app_role", "analyst")


class Skip(Exception):
    pass


class Fail(Exception):
    def __init__(self, stage, detail):
        super().__init__("%s: %s" % (stage, detail))
        self.stage = stage


def first_error(err):
    lines = [l for l in err.strip().splitlines() if "ERROR" in l] or err.strip().splitlines() or ["?"]
    return lines[0][:120]


def run(argv, stdin=None, env=None):
    p = subprocess.run(argv, input=stdin, capture_output=True, text=True, env=env)
    return p.returncode, p.stdout, p.stderr


# --- normalizing dumps -------------------------------------------------------

def split_statements(text):
    """Split PostgreSQL text (a dump) into statements at top-level
    semicolons, keeping quotes and dollar-quoted bodies intact and
    dropping comments."""
    out, cur, i, n = [], [], 0, len(text)
    while i < n:
        c = text[i]
        if c == "-" and text.startswith("--", i):
            j = text.find("\n", i)
            i = n if j < 0 else j + 1
            cur.append("\n")
            continue
        if c == "/" and text.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if text.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            i = j
            cur.append(" ")
            continue
        if c in "'\"`":
            j = i + 1
            while j < n:
                if text[j] == c:
                    if j + 1 < n and text[j + 1] == c:
                        j += 2
                        continue
                    break
                j += 1
            cur.append(text[i:j + 1])
            i = j + 1
            continue
        if c == "$":
            m = re.match(r"\$([A-Za-z_][A-Za-z_0-9]*)?\$", text[i:])
            if m and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
                tag = m.group(0)
                j = text.find(tag, i + len(tag))
                j = n if j < 0 else j + len(tag)
                cur.append(text[i:j])
                i = j
                continue
        if c == ";":
            stmt = "".join(cur).strip()
            if stmt:
                out.append(stmt)
            cur = []
            i += 1
            continue
        cur.append(c)
        i += 1
    stmt = "".join(cur).strip()
    if stmt:
        out.append(stmt)
    return out


def top_level_items(body):
    """Split the inside of a parenthesized list at top-level commas."""
    items, depth, start, i, n = [], 0, 0, 0, len(body)
    while i < n:
        c = body[i]
        if c in "'\"`":
            j = i + 1
            while j < n and body[j] != c:
                j += 1
            i = j + 1
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "," and depth == 0:
            items.append(body[start:i].strip())
            start = i + 1
        i += 1
    items.append(body[start:].strip())
    return [x for x in items if x]


def squeeze(sql):
    """Collapse whitespace outside quotes."""
    out, i, n, space = [], 0, len(sql), False
    while i < n:
        c = sql[i]
        if c in "'\"":
            j = i + 1
            while j < n and sql[j] != c:
                j += 1
            if space and out:
                out.append(" ")
            space = False
            out.append(sql[i:j + 1])
            i = j + 1
            continue
        if c.isspace():
            space = True
            i += 1
            continue
        if space and out and not (c in ",)" or out[-1] in "("):
            out.append(" ")
        space = False
        out.append(c)
        i += 1
    return "".join(out)


def sort_table_body(stmt):
    """CREATE TABLE x (a, b, CONSTRAINT ...) options: sort the items, since
    column order is not a difference retort promises to keep."""
    m = re.match(r"(?is)^(create\s+(?:unlogged\s+|temp\s+|temporary\s+)?table\s+.*?)\((.*)\)(.*)$", stmt)
    if not m:
        return stmt
    head, body, tail = m.group(1), m.group(2), m.group(3)
    # The body must be the table's own list: its parentheses balance.
    depth = 0
    for c in body:
        depth += c == "("
        depth -= c == ")"
        if depth < 0:
            return stmt
    items = sorted(squeeze(x) for x in top_level_items(body))
    return "%s(\n  %s\n)%s" % (squeeze(head).strip() + " ", ",\n  ".join(items), squeeze(tail))


def normalize_pg(dump):
    stmts = []
    for s in split_statements("\n".join(l for l in dump.splitlines() if not l.startswith("\\"))):
        flat = squeeze(s)
        if re.match(r"(?i)^(set |select pg_catalog\.set_config)", flat):
            continue
        stmts.append(sort_table_body(s) if re.match(r"(?i)^create (unlogged )?table ", flat) else flat)
    return sorted(stmts)


SQLITE_SIMPLE = re.compile(r"^[A-Za-z_][A-Za-z_0-9]*$")


def sqlite_canon(sql):
    """SQLite text in a canonical spelling: identifiers unquoted where that
    is safe and lower-cased (SQLite folds them), keywords lower-cased,
    comments dropped, whitespace collapsed.  String literals are kept."""
    out, i, n = [], 0, len(sql or "")
    while i < n:
        c = sql[i]
        if c == "'":
            j = i + 1
            while j < n:
                if sql[j] == "'" and j + 1 < n and sql[j + 1] == "'":
                    j += 2
                    continue
                if sql[j] == "'":
                    break
                j += 1
            out.append(sql[i:j + 1])
            i = j + 1
            continue
        if c in "\"`[":
            close = "]" if c == "[" else c
            j = i + 1
            while j < n and sql[j] != close:
                j += 1
            name = sql[i + 1:j]
            out.append(name.lower() if SQLITE_SIMPLE.match(name) else '"%s"' % name.lower())
            i = j + 1
            continue
        if c == "-" and sql.startswith("--", i):
            j = sql.find("\n", i)
            i = n if j < 0 else j
            continue
        if c == "/" and sql.startswith("/*", i):
            j = sql.find("*/", i + 2)
            i = n if j < 0 else j + 2
            out.append(" ")
            continue
        out.append(c.lower())
        i += 1
    text = squeeze("".join(out))
    return re.sub(r"\bif not exists\s+", "", text)


def strip_parens(expr):
    """A default or predicate without redundant outer parentheses."""
    expr = (expr or "").strip()
    while expr.startswith("(") and expr.endswith(")") and top_level_items(expr[1:-1]) == [expr[1:-1].strip()]:
        depth, ok = 0, True
        for k, c in enumerate(expr):
            depth += (c == "(") - (c == ")")
            if depth == 0 and k < len(expr) - 1:
                ok = False
                break
        if not ok:
            break
        expr = expr[1:-1].strip()
    return expr


def balanced_after(text, start):
    """The parenthesized text starting at text[start] == '('."""
    depth = 0
    for k in range(start, len(text)):
        depth += (text[k] == "(") - (text[k] == ")")
        if depth == 0:
            return text[start:k + 1]
    return text[start:]


def sqlite_dump(path):
    """The schema of a SQLite file as SQLite itself reports it (pragmas),
    in an order-free canonical form: per table its options, columns,
    CHECK constraints, constraint names, keys, indexes and foreign keys;
    views and triggers by their canonical text."""
    import sqlite3
    con = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    try:
        rows = []
        objs = con.execute("SELECT type, name, tbl_name, sql FROM sqlite_schema "
                           "WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'").fetchall()
        opts = {r[1]: (r[5], r[4]) for r in con.execute("PRAGMA table_list") if r[0] == "main"}
        for typ, name, tbl, sql in objs:
            key = name.lower()
            if typ == "table":
                strict, wr = opts.get(name, (0, 0))
                rows.append("table %s strict=%s without_rowid=%s" % (key, strict, wr))
                for cid, cname, ctype, notnull, dflt, pk, hidden in con.execute(
                        "SELECT * FROM pragma_table_xinfo(?)", (name,)):
                    rows.append("column %s.%s %s notnull=%s default=%s pk=%s hidden=%s"
                                % (key, cname.lower(), ctype.lower(), notnull,
                                   sqlite_canon(strip_parens(dflt)) if dflt is not None else None, pk, hidden))
                canon = sqlite_canon(sql)
                for m in re.finditer(r"\bcheck\s*\(", canon):
                    rows.append("check %s %s" % (key, strip_parens(balanced_after(canon, m.end() - 1))))
                for m in re.finditer(r"\bconstraint\s+(\"[^\"]*\"|\S+)", canon):
                    rows.append("constraint-name %s %s" % (key, m.group(1)))
                fks = {}
                for fid, seq, rtable, frm, to, upd, dele, match in con.execute(
                        "SELECT * FROM pragma_foreign_key_list(?)", (name,)):
                    fks.setdefault(fid, []).append((seq, rtable.lower(), frm.lower(), (to or "").lower(),
                                                    upd, dele, match))
                for fk in fks.values():
                    fk.sort()
                    rows.append("foreign-key %s (%s) -> %s (%s) on update %s on delete %s match %s"
                                % (key, ",".join(x[2] for x in fk), fk[0][1], ",".join(x[3] for x in fk),
                                   fk[0][4], fk[0][5], fk[0][6]))
                for seq, iname, unique, origin, partial in con.execute(
                        "SELECT * FROM pragma_index_list(?)", (name,)):
                    cols = ",".join("%s%s%s" % ((c[2] or "<expr>").lower(), " desc" if c[3] else "",
                                               "" if c[4] == "BINARY" else " collate " + c[4].lower())
                                    for c in con.execute("SELECT * FROM pragma_index_xinfo(?)", (iname,))
                                    if c[5])
                    label = iname.lower() if origin == "c" else "(%s)" % origin
                    rows.append("index %s %s unique=%s partial=%s on (%s)" % (key, label, unique, partial, cols))
            elif typ == "index":
                if sql:
                    text = sqlite_canon(sql)
                    where = re.search(r"\bwhere\b(.*)$", text)
                    on = text.find("(")
                    rows.append("index-sql %s: %s%s" % (key, balanced_after(text, on) if on >= 0 else "",
                                                        " where " + strip_parens(where.group(1)) if where else ""))
            else:
                rows.append("%s %s: %s" % (typ, key, sqlite_canon(sql)))
        return sorted(rows)
    finally:
        con.close()


# --- the two databases ---------------------------------------------------------

class SQLite:
    name = "sqlite"
    fixture_dir = "sqlite3def"

    def __init__(self, work):
        self.work = work

    def prepare_case(self, case):
        pass

    def fresh(self, tag):
        path = os.path.join(self.work, tag + ".db")
        for p in (path, path + "-journal", path + ".retort-lock"):
            if os.path.exists(p):
                os.unlink(p)
        return path, "sqlite:///" + path

    def apply(self, handle, sql):
        return run(["sqlite3", "-bail", handle], sql)

    def load(self, handle, sql):
        rc, _, err = run(["sqlite3", "-bail", handle], "BEGIN;\n" + sql + "\nCOMMIT;\n")
        if rc != 0:
            raise Skip("not loadable: " + first_error(err))

    def dump(self, handle, privileges):
        return sqlite_dump(handle)

    def close(self):
        pass


class Postgres:
    name = "postgresql"
    fixture_dir = "psqldef"

    def __init__(self, srcdir, maint, worker):
        self.srcdir, self.maint, self.worker = srcdir, maint, worker
        self.user = None
        rc, out, _ = run(["psql", "-X", "-At", "-d", maint, "-c",
                          "SELECT name FROM pg_available_extensions"])
        self.extensions = set(out.split()) if rc == 0 else set()

    def url(self, db, user=None):
        url = self.maint.replace("postgresql:///postgres", "postgresql:///" + db, 1)
        return url.replace("user=postgres", "user=" + user) if user else url

    def prepare_case(self, case):
        self.user = case.get("user")

    def fresh(self, tag):
        name = "sqldef_%s_%s" % (self.worker, tag)
        cmds = ['DROP DATABASE IF EXISTS "%s"' % name, 'CREATE DATABASE "%s"' % name]
        for c in cmds:
            rc, _, err = run(["psql", "-X", "-q", "-d", self.maint, "-c", c])
            if rc != 0:
                raise Fail("setup", "cannot create a database: " + err.strip())
        if self.user:
            # sqldef runs these cases as a role whose default schema is not public.
            rc, _, err = run(["psql", "-X", "-q", "-d", self.url(name), "-c",
                              'CREATE SCHEMA IF NOT EXISTS foo AUTHORIZATION "%s"' % self.user,
                              "-c", 'GRANT ALL ON SCHEMA public TO "%s"' % self.user])
            if rc != 0:
                raise Fail("setup", err.strip())
        url = self.url(name, self.user)
        return url, url

    def apply(self, handle, sql):
        return run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", handle], sql)

    def load(self, handle, sql):
        """Load a fixture.  sqldef's schemas are declarative: statements may
        come in any order and name schemas and roles they do not create.
        When the text does not load as written (in one transaction, so a
        failure leaves nothing), its statements are applied one at a time
        in every order the server accepts, creating a missing schema or
        role on the way; what never loads makes the case unloadable."""
        rc, _, err = run(["psql", "-X", "-q", "-1", "-v", "ON_ERROR_STOP=1", "-d", handle], sql)
        if rc == 0:
            return
        pending, last_err = split_statements(sql), err
        while pending:
            left, missing = [], None
            for stmt in pending:
                rc, _, err = self.apply(handle, stmt + ";")
                if rc != 0:
                    left.append(stmt)
                    last_err = err
                    missing = missing or re.search(r'(schema|role) "([^"]+)" does not exist', err)
            if len(left) == len(pending):
                if not missing:
                    raise Skip("not loadable: " + first_error(last_err))
                # Nothing else loads: create what the fixture assumes exists.
                kind = "SCHEMA" if missing.group(1) == "schema" else "ROLE"
                run(["psql", "-X", "-q", "-d", handle if kind == "SCHEMA" else self.maint,
                     "-c", 'CREATE %s "%s"' % (kind, missing.group(2))])
            pending = left

    def dump(self, handle, privileges):
        argv = ["pg_dump", "-s", "--no-owner", "-d", handle]
        if not privileges:
            argv.insert(2, "--no-privileges")
        rc, out, err = run(argv)
        if rc != 0:
            raise Fail("dump", err.strip())
        return normalize_pg(out)

    def close(self):
        pass


def start_postgres(srcdir):
    rc, out, err = run(["sh", os.path.join(srcdir, "tests/harness/pgserver.sh"), "start"])
    if rc != 0:
        raise Skip("no PostgreSQL server (%s)" % err.strip())
    pgdir, maint = out.splitlines()[:2]
    for role in ROLES:
        run(["psql", "-X", "-q", "-d", maint, "-c", 'CREATE ROLE "%s" LOGIN' % role])
    run(["psql", "-X", "-q", "-d", maint, "-c", 'ALTER ROLE psqldef_user SET search_path = foo, public',
         "-c", "ALTER ROLE psqldef_user CREATEDB"])
    # Fixtures name a libc collation the test server's C locale lacks; an
    # ICU collation of the same name in template1 reaches every database.
    run(["psql", "-X", "-q", "-d", maint.replace("postgresql:///postgres", "postgresql:///template1", 1),
         "-c", """CREATE COLLATION IF NOT EXISTS "en_US" (provider = icu, locale = 'en-US')"""])
    return pgdir, maint


# --- one case ---------------------------------------------------------------------

def manages_privileges(case):
    manage = case.get("manage") or {}
    return bool(case.get("managed_roles")) or (isinstance(manage, dict) and "privilege" in manage)


def skip_reason(db, case):
    if not isinstance(case, dict):
        return "not a case"
    v = case.get("min_version")
    if v is not None and db.name == "postgresql" and float(str(v).split(".")[0]) > SERVER_MAJOR:
        return "needs PostgreSQL %s" % v
    if case.get("flavor") == "pgvector" and db.name == "postgresql" and "vector" not in db.extensions:
        return "needs the pgvector extension (not packaged for this server)"
    return None


def retort_diff(retort, a, b, privileges):
    argv = [retort, "diff", a, b]
    if privileges:
        argv.append("--with-privileges")
    rc, out, err = run(argv)
    if rc not in (0, 1):
        raise Fail("diff", "retort diff failed (exit %d): %s" % (rc, err.strip()))
    return rc, out


def show_difference(got, want):
    import difflib
    lines = list(difflib.unified_diff(want, got, "expected", "migrated", lineterm="", n=0))
    return "\n".join(lines[2:40])


def run_case(retort, db, case):
    """Returns a list of notes (self-consistency hints); raises Skip or Fail."""
    why = skip_reason(db, case)
    if why:
        raise Skip(why)
    db.prepare_case(case)
    privileges = db.name == "postgresql" and manages_privileges(case)
    current, desired = case.get("current") or "", case.get("desired") or ""
    (cur_h, cur), (keep_h, keep), (des_h, des) = db.fresh("cur"), db.fresh("keep"), db.fresh("des")
    for handle, sql in ((cur_h, current), (keep_h, current), (des_h, desired)):
        if sql.strip():
            db.load(handle, sql)
    notes = []
    rc, sql = retort_diff(retort, cur, keep, privileges)
    if rc != 0:
        raise Fail("idempotent", "a database differs from a copy of itself:\n" + sql)
    for stage, target, target_h in (("up", des, des_h), ("down", keep, keep_h)):
        rc, sql = retort_diff(retort, cur, target, privileges)
        if rc == 1:
            arc, _, err = db.apply(cur_h, sql)
            if arc != 0:
                raise Fail(stage, "applying retort's SQL failed: %s\n%s" % (err.strip(), sql))
        got, want = db.dump(cur_h, privileges), db.dump(target_h, privileges)
        if got != want:
            raise Fail(stage, "the migrated schema differs from the target:\n%s\n-- retort's SQL:\n%s"
                       % (show_difference(got, want), sql))
        rc, _ = retort_diff(retort, cur, target, privileges)
        if rc != 0:
            notes.append("%s: converged, but retort diff still reports differences" % stage)
    return notes


# --- driving ------------------------------------------------------------------------

def load_cases(fixtures, db_name, only):
    sub = "sqlite3def" if db_name == "sqlite" else "psqldef"
    cases = []
    for path in sorted(glob.glob(os.path.join(fixtures, sub, "*.yml"))):
        with open(path) as f:
            for name, case in (yaml.safe_load(f) or {}).items():
                if only and only not in name:
                    continue
                cases.append((os.path.basename(path), name, case))
    return cases


WORKER = {}


def worker_init(retort, dialect, srcdir, maint):
    """Each worker process keeps its own scratch directory and databases."""
    import atexit
    work = tempfile.mkdtemp(prefix="retort-sqldef.")
    atexit.register(shutil.rmtree, work, True)
    WORKER["retort"] = retort
    WORKER["db"] = SQLite(work) if dialect == "sqlite" else Postgres(srcdir, maint, os.getpid())


def worker_case(item):
    file, name, case = item
    try:
        notes = run_case(WORKER["retort"], WORKER["db"], case)
        return (file, name, "pass", None, notes)
    except Skip as e:
        return (file, name, "skip", str(e), [])
    except Fail as e:
        return (file, name, "fail", str(e), [])


def report(dialect, results, verbose):
    by_file = {}
    for file, name, verdict, why, notes in results:
        by_file.setdefault(file, {"pass": 0, "fail": 0, "skip": 0, "self": 0})[verdict] += 1
        by_file[file]["self"] += bool(notes)
        if verdict == "fail":
            detail = why if verbose else why.splitlines()[0][:160]
            print("FAIL %s %s/%s: %s" % (dialect, file, name, detail))
        elif verdict == "skip" and verbose:
            print("skip %s %s/%s: %s" % (dialect, file, name, why))
        for n in notes:
            if verbose:
                print("self %s %s/%s: %s" % (dialect, file, name, n))
    print("\n%-34s %6s %6s %6s %6s" % (dialect, "pass", "fail", "skip", "self"))
    total = {"pass": 0, "fail": 0, "skip": 0, "self": 0}
    for file in sorted(by_file):
        c = by_file[file]
        print("%-34s %6d %6d %6d %6d" % (file, c["pass"], c["fail"], c["skip"], c["self"]))
        for k in total:
            total[k] += c[k]
    run_n = total["pass"] + total["fail"]
    pct = 100.0 * total["pass"] / run_n if run_n else 0.0
    print("%-34s %6d %6d %6d %6d" % ("total", total["pass"], total["fail"], total["skip"], total["self"]))
    print("%s: %d of %d judged cases converge (%.1f%%), %d skipped; "
          "'self' counts cases where retort's own re-diff disagrees with the judge"
          % (dialect, total["pass"], run_n, pct, total["skip"]))
    return total["fail"]


def main():
    args = sys.argv[1:]
    strict, verbose = "--strict" in args, "-v" in args
    only, jobs = None, 2
    for flag in ("-k", "-j"):
        if flag in args:
            i = args.index(flag)
            value = args[i + 1]
            del args[i:i + 2]
            if flag == "-k":
                only = value
            else:
                jobs = max(1, int(value))
    args = [a for a in args if a not in ("--strict", "-v")]
    if len(args) < 2:
        print(__doc__)
        return 2
    retort, fixtures = os.path.abspath(args[0]), args[1]
    dialects = args[2:] or ["sqlite", "postgresql"]
    srcdir = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    if not os.path.isdir(fixtures):
        print("check-sqldef: %s is absent, skipped" % fixtures)
        return 0
    failed = 0
    for dialect in dialects:
        pgdir = maint = None
        if dialect == "postgresql":
            try:
                pgdir, maint = start_postgres(srcdir)
            except Skip as e:
                print("%s: skipped: %s" % (dialect, e))
                continue
        try:
            cases = load_cases(fixtures, dialect, only)
            results = []
            with multiprocessing.Pool(jobs, worker_init, (retort, dialect, srcdir, maint)) as pool:
                for r in pool.imap_unordered(worker_case, cases):
                    results.append(r)
                    if len(results) % 100 == 0:
                        print("%s: %d of %d cases" % (dialect, len(results), len(cases)), file=sys.stderr)
            results.sort()
            failed += report(dialect, results, verbose)
        finally:
            if pgdir:
                run(["sh", os.path.join(srcdir, "tests/harness/pgserver.sh"), "stop", pgdir])
    return 1 if strict and failed else 0


if __name__ == "__main__":
    sys.exit(main())
