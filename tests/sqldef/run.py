#!/usr/bin/env python3
"""run.py - an outside conformance run of `retort diff` over sqldef's
schema-diff fixtures (YAML cases of a current and a desired schema).

For each case: load `current` into two databases (one to migrate, one to
keep) and `desired` into a third; `retort diff` current -> desired, apply
the SQL, and diffing again must be empty (convergence); then diff back to
the kept current, apply, and diffing again must be empty.  sqldef's own
`up`/`down` texts are not compared: only convergence counts.

A case the database itself rejects (MySQL-isms, extensions, roles) is
skipped, as are cases that expect an error, need sqldef's config or
offline mode, or disable drops.  The summary lists every failure.  Exit
status 0 unless --strict and something failed.

Usage: run.py RETORT FIXTURES_DIR [--strict] [-v] [-k SUBSTRING] [sqlite] [postgresql]
"""
import glob
import os
import shutil
import subprocess
import sys
import tempfile

try:
    import yaml
except ImportError:
    print("check-sqldef: python3-yaml is not installed, skipped")
    sys.exit(0)

SKIP_KEYS = ("error", "offline", "config", "managed_roles", "manage")


class Skip(Exception):
    pass


class Fail(Exception):
    pass


def run(argv, stdin=None):
    p = subprocess.run(argv, input=stdin, capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


class SQLite:
    name = "sqlite"
    fixture_dir = "sqlite3def"

    def __init__(self, work):
        self.work = work

    def fresh(self, tag):
        path = os.path.join(self.work, tag + ".db")
        if os.path.exists(path):
            os.unlink(path)
        return path, "sqlite:///" + path

    def apply(self, handle, sql):
        return run(["sqlite3", "-bail", handle], sql)

    def close(self):
        pass


class Postgres:
    name = "postgresql"
    fixture_dir = "psqldef"

    def __init__(self, srcdir):
        self.srcdir = srcdir
        rc, out, err = run(["sh", os.path.join(srcdir, "tests/harness/pgserver.sh"), "start"])
        if rc != 0:
            raise Skip("no PostgreSQL server (%s)" % err.strip())
        self.dir, self.maint = out.splitlines()[:2]
        self.n = 0

    def fresh(self, tag):
        name = "sqldef_" + tag
        rc, _, err = run(["psql", "-X", "-q", "-d", self.maint,
                          "-c", 'DROP DATABASE IF EXISTS "%s"' % name, "-c", 'CREATE DATABASE "%s"' % name])
        if rc != 0:
            raise Fail("cannot create a database: " + err.strip())
        url = self.maint.replace("postgresql:///postgres", "postgresql:///" + name, 1)
        return url, url

    def apply(self, handle, sql):
        return run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", handle], sql)

    def close(self):
        run(["sh", os.path.join(self.srcdir, "tests/harness/pgserver.sh"), "stop", self.dir])


def diff(retort, a, b):
    rc, out, err = run([retort, "diff", a, b])
    if rc not in (0, 1):
        raise Fail("retort diff failed: " + err.strip())
    return rc, out


def run_case(retort, db, case):
    if not isinstance(case, dict) or any(k in case for k in SKIP_KEYS) or case.get("enable_drop") is False:
        raise Skip("needs sqldef options")
    current, desired = case.get("current") or "", case.get("desired") or ""
    (cur_h, cur), (keep_h, keep), (des_h, des) = db.fresh("cur"), db.fresh("keep"), db.fresh("des")
    for handle, sql in ((cur_h, current), (keep_h, current), (des_h, desired)):
        if sql.strip():
            rc, _, err = db.apply(handle, sql)
            if rc != 0:
                raise Skip("the database rejects the fixture: " + err.strip().splitlines()[-1][:100])
    for what, target, target_h in (("up", des, des_h), ("down", keep, keep_h)):
        rc, sql = diff(retort, cur, target)
        if rc == 1:
            arc, _, err = db.apply(cur_h, sql)
            if arc != 0:
                raise Fail("%s: applying the diff failed: %s\n%s" % (what, err.strip(), sql))
        rc, again = diff(retort, cur, target)
        if rc != 0:
            raise Fail("%s: not converged, diffing again gives:\n%s\n(first diff was:\n%s)" % (what, again, sql))


def main():
    args = sys.argv[1:]
    strict = "--strict" in args
    verbose = "-v" in args
    only = None
    if "-k" in args:
        only = args[args.index("-k") + 1]
        args.remove(only)
    args = [a for a in args if a not in ("--strict", "-v", "-k")]
    if len(args) < 2:
        print(__doc__)
        return 2
    retort, fixtures = os.path.abspath(args[0]), args[1]
    dialects = args[2:] or ["sqlite", "postgresql"]
    srcdir = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    if not os.path.isdir(fixtures):
        print("check-sqldef: %s is absent, skipped" % fixtures)
        return 0
    work = tempfile.mkdtemp(prefix="retort-sqldef.")
    failed = 0
    try:
        for dialect in dialects:
            try:
                db = SQLite(work) if dialect == "sqlite" else Postgres(srcdir)
            except Skip as e:
                print("%s: skipped: %s" % (dialect, e))
                continue
            counts = {"pass": 0, "fail": 0, "skip": 0}
            failures = []
            try:
                for path in sorted(glob.glob(os.path.join(fixtures, db.fixture_dir, "*.yml"))):
                    with open(path) as f:
                        cases = yaml.safe_load(f) or {}
                    for name, case in cases.items():
                        if only and only not in name:
                            continue
                        try:
                            run_case(retort, db, case)
                            counts["pass"] += 1
                        except Skip as e:
                            counts["skip"] += 1
                            if verbose:
                                print("skip %s/%s: %s" % (os.path.basename(path), name, e))
                        except Fail as e:
                            counts["fail"] += 1
                            failures.append((os.path.basename(path), name, str(e)))
            finally:
                db.close()
            for file, name, why in failures:
                detail = why if verbose else why.splitlines()[0][:160]
                print("FAIL %s %s/%s: %s" % (dialect, file, name, detail))
            print("%s: %d passed, %d failed, %d skipped" % (dialect, counts["pass"], counts["fail"], counts["skip"]))
            failed += counts["fail"]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if strict and failed else 0


if __name__ == "__main__":
    sys.exit(main())
